{#- Quote a value for a Hive DDL string literal (single quotes doubled are not Hive). -#}
{% macro hive_string(value) -%}
    {%- set text = value | string -%}
    {%- if "'" in text or '\\' in text -%}
        {{ exceptions.raise_compiler_error("Value not allowed in table DDL (quote or backslash): " ~ text) }}
    {%- endif -%}
    '{{ text }}'
{%- endmacro %}
