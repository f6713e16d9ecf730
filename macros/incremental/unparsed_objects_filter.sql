{#-
    The predicate on the raw source that keeps only objects not parsed yet, so each
    delivered object is parsed once; `true` on a first run or full refresh.
    Objects that land late in an older folder are new objects too.
-#}
{% macro unparsed_objects_filter() %}
    {%- if not execute or not is_incremental() -%}
        {{ return('true') }}
    {%- endif -%}
    {{ return(adapter.dispatch('unparsed_objects_filter', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__unparsed_objects_filter() %}
    {{ vpc_flow_logs.unsupported_adapter('unparsed_objects_filter') }}
{% endmacro %}

{#-
    DuckDB: the file inventory lists every object (late ones in old folders too):
    the readable ones whose path is not in the table yet, as literal lists of paths
    and of their delivery days, so the raw view opens those files only.
-#}
{% macro duckdb__unparsed_objects_filter() %}
    {%- set inventory = vpc_flow_logs.raw_flow_logs_relation(var('raw_flow_logs_table') ~ '__files') -%}
    {%- set sql -%}
        select date_partition, path
        from ({{ vpc_flow_logs.readable_files_sql(inventory) }}) as readable
        where path not in (select distinct source_file from {{ this }})
        order by date_partition, path
    {%- endset -%}
    {%- set rows = run_query(sql).rows -%}
    {%- if rows | length == 0 -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set days = rows | map(attribute=0) | unique | list -%}
    {%- set paths = rows | map(attribute=1) | list -%}
    {%- set predicate -%}
        date_partition in ({% for day in days %}{{ vpc_flow_logs.sql_string(day) }}{{ ', ' if not loop.last }}{% endfor %})
        and source_file in ({% for path in paths %}{{ vpc_flow_logs.sql_string(path) }}{{ ', ' if not loop.last }}{% endfor %})
    {%- endset -%}
    {{ return(predicate) }}
{% endmacro %}

{#-
    Athena: the delivery folders from the latest parsed one minus var
    raw_lookback_days (objects still landing in them; projected partitions pruned),
    minus the objects already parsed there ("$path" against the table's source_file).
-#}
{% macro athena__unparsed_objects_filter() %}
    {%- set lookback = var('raw_lookback_days') | int -%}
    {%- if lookback < 0 -%}
        {{ exceptions.raise_compiler_error("var raw_lookback_days must be >= 0, not " ~ lookback) }}
    {%- endif -%}
    {%- set latest = vpc_flow_logs.latest_day(this, 'delivery_date') -%}
    {%- if latest is none -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set first = latest - modules.datetime.timedelta(days=lookback) -%}
    {%- set predicate -%}
        date_partition >= '{{ first.strftime('%Y/%m/%d') }}'
        and {{ vpc_flow_logs.raw_source_file() }} not in (
            select source_file from {{ this }}
            where delivery_date >= {{ vpc_flow_logs.date_literal(first) }}
        )
    {%- endset -%}
    {{ return(predicate) }}
{% endmacro %}
