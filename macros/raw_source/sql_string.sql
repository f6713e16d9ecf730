{#- A SQL string literal (single quotes doubled). -#}
{% macro sql_string(value) -%}
    '{{ (value | string).replace("'", "''") }}'
{%- endmacro %}
