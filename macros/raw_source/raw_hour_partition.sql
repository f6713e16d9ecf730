{#- The hour partition column of the raw source, NULL for the daily layout. -#}
{% macro raw_hour_partition() -%}
    {%- if vpc_flow_logs.flow_logs_layout() == 'hourly' -%}
        hour_partition
    {%- else -%}
        cast(null as varchar)
    {%- endif -%}
{%- endmacro %}
