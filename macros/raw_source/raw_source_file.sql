{#- The object key or path a raw line came from. -#}
{% macro raw_source_file() %}
    {{ return(adapter.dispatch('raw_source_file', 'vpc_flow_logs')()) }}
{% endmacro %}

{#- Athena's hidden column "$path": the S3 URI of the object. -#}
{% macro athena__raw_source_file() -%}
    "$path"
{%- endmacro %}

{#- The DuckDB view carries the path read_csv reports. -#}
{% macro default__raw_source_file() -%}
    source_file
{%- endmacro %}


{#- The hour partition column of the raw source, NULL for the daily layout. -#}
{% macro raw_hour_partition() -%}
    {%- if vpc_flow_logs.flow_logs_layout() == 'hourly' -%}
        hour_partition
    {%- else -%}
        cast(null as varchar)
    {%- endif -%}
{%- endmacro %}
