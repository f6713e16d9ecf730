{#-
    The synthetic header line of a Parquet object with `columns`: each column's flow log
    field name (AWS names the columns after the fields with `_` for `-`), joined by one
    space, as a SQL string literal. The plugin's `parquet_field_name` is the same rule.
-#}
{% macro parquet_header(columns) -%}
    {%- set names = [] -%}
    {%- for column in columns -%}
        {%- do names.append(modules.re.sub('[^a-z0-9-]', '-', column | lower | replace('_', '-'))) -%}
    {%- endfor -%}
    {{ vpc_flow_logs.sql_string(names | join(' ')) }}
{%- endmacro %}
