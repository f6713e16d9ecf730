{#- ISO day of week of a date: 1 = Monday ... 7 = Sunday. -#}
{% macro iso_day_of_week(date_expression) %}
    {{ return(adapter.dispatch('iso_day_of_week', 'vpc_flow_logs')(date_expression)) }}
{% endmacro %}

{% macro default__iso_day_of_week(date_expression) -%}
    {{ vpc_flow_logs.unsupported_adapter('iso_day_of_week') }}
{%- endmacro %}

{#- Trino: day_of_week is ISO (1 = Monday). https://trino.io/docs/current/functions/datetime.html#day_of_week -#}
{% macro athena__iso_day_of_week(date_expression) -%}
    day_of_week({{ date_expression }})
{%- endmacro %}

{#- DuckDB: isodow is ISO (1 = Monday). https://duckdb.org/docs/sql/functions/datepart -#}
{% macro duckdb__iso_day_of_week(date_expression) -%}
    isodow({{ date_expression }})
{%- endmacro %}
