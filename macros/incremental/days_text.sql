{#-
    One text value listing the distinct values of a date column, comma-separated
    (order not guaranteed): one row whatever the number of days, so that a window
    query returns a single value on both engines.
-#}
{% macro days_text(column) %}
    {{ return(adapter.dispatch('days_text', 'vpc_flow_logs')(column)) }}
{% endmacro %}

{% macro default__days_text(column) %}
    {{ vpc_flow_logs.unsupported_adapter('days_text') }}
{% endmacro %}

{#- Trino: array_agg then array_join (Trino functions: aggregate, array). -#}
{% macro athena__days_text(column) -%}
    array_join(array_agg(distinct cast({{ column }} as varchar)), ',')
{%- endmacro %}

{% macro duckdb__days_text(column) -%}
    string_agg(distinct cast({{ column }} as varchar), ',')
{%- endmacro %}
