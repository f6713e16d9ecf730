-- Top 10 IPs by bytes sent and received.
with traffic as (
    select
        ip,
        total_bytes
    from {{ ref('fct_bytes_per_ip') }}
),

final as (
    select
        ip,
        sum(total_bytes) as total_bytes
    from traffic
    group by ip
)

select * from final
order by total_bytes desc, ip asc
limit 10
