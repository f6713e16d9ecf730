-- Top 10 servers by HTTPS packets over the last 7 days of data.
with https as (
    select
        dstaddr,
        packets,
        event_date
    from {{ ref('fct_https_traffic_by_destination') }}
),

latest as (
    select max(event_date) as last_date from https
),

final as (
    select
        https.dstaddr,
        sum(https.packets) as packets
    from https
    cross join latest
    where https.event_date > {{ dbt.dateadd('day', -7, 'latest.last_date') }}
    group by https.dstaddr
)

select * from final
order by packets desc, dstaddr asc
limit 10
