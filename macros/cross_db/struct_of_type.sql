{#-
    The SQL type `row(name type, ...)` of `struct_of` fields, nested records spelled
    out. Portable: Trino's ROW type, which DuckDB reads as STRUCT.
-#}
{% macro struct_of_type(fields) -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- if field | length == 2 -%}
            {%- do parts.append(field[0] ~ ' ' ~ vpc_flow_logs.struct_of_type(field[1])) -%}
        {%- else -%}
            {%- do parts.append(field[0] ~ ' ' ~ field[2]) -%}
        {%- endif -%}
    {%- endfor -%}
    row({{ parts | join(', ') }})
{%- endmacro %}
