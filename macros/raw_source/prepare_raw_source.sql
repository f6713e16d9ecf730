{#-
    Makes `source('vpc_flow_logs', 'raw_flow_logs')` exist before models run.
    Called from `on-run-start`. Athena: creates the external table when missing.
    DuckDB: refreshes the file inventory and rebuilds the view over the local folder.
-#}
{% macro prepare_raw_source() %}
    {{ return(adapter.dispatch('prepare_raw_source', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__prepare_raw_source() %}
    {{ exceptions.raise_compiler_error(
        "vpc_flow_logs supports the athena and duckdb adapters, not " ~ target.type) }}
{% endmacro %}


{#- The raw source relation, as the sources YAML names it. -#}
{% macro raw_flow_logs_relation(identifier=none) %}
    {{ return(api.Relation.create(
        database=target.database,
        schema=var('raw_schema', target.schema),
        identifier=identifier or var('raw_flow_logs_table'),
        type='table')) }}
{% endmacro %}


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


{#- Validated `flow_logs_layout`: daily or hourly. -#}
{% macro flow_logs_layout() %}
    {%- set layout = var('flow_logs_layout') | string | lower -%}
    {%- if layout not in ['daily', 'hourly'] -%}
        {{ exceptions.raise_compiler_error("var flow_logs_layout must be 'daily' or 'hourly', not '" ~ layout ~ "'.") }}
    {%- endif -%}
    {{ return(layout) }}
{% endmacro %}
