{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_flow_log_coverage', ['interface-id', 'log-status', 'start']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with records as (
    select
        event_date,
        account_id,
        region,
        coalesce(interface_id, '-') as interface_id,
        log_status,
        start_time,
        end_time
    from {{ ref('int_flows_enriched') }}
    where
        not is_transit_gateway_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(interface_id as varchar) as interface_id,
        cast({{ vpc_flow_logs.single_value('region') }} as varchar) as region,
        cast(sum(case when log_status = 'OK' then 1 else 0 end) as bigint) as ok_records,
        cast(sum(case when log_status = 'NODATA' then 1 else 0 end) as bigint) as nodata_records,
        cast(sum(case when log_status = 'SKIPDATA' then 1 else 0 end) as bigint) as skipdata_records,
        cast(count(*) as bigint) as total_records,
        cast(
            cast(sum(case when log_status = 'SKIPDATA' then 1 else 0 end) as double)
            / count(*) as double
        ) as skipdata_share,
        cast(min(start_time) as timestamp) as first_seen_at,
        cast(max(end_time) as timestamp) as last_seen_at,
        cast(event_date as date) as event_date
    from records
    group by event_date, account_id, interface_id
)

select * from final
