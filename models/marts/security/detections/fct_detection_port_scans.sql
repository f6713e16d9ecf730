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
        cast(account_id as varchar) as account_id,
        cast(region as varchar) as region,
        cast(null as varchar) as interface_id,
        cast(srcaddr as varchar) as srcaddr,
        cast(null as varchar) as dstaddr,
        cast(null as integer) as dstport,
        cast(null as integer) as protocol,
        cast(window_start as timestamp) as first_seen_at,
        cast(window_end as timestamp) as last_seen_at,
        cast(flows as bigint) as flows,
        cast(null as decimal(38, 0)) as bytes,
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
