{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_detection_threat_intel_matches',
    ['srcaddr', 'dstaddr', 'dstport', 'bytes', 'start', 'end', 'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with settings as (
    select threshold
    from {{ ref('detections') }}
    where detection_id = 'threat_intel_match'
),

intel as (
    select
        cidr,
        source
    from {{ ref('threat_intel_cidrs') }}
),

flows as (
    select
        account_id,
        region,
        srcaddr,
        dstaddr,
        action,
        bytes,
        start_time,
        end_time,
        event_date
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

addresses as (
    select srcaddr as address from flows
    where srcaddr is not null
    union
    select dstaddr as address from flows
    where dstaddr is not null
),

listed_addresses as (
    {#- One listed range per address (the smallest source name when several match). -#}
    select
        addresses.address,
        min(intel.source || ' ' || intel.cidr) as listing
    from addresses
    cross join intel
    where {{ vpc_flow_logs.ip_in_cidr('addresses.address', 'intel.cidr') }}
    group by addresses.address
),

matched as (
    select
        flows.*,
        listed_source.listing as source_listing,
        listed_destination.listing as destination_listing
    from flows
    left join listed_addresses as listed_source
        on flows.srcaddr = listed_source.address
    left join listed_addresses as listed_destination
        on flows.dstaddr = listed_destination.address
    where listed_source.address is not null or listed_destination.address is not null
),

per_day as (
    select
        event_date,
        account_id,
        srcaddr,
        dstaddr,
        max(region) as region,
        max(source_listing) as source_listing,
        max(destination_listing) as destination_listing,
        count(*) as flows,
        sum(case when action = 'ACCEPT' then 1 else 0 end) as accepted_flows,
        {{ vpc_flow_logs.sum_decimal('bytes') }} as bytes,
        min(start_time) as first_seen_at,
        max(end_time) as last_seen_at
    from matched
    group by event_date, account_id, srcaddr, dstaddr
),

findings as (
    select per_day.*
    from per_day
    cross join settings
    where per_day.flows >= settings.threshold
),

final as (
    select
        cast('threat_intel_match' as varchar) as detection_id,
        cast(
            {{ vpc_flow_logs.finding_key(['event_date', 'account_id', 'srcaddr', 'dstaddr']) }}
            as varchar
        ) as finding_key,
        {{ vpc_flow_logs.finding_columns(srcaddr='srcaddr', dstaddr='dstaddr', bytes='bytes') }},
        cast(
            cast(flows as varchar) || ' flow record(s) (' || cast(accepted_flows as varchar)
            || ' ACCEPTed) from ' || srcaddr || ' to ' || dstaddr || ', listed in threat intel: '
            || coalesce('source ' || source_listing, '')
            || case
                when source_listing is not null and destination_listing is not null then '; '
                else ''
            end
            || coalesce('destination ' || destination_listing, '') || '.' as varchar
        ) as evidence,
        cast(event_date as date) as event_date
    from findings
)

select * from final
