{#- A SQL date literal for a python date, valid on both engines. -#}
{% macro date_literal(value) -%}
    cast('{{ value.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}
