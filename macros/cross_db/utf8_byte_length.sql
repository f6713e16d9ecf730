{#- Bytes of a string's UTF-8 encoding (not its characters): the length of a line as the
    file stores it when the file is valid UTF-8, on both engines. -#}
{% macro utf8_byte_length(string) %}
    {{ return(adapter.dispatch('utf8_byte_length', 'vpc_flow_logs')(string)) }}
{% endmacro %}

{% macro default__utf8_byte_length(string) -%}
    {{ vpc_flow_logs.unsupported_adapter('utf8_byte_length') }}
{%- endmacro %}

{#- Trino: https://trino.io/docs/current/functions/binary.html#to_utf8 -#}
{% macro athena__utf8_byte_length(string) -%}
    length(to_utf8({{ string }}))
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/text#strlenstring -#}
{% macro duckdb__utf8_byte_length(string) -%}
    strlen({{ string }})
{%- endmacro %}
