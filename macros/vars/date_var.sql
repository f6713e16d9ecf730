{#- A date var in YYYY-MM-DD form, as a date object; none when the var is null. -#}
{% macro date_var(name) %}
    {%- set value = var(name, none) -%}
    {%- if value is none or value == '' -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a date YYYY-MM-DD, not '" ~ text ~ "'.") }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
    {{ return(parsed.date()) }}
{% endmacro %}
