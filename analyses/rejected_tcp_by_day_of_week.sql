-- REJECTed TCP flow records by day of week (1 = Monday ... 7 = Sunday, ISO).
with rejected_tcp as (
    select
        event_date,
        flows
    from {{ ref('fct_traffic_daily') }}
    where action = 'REJECT' and protocol = 6
),

final as (
    select
        {{ vpc_flow_logs.iso_day_of_week('event_date') }} as day_of_week,
        sum(flows) as rejected_flows
    from rejected_tcp
    group by {{ vpc_flow_logs.iso_day_of_week('event_date') }}
)

select * from final
order by day_of_week
