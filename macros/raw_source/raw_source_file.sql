{#- The object key or path a raw line came from. -#}
{% macro raw_source_file() %}
    {{ return(adapter.dispatch('raw_source_file', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__raw_source_file() -%}
    {{ vpc_flow_logs.unsupported_adapter('raw_source_file') }}
{%- endmacro %}

{#- Athena's hidden column "$path": the S3 URI of the object. -#}
{% macro athena__raw_source_file() -%}
    "$path"
{%- endmacro %}

{#- The DuckDB view carries the path read_csv reports. -#}
{% macro duckdb__raw_source_file() -%}
    source_file
{%- endmacro %}
