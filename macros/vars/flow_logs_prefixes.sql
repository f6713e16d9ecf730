{#- Validated `flow_logs_prefixes` (Athena): default or hive (Hive-compatible S3 prefixes). -#}
{% macro flow_logs_prefixes() %}
    {%- set prefixes = var('flow_logs_prefixes') | string | lower -%}
    {%- if prefixes not in ['default', 'hive'] -%}
        {{ exceptions.raise_compiler_error("var flow_logs_prefixes must be 'default' or 'hive', not '" ~ prefixes ~ "'.") }}
    {%- endif -%}
    {{ return(prefixes) }}
{% endmacro %}
