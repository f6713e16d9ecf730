{#- True when the bits of `mask` are set in the integer `value`. -#}
{% macro bit_is_set(value, mask) %}
    {{ return(adapter.dispatch('bit_is_set', 'vpc_flow_logs')(value, mask)) }}
{% endmacro %}

{% macro default__bit_is_set(value, mask) -%}
    {{ vpc_flow_logs.unsupported_adapter('bit_is_set') }}
{%- endmacro %}

{#- Trino: https://trino.io/docs/current/functions/bitwise.html#bitwise_and -#}
{% macro athena__bit_is_set(value, mask) -%}
    (bitwise_and({{ value }}, {{ mask }}) = {{ mask }})
{%- endmacro %}

{#- DuckDB: https://duckdb.org/docs/sql/functions/numeric (the & operator) -#}
{% macro duckdb__bit_is_set(value, mask) -%}
    (({{ value }} & {{ mask }}) = {{ mask }})
{%- endmacro %}
