with lines as (
    select * from {{ ref('base_vpc_flow_logs__lines') }}
),

final as (
    select
        source_file,
        account_partition,
        region_partition,
        date_partition,
        hour_partition,
        delivery_date,
        raw_line,
        malformed_reason as reason
    from lines
    where malformed_reason is not null
)

select * from final
