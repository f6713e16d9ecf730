{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_detection_unusual_ip_protocols',
    ['srcaddr', 'dstaddr', 'protocol', 'bytes', 'start', 'end']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with settings as (
    select threshold
    from {{ ref('detections') }}
    where detection_id = 'unusual_ip_protocol'
),

unusual as (
    select
        account_id,
        region,
        srcaddr,
        dstaddr,
        protocol,
        protocol_name,
        action,
        bytes,
        start_time,
        end_time,
        event_date
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and protocol is not null
        and protocol not in (1, 6, 17, 58)
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

per_day as (
    select
        event_date,
        account_id,
        srcaddr,
        dstaddr,
        protocol,
        max(protocol_name) as protocol_name,
        max(region) as region,
        count(*) as flows,
        sum(case when action = 'ACCEPT' then 1 else 0 end) as accepted_flows,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as bytes,
        min(start_time) as first_seen_at,
        max(end_time) as last_seen_at
    from unusual
    group by event_date, account_id, srcaddr, dstaddr, protocol
),

findings as (
    select per_day.*
    from per_day
    cross join settings
    where per_day.flows >= settings.threshold
),

final as (
    select
        cast('unusual_ip_protocol' as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['event_date', 'account_id', 'srcaddr', 'dstaddr',
                'protocol']) }} as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(
            srcaddr='srcaddr',
            dstaddr='dstaddr',
            protocol='protocol',
            bytes='bytes'
        ) }},
        cast(
            cast(flows as varchar) || ' flow record(s) (' || cast(accepted_flows as varchar)
            || ' ACCEPTed) from ' || coalesce(srcaddr, '-') || ' to ' || coalesce(dstaddr, '-')
            || ' over IP protocol ' || cast(protocol as varchar)
            || coalesce(' (' || protocol_name || ')', '')
            || ', not TCP, UDP, ICMP or ICMPv6.' as varchar
        ) as evidence,
        cast(event_date as date) as event_date
    from findings
)

select * from final
