{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with alarms as (
    select
        filter_name,
        period_start,
        period_end,
        account_id,
        region,
        matched_records,
        threshold,
        comparison,
        event_date
    from {{ ref('fct_metric_alarms') }}
    where
        in_alarm
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

per_day as (
    {#- One finding per filter, account and day: an alarm that fires every minute is one story. -#}
    select
        event_date,
        account_id,
        filter_name,
        max(threshold) as threshold,
        max(comparison) as comparison,
        count(*) as periods_in_alarm,
        sum(matched_records) as matched_records,
        {{ vpc_flow_logs.single_value('region') }} as region,
        min(period_start) as first_seen_at,
        max(period_end) as last_seen_at
    from alarms
    group by event_date, account_id, filter_name
),

final as (
    select
        cast('metric_alarm' as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['event_date', 'account_id', 'filter_name']) }} as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(flows='matched_records') }},
        cast(
            'Metric filter ' || filter_name || ' was in alarm in '
            || cast(periods_in_alarm as varchar) || ' period(s) ('
            || cast(matched_records as varchar) || ' matched records); the alarm fires at '
            || comparison || ' ' || cast(threshold as varchar) || ' per period.' as varchar
        ) as evidence,
        cast(event_date as date) as event_date
    from per_day
)

select * from final
