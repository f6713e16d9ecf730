-- DuckDB: the file inventory that `prepare_raw_source` maintains with the project's
-- dbt-duckdb plugin (lines and bytes counted independently of the SQL reader), with
-- duplicate deliveries flagged. Enabled on DuckDB only (dbt_project.yml); the Athena
-- model of the same name is in ../athena/.
with inventory as (
    select
        path,
        status,
        reason,
        size_bytes,
        line_count,
        line_bytes,
        content_md5,
        name_hash,
        account_partition,
        region_partition,
        date_partition,
        coalesce(file_format, 'text') as file_format,
        coalesce(key_layout, 'default') as key_layout,
        inspected_at
    from {{ source('vpc_flow_logs', 'raw_flow_log_files') }}
),

-- The same object delivered twice: same name hash and identical content. The copy
-- inventoried first (then path order) is read (`readable_files_sql`), the others are duplicates.
copies as (
    select
        *,
        case
            when status = 'ok'
                then row_number() over (
                    partition by status, name_hash, content_md5 order by inspected_at, path
                )
        end as copy_number,
        case
            when status = 'ok'
                then first_value(path) over (
                    partition by status, name_hash, content_md5 order by inspected_at, path
                )
        end as first_copy
    from inventory
),

final as (
    select
        path as source_file,
        status,
        reason,
        size_bytes,
        line_count as lines_read,
        line_bytes as bytes_read,
        content_md5,
        coalesce(copy_number > 1, false) as is_duplicate,
        case when copy_number > 1 then first_copy end as duplicate_of,
        account_partition,
        region_partition,
        date_partition,
        file_format,
        key_layout
    from copies
)

select * from final
