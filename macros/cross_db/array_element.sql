{#- Element at a 1-based position; NULL when the position is NULL or out of range. -#}
{% macro array_element(array, position) %}
    {{ return(adapter.dispatch('array_element', 'vpc_flow_logs')(array, position)) }}
{% endmacro %}

{% macro default__array_element(array, position) -%}
    {{ vpc_flow_logs.unsupported_adapter('array_element') }}
{%- endmacro %}

{#-
    Trino's element_at fails on index 0: positions here are NULL or >= 1.
    https://trino.io/docs/current/functions/array.html#element_at
-#}
{% macro athena__array_element(array, position) -%}
    element_at({{ array }}, {{ position }})
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/list#list_extractlist-index -#}
{% macro duckdb__array_element(array, position) -%}
    list_extract({{ array }}, {{ position }})
{%- endmacro %}
