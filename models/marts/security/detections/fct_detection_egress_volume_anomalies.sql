{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_detection_egress_volume_anomalies',
    ['srcaddr', 'dstaddr', 'bytes', 'start', 'end', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}
{#- The baseline reads `baseline_days` more days before the window (a bounded run only). -#}
{%- set baseline_days = (vpc_flow_logs.detection_setting('egress_volume_anomaly', 'baseline_days', 0)
    if window.start is not none or window.days is not none else 0) | int -%}

with settings as (
    select
        window_minutes,
        baseline_days,
        stddev_factor,
        floor_bytes
    from {{ ref('detections') }}
    where detection_id = 'egress_volume_anomaly'
),

egress as (
    select
        account_id,
        region,
        srcaddr,
        bytes,
        start_epoch,
        start_time,
        end_time,
        event_date
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and action = 'ACCEPT'
        and srcaddr_is_private
        and not dstaddr_is_private
        and bytes is not null
        and {{ vpc_flow_logs.window_filter('event_date', window, shift_start_days=baseline_days) }}
),

per_window as (
    select
        egress.account_id,
        egress.srcaddr,
        {{ vpc_flow_logs.epoch_bucket_start('egress.start_epoch', 'settings.window_minutes * 60') }}
            as window_epoch,
        max(egress.region) as region,
        count(*) as flows,
        {{ vpc_flow_logs.sum_decimal('egress.bytes') }} as bytes,
        min(egress.start_time) as first_seen_at,
        max(egress.end_time) as last_seen_at
    from egress
    cross join settings
    group by
        egress.account_id,
        egress.srcaddr,
        {{ vpc_flow_logs.epoch_bucket_start('egress.start_epoch', 'settings.window_minutes * 60') }}
),

baselines as (
    {#- Sums over the windows of the previous baseline_days days (missing windows are 0). -#}
    select
        current_window.account_id,
        current_window.srcaddr,
        current_window.window_epoch,
        sum(cast(history.bytes as double)) as history_bytes,
        sum(cast(history.bytes as double) * cast(history.bytes as double)) as history_squares
    from per_window as current_window
    cross join settings
    inner join per_window as history
        on
            current_window.account_id = history.account_id
            and current_window.srcaddr = history.srcaddr
            and current_window.window_epoch > history.window_epoch
            and current_window.window_epoch - settings.baseline_days * 86400
            <= history.window_epoch
    group by current_window.account_id, current_window.srcaddr, current_window.window_epoch
),

scored as (
    select
        per_window.*,
        settings.window_minutes,
        settings.baseline_days,
        settings.stddev_factor,
        coalesce(baselines.history_bytes, 0) / (
            cast(settings.baseline_days * 1440 as double) / settings.window_minutes
        ) as baseline_mean,
        coalesce(baselines.history_squares, 0) / (
            cast(settings.baseline_days * 1440 as double) / settings.window_minutes
        ) as baseline_mean_square,
        settings.floor_bytes
    from per_window
    cross join settings
    left join baselines
        on
            per_window.account_id = baselines.account_id
            and per_window.srcaddr = baselines.srcaddr
            and per_window.window_epoch = baselines.window_epoch
),

thresholds as (
    select
        *,
        greatest(
            baseline_mean + cast(stddev_factor as double) * sqrt(
                greatest(baseline_mean_square - baseline_mean * baseline_mean, cast(0 as double))
            ),
            cast(floor_bytes as double)
        ) as threshold_bytes
    from scored
),

findings as (
    select *
    from thresholds
    where
        cast(bytes as double) > threshold_bytes
        and {{ vpc_flow_logs.window_filter(
            'cast(' ~ vpc_flow_logs.epoch_to_timestamp('window_epoch') ~ ' as date)', window) }}
),

final as (
    select
        cast('egress_volume_anomaly' as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['account_id', 'srcaddr', 'window_epoch']) }} as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(srcaddr='srcaddr', bytes='bytes') }},
        cast(
            srcaddr || ' sent ' || cast(bytes as varchar) || ' bytes to public addresses in '
            || cast(window_minutes as varchar) || ' minutes; its threshold was '
            || cast(cast(round(threshold_bytes) as bigint) as varchar) || ' bytes (mean '
            || cast(cast(round(baseline_mean) as bigint) as varchar) || ' + '
            || cast(stddev_factor as varchar) || ' standard deviations over '
            || cast(baseline_days as varchar) || ' days, floor '
            || cast(floor_bytes as varchar) || ').' as varchar
        ) as evidence,
        cast({{ vpc_flow_logs.epoch_to_timestamp('window_epoch') }} as date) as event_date
    from findings
)

select * from final
