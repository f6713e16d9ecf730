{#- Validated `flow_logs_layout`: daily or hourly. -#}
{% macro flow_logs_layout() %}
    {%- set layout = var('flow_logs_layout') | string | lower -%}
    {%- if layout not in ['daily', 'hourly'] -%}
        {{ exceptions.raise_compiler_error("var flow_logs_layout must be 'daily' or 'hourly', not '" ~ layout ~ "'.") }}
    {%- endif -%}
    {{ return(layout) }}
{% endmacro %}
