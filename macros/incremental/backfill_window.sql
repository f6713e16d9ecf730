{#-
    The forced window of a backfill, `{'start': date or none, 'end': date or none}`
    (start inclusive, end exclusive), from vars backfill_start_date /
    backfill_end_date; both none on a scheduled run.
-#}
{% macro backfill_window() %}
    {%- set start = vpc_flow_logs.date_var('backfill_start_date') -%}
    {%- set end = vpc_flow_logs.date_var('backfill_end_date') -%}
    {%- if start is not none and end is not none and start >= end -%}
        {{ exceptions.raise_compiler_error("backfill_start_date must be before backfill_end_date (the end is exclusive).") }}
    {%- endif -%}
    {{ return({'start': start, 'end': end, 'is_forced': start is not none or end is not none}) }}
{% endmacro %}
