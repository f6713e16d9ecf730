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
        {{ vpc_flow_logs.finding_columns(interface_id='interface_id', flows='skipdata_records') }},
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
