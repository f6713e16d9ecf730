{#-
    A Parquet row as a flow log text line: the values of `columns` (the object's column
    names, in its column order) joined by one space, NULL written `-` as AWS writes a
    missing field, integers in decimal. Staging then parses it as any text line, after
    the object's synthetic header (`parquet_header`). The plugin counts the same lines
    (`parquet_line_sql` in vpc_flow_logs/duckdb_plugin.py) for the reconciliation.
    `concat_ws`, `coalesce` and `cast(... as varchar)` are the same on both engines.
-#}
{% macro parquet_line(columns) -%}
    concat_ws(' ',
        {%- for column in columns %}
        coalesce(cast({{ adapter.quote(column) }} as varchar), '-'){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
