{#- `flow_logs_root` without a trailing slash. -#}
{% macro flow_logs_root() %}
    {%- set root = var('flow_logs_root') | string | trim -%}
    {%- if root == '' -%}
        {{ exceptions.raise_compiler_error("var flow_logs_root is empty: set it to the folder or s3:// prefix that contains AWSLogs/.") }}
    {%- endif -%}
    {%- if root.endswith('/AWSLogs') or root.endswith('/AWSLogs/') -%}
        {{ exceptions.raise_compiler_error("var flow_logs_root must be the folder that CONTAINS AWSLogs/, not AWSLogs itself: " ~ root) }}
    {%- endif -%}
    {{ return(root.rstrip('/')) }}
{% endmacro %}
