{#-
    A nested record (Athena/Trino ROW, DuckDB STRUCT) with named, typed fields.
    `fields` is a list of `[name, sql_expression, sql_type]` for a scalar field, or
    `[name, fields]` for a nested record (any depth). Field names must be plain
    identifiers; types are portable names (varchar, integer, bigint, boolean...).
    Read a field back with `column.field` on both engines.
-#}
{% macro struct_of(fields) %}
    {{ return(adapter.dispatch('struct_of', 'vpc_flow_logs')(fields)) }}
{% endmacro %}

{#-
    Portable: `cast(row(v1, v2) as row(name1 type1, name2 type2))` names the fields
    on Trino (a bare `row(...)` has anonymous ones,
    https://trino.io/docs/current/language/types.html#row), and DuckDB reads the same
    text as a STRUCT (`row(...)` builds an unnamed struct, the cast names it:
    https://duckdb.org/docs/sql/data_types/struct#creating-structs-with-the-row-function).
-#}
{% macro default__struct_of(fields) -%}
    {%- set values = [] -%}
    {%- for field in fields -%}
        {%- if field | length == 2 -%}
            {%- do values.append(vpc_flow_logs.default__struct_of(field[1])) -%}
        {%- else -%}
            {%- do values.append('cast(' ~ field[1] ~ ' as ' ~ field[2] ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    cast(row({{ values | join(', ') }}) as {{ vpc_flow_logs.struct_of_type(fields) }})
{%- endmacro %}
