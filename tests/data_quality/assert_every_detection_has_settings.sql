-- Every detection model reads its row of the seed `detections`: a missing row, or a
-- setting left empty that the detection needs, would silently produce no findings.
-- Returns the detection ids without a row or with a missing or invalid setting.
with expected as (
    select 'port_scan' as detection_id
    union all
    select 'ssh_rdp_brute_force' as detection_id
    union all
    select 'ssh_rdp_brute_force_success' as detection_id
    union all
    select 'exposed_admin_port' as detection_id
    union all
    select 'exposed_database_port' as detection_id
    union all
    select 'egress_volume_anomaly' as detection_id
    union all
    select 'unusual_ip_protocol' as detection_id
    union all
    select 'threat_intel_match' as detection_id
    union all
    select 'metric_alarm' as detection_id
    union all
    select 'skipdata' as detection_id
)

select expected.detection_id
from expected
left join {{ ref('detections') }} as detections
    on expected.detection_id = detections.detection_id
where detections.detection_id is null

union all

select detection_id
from {{ ref('detections') }}
where
    (
        detection_id = 'ssh_rdp_brute_force'
        and (
            window_minutes is null or threshold is null or max_packets is null
            or mod(1440, window_minutes) != 0
        )
    )
    or (
        detection_id = 'egress_volume_anomaly'
        and (
            window_minutes is null or baseline_days is null or stddev_factor is null
            or floor_bytes is null or mod(1440, window_minutes) != 0
        )
    )
    or (
        detection_id in (
            'exposed_admin_port', 'exposed_database_port', 'unusual_ip_protocol',
            'threat_intel_match'
        )
        and threshold is null
    )
