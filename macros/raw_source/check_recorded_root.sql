{#-
    A DuckDB database holds the data of one flow_logs_root: the root of the first build is
    recorded in `<raw table>__root`; a run with another root stops (incremental models
    would keep the first root's rows and skip days of the new one) unless it is a
    --full-refresh, which records the new root. DuckDB only (called by
    `duckdb__prepare_raw_source`): an Athena table's location is its root.
-#}
{% macro check_recorded_root(relation, root) %}
    {%- set recorded_relation = vpc_flow_logs.raw_flow_logs_relation(relation.identifier ~ '__root') -%}
    {%- call statement('vpc_flow_logs_root_table', auto_begin=false) -%}
        create schema if not exists {{ relation.schema }};
        create table if not exists {{ recorded_relation }} (
            flow_logs_root varchar,
            recorded_at timestamp
        );
    {%- endcall -%}
    {%- set rows = run_query("select flow_logs_root from " ~ recorded_relation).rows -%}
    {%- set recorded = rows[0][0] if rows | length > 0 else none -%}
    {%- set building = flags.WHICH in ('run', 'build') -%}
    {%- if recorded is not none and recorded != root and building and not flags.FULL_REFRESH -%}
        {{ exceptions.raise_compiler_error(
            "This DuckDB database (" ~ target.path ~ ") was built from flow_logs_root '"
            ~ recorded ~ "', not '" ~ root ~ "': building another root into it would mix "
            ~ "the two. Rebuild it from the new root with --full-refresh, or build into "
            ~ "another file: DBT_DUCKDB_PATH=another.duckdb dbt build ...") }}
    {%- endif -%}
    {%- if building and recorded != root -%}
        {%- call statement('vpc_flow_logs_record_root', auto_begin=false) -%}
            delete from {{ recorded_relation }};
            insert into {{ recorded_relation }}
            values ({{ vpc_flow_logs.sql_string(root) }}, cast(current_timestamp as timestamp));
        {%- endcall -%}
    {%- endif -%}
{% endmacro %}
