{#- A UTC timestamp without time zone as unix seconds (bigint). -#}
{% macro timestamp_to_epoch(timestamp_expression) %}
    {{ return(adapter.dispatch('timestamp_to_epoch', 'vpc_flow_logs')(timestamp_expression)) }}
{% endmacro %}

{% macro default__timestamp_to_epoch(timestamp_expression) -%}
    {{ vpc_flow_logs.unsupported_adapter('timestamp_to_epoch') }}
{%- endmacro %}

{#-
    Trino: to_unixtime(timestamp) -> double; a timestamp without zone is read as UTC
    (Athena's session zone). https://trino.io/docs/current/functions/datetime.html#to_unixtime
-#}
{% macro athena__timestamp_to_epoch(timestamp_expression) -%}
    cast(floor(to_unixtime({{ timestamp_expression }})) as bigint)
{%- endmacro %}

{#- DuckDB: epoch(timestamp) -> seconds. https://duckdb.org/docs/sql/functions/timestamp#epochtimestamp -#}
{% macro duckdb__timestamp_to_epoch(timestamp_expression) -%}
    cast(floor(epoch({{ timestamp_expression }})) as bigint)
{%- endmacro %}
