with files as (
    select
        source_file,
        status,
        reason,
        is_duplicate,
        duplicate_of,
        account_partition,
        region_partition,
        date_partition,
        size_bytes,
        lines_read,
        bytes_read
    from {{ ref('stg_vpc_flow_logs__files') }}
),

lines as (
    select
        source_file,
        count(*) as lines_accounted,
        sum(case when is_header then 1 else 0 end) as header_lines,
        sum(case when not is_header and malformed_reason is null then 1 else 0 end)
            as staged_records,
        sum(case when malformed_reason is not null then 1 else 0 end) as malformed_lines,
        sum(line_length) as bytes_accounted
    from {{ ref('base_vpc_flow_logs__lines') }}
    group by source_file
),

final as (
    select
        cast(files.source_file as varchar) as source_file,
        cast(files.status as varchar) as status,
        cast(files.reason as varchar) as reason,
        cast(files.is_duplicate as boolean) as is_duplicate,
        cast(files.duplicate_of as varchar) as duplicate_of,
        cast(files.account_partition as varchar) as account_partition,
        cast(files.region_partition as varchar) as region_partition,
        cast(files.date_partition as varchar) as date_partition,
        cast(files.size_bytes as bigint) as size_bytes,
        cast(files.lines_read as bigint) as lines_read,
        cast(coalesce(lines.lines_accounted, 0) as bigint) as lines_accounted,
        cast(coalesce(lines.header_lines, 0) as bigint) as header_lines,
        cast(coalesce(lines.staged_records, 0) as bigint) as staged_records,
        cast(coalesce(lines.malformed_lines, 0) as bigint) as malformed_lines,
        cast(files.bytes_read as bigint) as bytes_read,
        cast(coalesce(lines.bytes_accounted, 0) as bigint) as bytes_accounted,
        cast(
            case
                when files.status <> 'ok' or files.is_duplicate
                    then coalesce(lines.lines_accounted, 0) = 0
                when files.lines_read is null then true
                else
                    files.lines_read = coalesce(lines.lines_accounted, 0)
                    and files.bytes_read = coalesce(lines.bytes_accounted, 0)
            end as boolean
        ) as is_reconciled
    from files
    left join lines
        on files.source_file = lines.source_file
)

select * from final
