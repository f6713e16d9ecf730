{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_https_traffic_by_destination',
    ['srcaddr', 'dstaddr', 'dstport', 'protocol', 'packets', 'bytes', 'start']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with https as (
    select
        event_date,
        account_id,
        srcaddr,
        coalesce(dstaddr, '-') as dstaddr,
        packets,
        bytes
    from {{ ref('int_flows_enriched') }}
    where
        protocol = 6
        and dstport = 443
        and is_flow_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(dstaddr as varchar) as dstaddr,
        cast(count(*) as bigint) as flows,
        {{ vpc_flow_logs.sum_decimal('packets') }} as packets,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as bytes,
        cast(count(distinct srcaddr) as bigint) as distinct_sources,
        cast(event_date as date) as event_date
    from https
    group by event_date, account_id, dstaddr
)

select * from final
