{#-
    The field specs (`flow_log_field_specs`) that the header lines of the objects a
    run parses can name, known before the parse query runs: the parse extracts,
    types and validates only those; every other field column is NULL, as it would be
    anyway (a field no header names has no position). `objects` is the predicate on
    the raw source that selects the run's objects.
    Every spec at parse time, in unit tests (their rows are not in the raw source),
    before the raw source exists (compiled outside a run) and on Athena (see the
    dispatched macros).
-#}
{% macro present_flow_log_fields(objects) %}
    {%- set specs = vpc_flow_logs.flow_log_field_specs() -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(specs) }}
    {%- endif -%}
    {{ return(adapter.dispatch('present_flow_log_fields', 'vpc_flow_logs')(specs, objects)) }}
{% endmacro %}

{% macro default__present_flow_log_fields(specs, objects) %}
    {{ vpc_flow_logs.unsupported_adapter('present_flow_log_fields') }}
{% endmacro %}

{#-
    Athena bills the gzip text scanned, whatever the number of fields extracted, and
    a second query for the header lines would scan that text again: every field.
-#}
{% macro athena__present_flow_log_fields(specs, objects) %}
    {{ return(specs) }}
{% endmacro %}

{#-
    DuckDB: the names in the distinct header lines of the run's objects (one pass
    over their text, before the parse query; the files are in the page cache after).
-#}
{% macro duckdb__present_flow_log_fields(specs, objects) %}
    {%- set raw = source('vpc_flow_logs', 'raw_flow_logs') -%}
    {#- Compiled outside a run (linters, docs): the raw view is made by on-run-start. -#}
    {%- if adapter.get_relation(raw.database, raw.schema, raw.identifier) is none -%}
        {{ return(specs) }}
    {%- endif -%}
    {%- set sql -%}
        select distinct unnest({{ vpc_flow_logs.split_fields('line') }}) as name
        from {{ vpc_flow_logs.raw_flow_logs_lines(raw) }}
        where ({{ objects }})
            and {{ vpc_flow_logs.flow_log_header_condition('line') }}
    {%- endset -%}
    {%- set names = run_query(sql).columns[0].values() | list -%}
    {{ return(specs | selectattr('name', 'in', names) | list) }}
{% endmacro %}
