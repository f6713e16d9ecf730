{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_traffic_daily', ['interface-id', 'packets', 'bytes', 'start', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with flows as (
    select
        event_date,
        account_id,
        region,
        -- A record without an interface (`-`, e.g. some ECS/Fargate records) is counted
        -- under '-', as AWS wrote it: the grain's keys are never NULL.
        coalesce(interface_id, '-') as interface_id,
        action,
        protocol,
        flow_direction,
        packets,
        bytes
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and not is_transit_gateway_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(region as varchar) as region,
        cast(interface_id as varchar) as interface_id,
        cast(action as varchar) as action,
        cast(protocol as integer) as protocol,
        cast(flow_direction as varchar) as flow_direction,
        cast(count(*) as bigint) as flows,
        {{ vpc_flow_logs.sum_decimal('packets') }} as packets,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as bytes,
        cast(event_date as date) as event_date
    from flows
    group by event_date, account_id, region, interface_id, action, protocol, flow_direction
)

select * from final
