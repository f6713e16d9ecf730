{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_port_scans', ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'start', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}
{%- set window_minutes = var('port_scan_window_minutes') | int -%}
{%- if window_minutes <= 0 or 1440 % window_minutes != 0 -%}
    {{ exceptions.raise_compiler_error("var port_scan_window_minutes must divide a day (1440 minutes), not " ~ window_minutes) }}
{%- endif -%}

with attempts as (
    select
        account_id,
        region,
        srcaddr,
        dstaddr,
        dstport,
        action,
        {{ vpc_flow_logs.epoch_bucket_start('start_epoch', window_minutes * 60) }} as window_epoch
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and not is_likely_response
        and srcaddr is not null
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

per_window as (
    select
        window_epoch,
        account_id,
        srcaddr,
        count(distinct dstport) as distinct_dst_ports,
        count(distinct dstaddr) as distinct_dst_addrs,
        count(*) as flows,
        sum(case when action = 'REJECT' then 1 else 0 end) as rejected_flows,
        {{ vpc_flow_logs.single_value('region') }} as region
    from attempts
    group by window_epoch, account_id, srcaddr
),

scans as (
    select
        *,
        distinct_dst_ports >= {{ var('port_scan_min_distinct_ports') | int }} as is_vertical,
        distinct_dst_addrs >= {{ var('port_scan_min_distinct_addrs') | int }} as is_horizontal
    from per_window
),

final as (
    select
        cast({{ vpc_flow_logs.epoch_to_timestamp('window_epoch') }} as timestamp) as window_start,
        cast(
            {{ vpc_flow_logs.epoch_to_timestamp('window_epoch + ' ~ window_minutes * 60) }} as timestamp
        ) as window_end,
        cast(account_id as varchar) as account_id,
        cast(region as varchar) as region,
        cast(srcaddr as varchar) as srcaddr,
        cast(distinct_dst_ports as bigint) as distinct_dst_ports,
        cast(distinct_dst_addrs as bigint) as distinct_dst_addrs,
        cast(flows as bigint) as flows,
        cast(rejected_flows as bigint) as rejected_flows,
        cast(
            case
                when is_vertical and is_horizontal then 'mixed'
                when is_vertical then 'vertical'
                else 'horizontal'
            end as varchar
        ) as scan_type,
        cast({{ vpc_flow_logs.epoch_to_timestamp('window_epoch') }} as date) as event_date
    from scans
    where is_vertical or is_horizontal
)

select * from final
