{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with coverage as (
    select
        account_id,
        region,
        interface_id,
        skipdata_records,
        total_records,
        first_seen_at,
        last_seen_at,
        event_date
    from {{ ref('fct_flow_log_coverage') }}
    where
        skipdata_records > 0
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast('skipdata' as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['event_date', 'account_id', 'interface_id']) }} as varchar
        ) as finding_key,
        cast(account_id as varchar) as account_id,
        cast(region as varchar) as region,
        cast(interface_id as varchar) as interface_id,
        cast(null as varchar) as srcaddr,
        cast(null as varchar) as dstaddr,
        cast(null as integer) as dstport,
        cast(null as integer) as protocol,
        cast(first_seen_at as timestamp) as first_seen_at,
        cast(last_seen_at as timestamp) as last_seen_at,
        cast(skipdata_records as bigint) as flows,
        cast(null as decimal(38, 0)) as bytes,
        cast(
            'Interface ' || interface_id || ' wrote ' || cast(skipdata_records as varchar)
            || ' SKIPDATA record(s) out of ' || cast(total_records as varchar)
            || ': AWS dropped flow records in those capture windows, so detections may miss'
            || ' traffic of this interface.' as varchar
        ) as evidence,
        cast(event_date as date) as event_date
    from coverage
)

select * from final
