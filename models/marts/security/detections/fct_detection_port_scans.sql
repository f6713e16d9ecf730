{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with scans as (
    select
        window_start,
        window_end,
        account_id,
        region,
        srcaddr,
        distinct_dst_ports,
        distinct_dst_addrs,
        flows,
        rejected_flows,
        scan_type,
        event_date
    from {{ ref('fct_port_scans') }}
    where {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast('port_scan' as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['account_id', 'srcaddr',
                vpc_flow_logs.timestamp_to_epoch('window_start')]) }} as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(
            srcaddr='srcaddr',
            first_seen_at='window_start',
            last_seen_at='window_end'
        ) }},
        cast(
            'Port scan (' || scan_type || '): ' || srcaddr || ' reached '
            || cast(distinct_dst_ports as varchar) || ' distinct ports on '
            || cast(distinct_dst_addrs as varchar) || ' address(es) in one window ('
            || cast(flows as varchar) || ' flow records, '
            || cast(rejected_flows as varchar) || ' rejected).' as varchar
        ) as evidence,
        cast(event_date as date) as event_date
    from scans
)

select * from final
