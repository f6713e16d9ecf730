{#-
    Packets a transit gateway dropped, by reason, per attachment and day: blackhole
    routes, missing routes, MTU and TTL drops are what transit gateway operators
    debug. Reads Transit Gateway flow records only; an attachment that logged traffic
    without losses has a row of zeros, so "no row" means "no records".
-#}
{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with tgw_flows as (
    select
        event_date,
        account_id,
        coalesce(tgw_id, '-') as tgw_id,
        coalesce(tgw_attachment_id, '-') as tgw_attachment_id,
        packets,
        bytes,
        coalesce(packets_lost_no_route, 0) as packets_lost_no_route,
        coalesce(packets_lost_blackhole, 0) as packets_lost_blackhole,
        coalesce(packets_lost_mtu_exceeded, 0) as packets_lost_mtu_exceeded,
        coalesce(packets_lost_ttl_expired, 0) as packets_lost_ttl_expired,
        start_time,
        end_time
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and is_transit_gateway_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

with_totals as (
    select
        *,
        packets_lost_no_route
        + packets_lost_blackhole
        + packets_lost_mtu_exceeded
        + packets_lost_ttl_expired as packets_lost
    from tgw_flows
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(tgw_id as varchar) as tgw_id,
        cast(tgw_attachment_id as varchar) as tgw_attachment_id,
        cast(count(*) as bigint) as flows,
        cast(sum(case when packets_lost > 0 then 1 else 0 end) as bigint) as flows_with_packets_lost,
        cast(coalesce({{ vpc_flow_logs.sum_decimal('packets') }}, 0) as decimal(38, 0)) as packets,
        cast(coalesce({{ vpc_flow_logs.sum_decimal('bytes') }}, 0) as decimal(38, 0)) as bytes,
        {{ vpc_flow_logs.sum_decimal('packets_lost_blackhole') }} as packets_lost_blackhole,
        {{ vpc_flow_logs.sum_decimal('packets_lost_no_route') }} as packets_lost_no_route,
        {{ vpc_flow_logs.sum_decimal('packets_lost_mtu_exceeded') }} as packets_lost_mtu_exceeded,
        {{ vpc_flow_logs.sum_decimal('packets_lost_ttl_expired') }} as packets_lost_ttl_expired,
        {{ vpc_flow_logs.sum_decimal('packets_lost') }} as packets_lost,
        cast(min(start_time) as timestamp) as first_seen_at,
        cast(max(end_time) as timestamp) as last_seen_at,
        cast(event_date as date) as event_date
    from with_totals
    group by event_date, account_id, tgw_id, tgw_attachment_id
)

select * from final
