{#-
    dbt's hook for the `where` config of generic data tests, overridden as dbt's
    documentation shows, to resolve the placeholder `__rebuilt_days__` when the test
    runs (dbt_project.yml sets it on the tests of day-partitioned models): the test
    then checks only the days the model's last run rebuilt (`rebuilt_days_filter`).
    Any other `where` is applied as dbt does.
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where and '__rebuilt_days__' in where -%}
        {%- set where = where | replace('__rebuilt_days__', vpc_flow_logs.rebuilt_days_filter(relation)) -%}
    {%- endif -%}
    {%- if where -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
