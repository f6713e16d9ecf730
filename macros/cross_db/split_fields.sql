{#- Split a string on single spaces into an array (1-based). -#}
{% macro split_fields(string) %}
    {{ return(adapter.dispatch('split_fields', 'vpc_flow_logs')(string)) }}
{% endmacro %}

{% macro default__split_fields(string) -%}
    {{ vpc_flow_logs.unsupported_adapter('split_fields') }}
{%- endmacro %}

{#- Trino: https://trino.io/docs/current/functions/string.html#split -#}
{% macro athena__split_fields(string) -%}
    split({{ string }}, ' ')
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/text#string_splitstring-separator -#}
{% macro duckdb__split_fields(string) -%}
    string_split({{ string }}, ' ')
{%- endmacro %}
