{#-
    Readable files with lines, one row per (delivery day, path), with the reason to
    read a normalized copy (NULL: read the object), the file format (text, parquet)
    and, for Parquet, the object's columns (a JSON array). An object delivered twice under
    different keys with identical content and the same name hash is read once: the
    copy inventoried first (then the first key in path order), so a copy arriving
    later never displaces one already parsed.
-#}
{% macro readable_files_sql(inventory) -%}
    select date_partition, path, normalized_reason, file_format, parquet_columns
    from (
        select
            date_partition,
            path,
            normalized_reason,
            coalesce(file_format, 'text') as file_format,
            parquet_columns,
            row_number() over (
                partition by name_hash, content_md5 order by inspected_at, path
            ) as copy_number
        from {{ inventory }}
        where status = 'ok' and line_count > 0
    )
    where copy_number = 1
    order by date_partition, path
{%- endmacro %}
