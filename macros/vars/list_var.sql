{#- A list var (YAML list or comma-separated string), each item matching `pattern`. -#}
{% macro list_var(name, pattern, description) %}
    {%- set value = var(name, []) -%}
    {%- set items = (value.split(',') if value is string else value) | map('string') | map('trim') | reject('equalto', '') | list -%}
    {%- for item in items -%}
        {%- if not modules.re.match(pattern, item) -%}
            {{ exceptions.raise_compiler_error("var " ~ name ~ ": '" ~ item ~ "' is not valid; expected " ~ description ~ ".") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(items) }}
{% endmacro %}
