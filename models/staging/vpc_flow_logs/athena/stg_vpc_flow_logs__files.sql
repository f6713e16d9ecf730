-- Athena: the objects that produced lines. S3 holds no line counts to compare with,
-- so every object is `ok` and the counts are NULL. Enabled on Athena only
-- (dbt_project.yml); the DuckDB model of the same name is in ../duckdb/.
with objects as (
    select distinct
        source_file,
        account_partition,
        region_partition,
        date_partition
    from {{ ref('base_vpc_flow_logs__lines') }}
),

final as (
    select
        source_file,
        cast('ok' as varchar) as status,
        cast(null as varchar) as reason,
        cast(null as bigint) as size_bytes,
        cast(null as bigint) as lines_read,
        cast(null as bigint) as bytes_read,
        cast(null as varchar) as content_md5,
        false as is_duplicate,
        cast(null as varchar) as duplicate_of,
        account_partition,
        region_partition,
        date_partition,
        cast({{ vpc_flow_logs.sql_string(vpc_flow_logs.flow_logs_file_format()) }} as varchar) as file_format,
        cast({{ vpc_flow_logs.sql_string(vpc_flow_logs.flow_logs_prefixes()) }} as varchar) as key_layout
    from objects
)

select * from final
