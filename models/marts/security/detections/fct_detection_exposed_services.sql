{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_detection_exposed_services',
    ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'bytes', 'start', 'end', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with settings as (
    select
        detection_id,
        threshold
    from {{ ref('detections') }}
    where detection_id in ('exposed_admin_port', 'exposed_database_port')
),

exposed_ports as (
    select
        port,
        protocol,
        service_name,
        case category
            when 'admin' then 'exposed_admin_port'
            else 'exposed_database_port'
        end as detection_id
    from {{ ref('well_known_ports') }}
    where category in ('admin', 'database')
),

accepted as (
    select
        account_id,
        region,
        srcaddr,
        dstaddr,
        dstport,
        protocol,
        bytes,
        start_time,
        end_time,
        event_date
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and action = 'ACCEPT'
        and not srcaddr_is_private
        and not is_trusted_source
        and not is_likely_response
        and dstaddr is not null
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

per_day as (
    select
        exposed_ports.detection_id,
        accepted.event_date,
        accepted.account_id,
        accepted.srcaddr,
        accepted.dstaddr,
        accepted.dstport,
        accepted.protocol,
        max(exposed_ports.service_name) as service_name,
        max(accepted.region) as region,
        count(*) as flows,
        {{ vpc_flow_logs.sum_decimal('accepted.bytes') }} as bytes,
        min(accepted.start_time) as first_seen_at,
        max(accepted.end_time) as last_seen_at
    from accepted
    inner join exposed_ports
        on
            accepted.dstport = exposed_ports.port
            and accepted.protocol = exposed_ports.protocol
    group by
        exposed_ports.detection_id,
        accepted.event_date,
        accepted.account_id,
        accepted.srcaddr,
        accepted.dstaddr,
        accepted.dstport,
        accepted.protocol
),

findings as (
    select per_day.*
    from per_day
    inner join settings
        on per_day.detection_id = settings.detection_id
    where per_day.flows >= settings.threshold
),

final as (
    select
        cast(detection_id as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['event_date', 'account_id', 'srcaddr', 'dstaddr',
                'dstport', 'protocol']) }} as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(
            srcaddr='srcaddr',
            dstaddr='dstaddr',
            dstport='dstport',
            protocol='protocol',
            bytes='bytes'
        ) }},
        cast(
            'Public source ' || srcaddr || ' had ' || cast(flows as varchar)
            || ' connection(s) ACCEPTed on ' || service_name || ' ('
            || dstaddr || ':' || cast(dstport as varchar)
            || '): the port is reachable from the internet.' as varchar
        ) as evidence,
        cast(event_date as date) as event_date
    from findings
)

select * from final
