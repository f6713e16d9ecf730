{#- The hour partition column of the raw source (NULL for daily folders). -#}
{% macro raw_hour_partition() %}
    {{ return(adapter.dispatch('raw_hour_partition', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__raw_hour_partition() -%}
    {{ vpc_flow_logs.unsupported_adapter('raw_hour_partition') }}
{%- endmacro %}

{#- Athena: the table has an hour partition under projection of the hourly layout only. -#}
{% macro athena__raw_hour_partition() -%}
    {%- if vpc_flow_logs.flow_logs_layout() == 'hourly' -%}
        hour_partition
    {%- else -%}
        cast(null as varchar)
    {%- endif -%}
{%- endmacro %}

{#- DuckDB: the view reads the hour from each object's key (NULL in daily folders). -#}
{% macro duckdb__raw_hour_partition() -%}
    hour_partition
{%- endmacro %}
