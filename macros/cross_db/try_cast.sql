{#-
    Cast that yields NULL instead of failing, on every engine. dbt's `safe_cast`
    is a plain `cast` on DuckDB, which would abort a run on one bad value.
-#}
{% macro try_cast(expression, data_type) %}
    {{ return(adapter.dispatch('try_cast', 'vpc_flow_logs')(expression, data_type)) }}
{% endmacro %}

{#- Portable: `try_cast(x as type)` is the same on Trino and DuckDB. -#}
{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}
