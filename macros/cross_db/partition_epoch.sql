{#- Unix seconds at 00:00 UTC of a 'YYYY/MM/DD' partition value. -#}
{% macro partition_epoch(date_partition) %}
    {{ return(adapter.dispatch('partition_epoch', 'vpc_flow_logs')(date_partition)) }}
{% endmacro %}

{% macro default__partition_epoch(date_partition) -%}
    {{ vpc_flow_logs.unsupported_adapter('partition_epoch') }}
{%- endmacro %}

{#- Trino: https://trino.io/docs/current/functions/datetime.html#date_parse -#}
{% macro athena__partition_epoch(date_partition) -%}
    to_unixtime(cast(date_parse({{ date_partition }}, '%Y/%m/%d') as timestamp))
{%- endmacro %}

{#- DuckDB: https://duckdb.org/docs/sql/functions/dateformat#strptime-examples -#}
{% macro duckdb__partition_epoch(date_partition) -%}
    epoch(cast(strptime({{ date_partition }}, '%Y/%m/%d') as timestamp))
{%- endmacro %}
