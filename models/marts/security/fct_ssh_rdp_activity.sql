{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_ssh_rdp_activity',
    ['interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes',
     'start', 'end', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with remote_access as (
    select
        event_date,
        account_id,
        coalesce(interface_id, '-') as interface_id,
        coalesce(srcaddr, '-') as srcaddr,
        coalesce(dstaddr, '-') as dstaddr,
        case when dstport in (22, 3389) then dstport else srcport end as service_port,
        not coalesce(dstport in (22, 3389), false) as is_response,
        coalesce(action, '-') as action,
        packets,
        bytes,
        start_time,
        end_time,
        is_trusted_source
    from {{ ref('int_flows_enriched') }}
    where
        protocol = 6
        and is_flow_record
        and not is_transit_gateway_record
        and (dstport in (22, 3389) or srcport in (22, 3389))
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(interface_id as varchar) as interface_id,
        cast(srcaddr as varchar) as srcaddr,
        cast(dstaddr as varchar) as dstaddr,
        cast(service_port as integer) as service_port,
        cast(case service_port when 22 then 'ssh' else 'rdp' end as varchar) as service,
        cast(is_response as boolean) as is_response,
        cast(action as varchar) as action,
        cast(count(*) as bigint) as flows,
        {{ vpc_flow_logs.sum_decimal('packets') }} as packets,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as bytes,
        cast(min(start_time) as timestamp) as first_seen_at,
        cast(max(end_time) as timestamp) as last_seen_at,
        cast(bool_or(is_trusted_source) as boolean) as is_trusted_source,
        cast(event_date as date) as event_date
    from remote_access
    group by event_date, account_id, interface_id, srcaddr, dstaddr, service_port, is_response, action
)

select * from final
