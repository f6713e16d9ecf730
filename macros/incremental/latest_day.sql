{#- max(`column`) of `relation` as a python date, none when the relation is empty. -#}
{% macro latest_day(relation, column) %}
    {%- set result = run_query('select cast(max(' ~ column ~ ') as varchar) from ' ~ relation) -%}
    {%- set latest = result.rows[0][0] if result.rows | length > 0 else none -%}
    {%- if latest is not none -%}
        {%- set latest = modules.datetime.datetime.strptime(latest[:10], '%Y-%m-%d').date() -%}
    {%- endif -%}
    {{ return(latest) }}
{% endmacro %}
