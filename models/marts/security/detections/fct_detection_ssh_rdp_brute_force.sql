{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_detection_ssh_rdp_brute_force',
    ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end',
     'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with settings as (
    select
        window_minutes,
        threshold,
        max_packets
    from {{ ref('detections') }}
    where detection_id = 'ssh_rdp_brute_force'
),

requests as (
    select
        account_id,
        region,
        srcaddr,
        dstaddr,
        srcport,
        dstport,
        action,
        packets,
        bytes,
        start_epoch,
        start_time,
        end_time
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and protocol = 6
        and dstport in (22, 3389)
        and srcaddr is not null
        and dstaddr is not null
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

classified as (
    select
        requests.*,
        settings.threshold,
        {{ vpc_flow_logs.epoch_bucket_start('requests.start_epoch', 'settings.window_minutes * 60') }}
            as window_epoch,
        settings.window_minutes,
        requests.action = 'REJECT' or requests.packets <= settings.max_packets as is_attempt
    from requests
    cross join settings
),

with_first_attempt as (
    select
        *,
        min(case when is_attempt then start_epoch end) over (
            partition by account_id, srcaddr, dstaddr, dstport, window_epoch
        ) as first_attempt_epoch
    from classified
),

per_window as (
    select
        account_id,
        srcaddr,
        dstaddr,
        dstport,
        window_epoch,
        max(window_minutes) as window_minutes,
        max(threshold) as threshold,
        max(region) as region,
        count(distinct case when is_attempt then srcport end) as attempts,
        sum(
            case
                when not is_attempt and action = 'ACCEPT' and start_epoch > first_attempt_epoch
                    then 1
                else 0
            end
        ) as later_sessions,
        count(*) as flows,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as bytes,
        min(start_time) as first_seen_at,
        max(end_time) as last_seen_at
    from with_first_attempt
    group by account_id, srcaddr, dstaddr, dstport, window_epoch
),

findings as (
    select
        *,
        case when later_sessions > 0 then 'ssh_rdp_brute_force_success' else 'ssh_rdp_brute_force' end
            as detection_id
    from per_window
    where attempts >= threshold
),

final as (
    select
        cast(detection_id as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['account_id', 'srcaddr', 'dstaddr', 'dstport',
                'window_epoch']) }} as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(
            srcaddr='srcaddr',
            dstaddr='dstaddr',
            dstport='dstport',
            protocol='6',
            bytes='bytes'
        ) }},
        cast(
            case dstport when 22 then 'SSH' else 'RDP' end || ' brute force: '
            || cast(attempts as varchar) || ' failed attempts from ' || srcaddr || ' to '
            || dstaddr || ':' || cast(dstport as varchar) || ' within '
            || cast(window_minutes as varchar) || ' minutes'
            || case
                when later_sessions > 0
                    then
                        ', then ' || cast(later_sessions as varchar)
                        || ' longer ACCEPTed connection(s) from the same source.'
                else '.'
            end as varchar
        ) as evidence,
        cast({{ vpc_flow_logs.epoch_to_timestamp('window_epoch') }} as date) as event_date
    from findings
)

select * from final
