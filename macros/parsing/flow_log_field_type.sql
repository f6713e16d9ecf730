{#-
    The SQL type of a field's typed column (what `parse_flow_log_field` returns for
    its kind); the same names on DuckDB and Trino.
-#}
{% macro flow_log_field_type(spec) -%}
    {%- if spec.kind == 'int' -%}
        integer
    {%- elif spec.kind in ('bigint', 'epoch') -%}
        bigint
    {%- else -%}
        varchar
    {%- endif -%}
{%- endmacro %}
