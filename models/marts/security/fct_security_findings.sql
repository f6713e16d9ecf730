{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- set window = vpc_flow_logs.rebuild_window() -%}
{%- set detection_models = [
    'fct_detection_port_scans',
    'fct_detection_ssh_rdp_brute_force',
    'fct_detection_exposed_services',
    'fct_detection_egress_volume_anomalies',
    'fct_detection_unusual_ip_protocols',
    'fct_detection_threat_intel_matches',
    'fct_detection_metric_alarms',
    'fct_detection_skipdata',
] -%}

with detections as (
    select
        detection_id,
        severity,
        mitre_tactic,
        mitre_tactic_id,
        mitre_technique_id,
        mitre_technique_name
    from {{ ref('detections') }}
    where enabled
),

candidates as (
    {%- for model in detection_models %}
    select
        detection_id,
        finding_key,
        account_id,
        region,
        interface_id,
        srcaddr,
        dstaddr,
        dstport,
        protocol,
        first_seen_at,
        last_seen_at,
        flows,
        bytes,
        evidence,
        event_date
    from {{ ref(model) }}
    where {{ vpc_flow_logs.window_filter('event_date', window) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        cast(
            {{ vpc_flow_logs.finding_id('candidates.detection_id', 'candidates.finding_key') }}
            as varchar
        ) as finding_id,
        cast(candidates.detection_id as varchar) as detection_id,
        cast(detections.severity as varchar) as severity,
        cast(
            case detections.severity
                when 'informational' then 1
                when 'low' then 2
                when 'medium' then 3
                when 'high' then 4
                when 'critical' then 5
            end as integer
        ) as severity_id,
        cast(detections.mitre_tactic as varchar) as mitre_tactic,
        cast(detections.mitre_tactic_id as varchar) as mitre_tactic_id,
        cast(detections.mitre_technique_id as varchar) as mitre_technique_id,
        cast(detections.mitre_technique_name as varchar) as mitre_technique_name,
        cast(candidates.account_id as varchar) as account_id,
        cast(candidates.region as varchar) as region,
        cast(candidates.interface_id as varchar) as interface_id,
        cast(candidates.srcaddr as varchar) as srcaddr,
        cast(candidates.dstaddr as varchar) as dstaddr,
        cast(candidates.dstport as integer) as dstport,
        cast(candidates.protocol as integer) as protocol,
        cast(candidates.first_seen_at as timestamp) as first_seen_at,
        cast(candidates.last_seen_at as timestamp) as last_seen_at,
        cast(candidates.flows as bigint) as flows,
        cast(candidates.bytes as decimal(38, 0)) as bytes,
        cast(candidates.evidence as varchar) as evidence,
        cast(candidates.finding_key as varchar) as finding_key,
        cast(candidates.event_date as date) as event_date
    from candidates
    inner join detections
        on candidates.detection_id = detections.detection_id
)

select * from final
