{#- 1-based position of `value` in `array`, NULL when absent. -#}
{% macro array_position(array, value) %}
    {{ return(adapter.dispatch('array_position', 'vpc_flow_logs')(array, value)) }}
{% endmacro %}

{% macro default__array_position(array, value) -%}
    {{ vpc_flow_logs.unsupported_adapter('array_position') }}
{%- endmacro %}

{#-
    Trino's array_position returns 0 when the element is absent.
    https://trino.io/docs/current/functions/array.html#array_position
-#}
{% macro athena__array_position(array, value) -%}
    nullif(array_position({{ array }}, {{ value }}), 0)
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/list#list_positionlist-element -#}
{% macro duckdb__array_position(array, value) -%}
    list_position({{ array }}, {{ value }})
{%- endmacro %}
