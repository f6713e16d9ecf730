{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_bytes_per_ip', ['srcaddr', 'dstaddr', 'packets', 'bytes', 'start']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with flows as (
    select
        event_date,
        account_id,
        srcaddr,
        dstaddr,
        packets,
        bytes
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

as_source as (
    select
        event_date,
        account_id,
        coalesce(srcaddr, '-') as ip,
        bytes as bytes_sent,
        cast(null as bigint) as bytes_received,
        packets as packets_sent,
        cast(null as bigint) as packets_received,
        1 as is_source
    from flows
),

as_destination as (
    select
        event_date,
        account_id,
        coalesce(dstaddr, '-') as ip,
        cast(null as bigint) as bytes_sent,
        bytes as bytes_received,
        cast(null as bigint) as packets_sent,
        packets as packets_received,
        0 as is_source
    from flows
),

both_sides as (
    select * from as_source
    union all
    select * from as_destination
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(ip as varchar) as ip,
        {{ vpc_flow_logs.sum_decimal('coalesce(bytes_sent, 0)') }} as bytes_sent,
        {{ vpc_flow_logs.sum_decimal('coalesce(bytes_received, 0)') }} as bytes_received,
        {{ vpc_flow_logs.sum_decimal('coalesce(bytes_sent, 0) + coalesce(bytes_received, 0)') }}
            as total_bytes,
        {{ vpc_flow_logs.sum_decimal('coalesce(packets_sent, 0)') }} as packets_sent,
        {{ vpc_flow_logs.sum_decimal('coalesce(packets_received, 0)') }} as packets_received,
        cast(sum(is_source) as bigint) as flows_as_source,
        cast(sum(1 - is_source) as bigint) as flows_as_destination,
        cast(event_date as date) as event_date
    from both_sides
    group by event_date, account_id, ip
)

select * from final
