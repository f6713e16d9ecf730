{#-
    pre-hook of day-partitioned models: before an incremental run inserts its
    window, removes every day of the window from the table, so that days whose new
    result is empty are replaced too (insert_overwrite and delete+insert only
    replace the days present in the new rows). The day column is the model's
    `unique_key`. The parsed lines (append-only) are cleared only for a backfill.
-#}
{% macro replace_rebuilt_days() %}
    {%- if not execute or config.get('materialized') != 'incremental' or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- if model.unique_id == 'model.vpc_flow_logs.base_vpc_flow_logs__lines' -%}
        {%- set window = vpc_flow_logs.backfill_window() -%}
        {%- if not window.is_forced -%}{{ return('') }}{%- endif -%}
        {%- set window = {'start': window.start, 'end': window.end, 'days': none} -%}
    {%- else -%}
        {%- set window = vpc_flow_logs.rebuild_window() -%}
    {%- endif -%}
    {%- if window.days is not none and window.days | length == 0 -%}
        {{ return('') }}
    {%- endif -%}
    {{ return(adapter.dispatch('replace_rebuilt_days', 'vpc_flow_logs')(config.get('unique_key'), window)) }}
{% endmacro %}

{% macro default__replace_rebuilt_days(day_column, window) %}
    {{ vpc_flow_logs.unsupported_adapter('replace_rebuilt_days') }}
{% endmacro %}

{#- DuckDB: one delete in the model's transaction. -#}
{% macro duckdb__replace_rebuilt_days(day_column, window) %}
    {{ return('delete from ' ~ this ~ ' where ' ~ vpc_flow_logs.window_filter(day_column, window)) }}
{% endmacro %}

{#-
    Athena: dbt-athena's clean_up_partitions deletes the matching Glue partitions
    and their S3 objects (the helper its insert_overwrite uses for the partitions
    present in the new rows). Conditions are Glue partition expressions.
-#}
{% macro athena__replace_rebuilt_days(day_column, window) %}
    {%- if window.days is not none -%}
        {%- set conditions = [] -%}
        {%- for day in window.days -%}
            {%- do conditions.append(day_column ~ " = '" ~ day.strftime('%Y-%m-%d') ~ "'") -%}
        {%- endfor -%}
    {%- else -%}
        {%- set bounds = [] -%}
        {%- if window.start is not none -%}
            {%- do bounds.append(day_column ~ " >= '" ~ window.start.strftime('%Y-%m-%d') ~ "'") -%}
        {%- endif -%}
        {%- if window.end is not none -%}
            {%- do bounds.append(day_column ~ " < '" ~ window.end.strftime('%Y-%m-%d') ~ "'") -%}
        {%- endif -%}
        {%- set conditions = [bounds | join(' and ') if bounds else day_column ~ " >= '0001-01-01'"] -%}
    {%- endif -%}
    {%- do adapter.clean_up_partitions(this, conditions) -%}
    {{ return('') }}
{% endmacro %}
