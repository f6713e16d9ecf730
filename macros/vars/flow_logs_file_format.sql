{#- Validated `flow_logs_file_format` (Athena): text (gzip text) or parquet. -#}
{% macro flow_logs_file_format() %}
    {%- set file_format = var('flow_logs_file_format') | string | lower -%}
    {%- if file_format not in ['text', 'parquet'] -%}
        {{ exceptions.raise_compiler_error("var flow_logs_file_format must be 'text' or 'parquet', not '" ~ file_format ~ "'.") }}
    {%- endif -%}
    {{ return(file_format) }}
{% endmacro %}
