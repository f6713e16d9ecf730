{#-
    A nested record (DuckDB STRUCT, Athena/Trino ROW) with named, typed fields.
    `fields` is a list of `[name, sql_expression, sql_type]` for a scalar field, or
    `[name, fields]` for a nested record (any depth). Field names must be plain
    identifiers; types are portable names (varchar, integer, bigint, boolean...).
    Read a field back with `column.field` on both engines.
-#}
{% macro struct_of(fields) %}
    {{ return(adapter.dispatch('struct_of', 'vpc_flow_logs')(fields)) }}
{% endmacro %}

{% macro default__struct_of(fields) -%}
    {{ vpc_flow_logs.unsupported_adapter('struct_of') }}
{%- endmacro %}

{#-
    Trino: `cast(row(v1, v2) as row(name1 type1, name2 type2))` names the fields
    (a bare `row(...)` has anonymous ones). https://trino.io/docs/current/language/types.html#row
-#}
{% macro athena__struct_of(fields) -%}
    {%- set values = [] -%}
    {%- for field in fields -%}
        {%- if field | length == 2 -%}
            {%- do values.append(vpc_flow_logs.athena__struct_of(field[1])) -%}
        {%- else -%}
            {%- do values.append('cast(' ~ field[1] ~ ' as ' ~ field[2] ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    cast(row({{ values | join(', ') }}) as {{ vpc_flow_logs.athena__struct_of_type(fields) }})
{%- endmacro %}

{#- The Trino type `row(name type, ...)` of `fields` (nested rows spelled out). -#}
{% macro athena__struct_of_type(fields) -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- if field | length == 2 -%}
            {%- do parts.append(field[0] ~ ' ' ~ vpc_flow_logs.athena__struct_of_type(field[1])) -%}
        {%- else -%}
            {%- do parts.append(field[0] ~ ' ' ~ field[2]) -%}
        {%- endif -%}
    {%- endfor -%}
    row({{ parts | join(', ') }})
{%- endmacro %}

{#- DuckDB: `struct_pack(name := value, ...)`. https://duckdb.org/docs/sql/data_types/struct -#}
{% macro duckdb__struct_of(fields) -%}
    {%- set parts = [] -%}
    {%- for field in fields -%}
        {%- if field | length == 2 -%}
            {%- do parts.append(field[0] ~ ' := ' ~ vpc_flow_logs.duckdb__struct_of(field[1])) -%}
        {%- else -%}
            {%- do parts.append(field[0] ~ ' := cast(' ~ field[1] ~ ' as ' ~ field[2] ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    struct_pack({{ parts | join(', ') }})
{%- endmacro %}
