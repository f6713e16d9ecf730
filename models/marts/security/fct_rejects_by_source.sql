{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_rejects_by_source', ['srcaddr', 'dstaddr', 'dstport', 'packets', 'bytes', 'start', 'end', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with rejects as (
    select
        event_date,
        account_id,
        coalesce(srcaddr, '-') as srcaddr,
        dstaddr,
        dstport,
        packets,
        bytes,
        start_time,
        end_time
    from {{ ref('int_flows_enriched') }}
    where
        action = 'REJECT'
        and is_flow_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(srcaddr as varchar) as srcaddr,
        cast(count(*) as bigint) as rejected_flows,
        {{ vpc_flow_logs.sum_decimal('packets') }} as rejected_packets,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as rejected_bytes,
        cast(count(distinct dstaddr) as bigint) as distinct_dst_addrs,
        cast(count(distinct dstport) as bigint) as distinct_dst_ports,
        cast(min(start_time) as timestamp) as first_seen_at,
        cast(max(end_time) as timestamp) as last_seen_at,
        cast(event_date as date) as event_date
    from rejects
    group by event_date, account_id, srcaddr
)

select * from final
