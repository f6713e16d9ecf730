{#- Split a string on single spaces into an array (1-based). -#}
{% macro split_fields(string) %}
    {{ return(adapter.dispatch('split_fields', 'vpc_flow_logs')(string)) }}
{% endmacro %}

{% macro default__split_fields(string) -%}
    split({{ string }}, ' ')
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/text#string_splitstring-separator -#}
{% macro duckdb__split_fields(string) -%}
    string_split({{ string }}, ' ')
{%- endmacro %}


{#- Number of elements of an array. -#}
{% macro array_size(array) %}
    {{ return(adapter.dispatch('array_size', 'vpc_flow_logs')(array)) }}
{% endmacro %}

{% macro default__array_size(array) -%}
    cardinality({{ array }})
{%- endmacro %}

{% macro duckdb__array_size(array) -%}
    len({{ array }})
{%- endmacro %}


{#- Element at a 1-based position; NULL when the position is NULL or out of range. -#}
{% macro array_element(array, position) %}
    {{ return(adapter.dispatch('array_element', 'vpc_flow_logs')(array, position)) }}
{% endmacro %}

{#- Trino's element_at fails on index 0: positions here are NULL or >= 1. -#}
{% macro default__array_element(array, position) -%}
    element_at({{ array }}, {{ position }})
{%- endmacro %}

{% macro duckdb__array_element(array, position) -%}
    list_extract({{ array }}, {{ position }})
{%- endmacro %}


{#- 1-based position of `value` in `array`, NULL when absent. -#}
{% macro array_position(array, value) %}
    {{ return(adapter.dispatch('array_position', 'vpc_flow_logs')(array, value)) }}
{% endmacro %}

{#- Trino's array_position returns 0 when the element is absent. -#}
{% macro default__array_position(array, value) -%}
    nullif(array_position({{ array }}, {{ value }}), 0)
{%- endmacro %}

{% macro duckdb__array_position(array, value) -%}
    list_position({{ array }}, {{ value }})
{%- endmacro %}
