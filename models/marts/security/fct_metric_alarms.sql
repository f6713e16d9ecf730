{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_metric_alarms', ['srcport', 'dstport', 'protocol', 'start', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with filters as (
    select
        filter_name,
        dstport,
        srcport,
        protocol,
        action,
        log_status,
        period_minutes,
        threshold,
        comparison
    from {{ ref('metric_filters') }}
),

flows as (
    select
        account_id,
        srcport,
        dstport,
        protocol,
        action,
        log_status,
        start_epoch
    from {{ ref('int_flows_enriched') }}
    where {{ vpc_flow_logs.window_filter('event_date', window) }}
),

matches as (
    select
        filters.filter_name,
        filters.threshold,
        filters.comparison,
        filters.period_minutes,
        flows.account_id,
        {{ vpc_flow_logs.epoch_bucket_start('flows.start_epoch', 'filters.period_minutes * 60') }}
            as period_epoch
    from flows
    inner join filters
        on
            (filters.dstport is null or flows.dstport = filters.dstport)
            and (filters.srcport is null or flows.srcport = filters.srcport)
            and (filters.protocol is null or flows.protocol = filters.protocol)
            and (filters.action is null or flows.action = filters.action)
            and (filters.log_status is null or flows.log_status = filters.log_status)
),

periods as (
    select
        filter_name,
        period_epoch,
        account_id,
        threshold,
        comparison,
        period_minutes,
        count(*) as matched_records
    from matches
    group by filter_name, period_epoch, account_id, threshold, comparison, period_minutes
),

final as (
    select
        cast(filter_name as varchar) as filter_name,
        cast({{ vpc_flow_logs.epoch_to_timestamp('period_epoch') }} as timestamp) as period_start,
        cast(
            {{ vpc_flow_logs.epoch_to_timestamp('period_epoch + period_minutes * 60') }} as timestamp
        ) as period_end,
        cast(account_id as varchar) as account_id,
        cast(matched_records as bigint) as matched_records,
        cast(threshold as bigint) as threshold,
        cast(comparison as varchar) as comparison,
        cast(
            case comparison
                when '>=' then matched_records >= threshold
                when '>' then matched_records > threshold
                when '<=' then matched_records <= threshold
                when '<' then matched_records < threshold
                when '=' then matched_records = threshold
            end as boolean
        ) as in_alarm,
        cast({{ vpc_flow_logs.epoch_to_timestamp('period_epoch') }} as date) as event_date
    from periods
)

select * from final
