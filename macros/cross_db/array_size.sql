{#- Number of elements of an array. -#}
{% macro array_size(array) %}
    {{ return(adapter.dispatch('array_size', 'vpc_flow_logs')(array)) }}
{% endmacro %}

{% macro default__array_size(array) -%}
    {{ vpc_flow_logs.unsupported_adapter('array_size') }}
{%- endmacro %}

{#- Trino: https://trino.io/docs/current/functions/array.html#cardinality -#}
{% macro athena__array_size(array) -%}
    cardinality({{ array }})
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/list#lenlist -#}
{% macro duckdb__array_size(array) -%}
    len({{ array }})
{%- endmacro %}
