-- Top 20 source IPs by rejected requests (all days in the mart).
with rejects as (
    select
        srcaddr,
        rejected_flows,
        distinct_dst_ports
    from {{ ref('fct_rejects_by_source') }}
),

final as (
    select
        srcaddr,
        sum(rejected_flows) as rejected_flows,
        max(distinct_dst_ports) as max_distinct_dst_ports_per_day
    from rejects
    group by srcaddr
)

select * from final
order by rejected_flows desc, srcaddr asc
limit 20
