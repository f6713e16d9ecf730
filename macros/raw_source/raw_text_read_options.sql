{#-
    DuckDB: the `read_csv` options that read a gzip text object one line per row, as
    Athena's text reader does: no delimiter, quote, escape or comment character, no
    header, invalid UTF-8 not an error, no columns from Hive-compatible `key=value`
    folders. `filename = true` adds the path column.
-#}
{% macro raw_text_read_options(filename=true) -%}
    columns = {'line': 'VARCHAR'},
    header = false,
    auto_detect = false,
    delim = '\x1f',
    quote = '',
    escape = '',
    comment = '',
    compression = 'gzip',
    strict_mode = false,
    encoding = 'utf-8',
    hive_partitioning = false{% if filename %},
    filename = true{% endif %}
{%- endmacro %}
