{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_metric_alarms', ['srcport', 'dstport', 'protocol', 'start', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}
{#- Rows carrying a CloudWatch pattern: read from the loaded seed, translated at compile time. -#}
{%- set patterns = [] -%}
{#- Unit tests give the seed as fixture rows, not a table: their filters use the columns. -#}
{%- if execute and model.resource_type == 'model' and load_relation(ref('metric_filters')) is not none -%}
    {%- set pattern_rows = run_query(
        'select filter_name, pattern from ' ~ ref('metric_filters')
        ~ ' where pattern is not null order by filter_name') -%}
    {%- for row in pattern_rows.rows -%}
        {%- do patterns.append((row[0], vpc_flow_logs.cloudwatch_filter_condition(row[0], row[1]))) -%}
    {%- endfor -%}
{%- endif -%}
{%- set pattern_condition = 'true' -%}
{%- if patterns -%}
    {%- set whens = [] -%}
    {%- for filter_name, condition in patterns -%}
        {%- do whens.append('when filters.filter_name = ' ~ vpc_flow_logs.sql_string(filter_name) ~ ' then ' ~ condition) -%}
    {%- endfor -%}
    {%- set pattern_condition = '(case ' ~ whens | join(' ') ~ ' else true end)' -%}
{%- endif -%}

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
        region,
        interface_id,
        vpc_id,
        subnet_id,
        instance_id,
        srcaddr,
        dstaddr,
        srcport,
        dstport,
        protocol,
        packets,
        bytes,
        action,
        log_status,
        tcp_flags,
        flow_direction,
        traffic_type,
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
        flows.region,
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
            and {{ pattern_condition }}
),

periods as (
    select
        filter_name,
        period_epoch,
        account_id,
        threshold,
        comparison,
        period_minutes,
        count(*) as matched_records,
        {{ vpc_flow_logs.single_value('region') }} as region
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
        cast(region as varchar) as region,
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
