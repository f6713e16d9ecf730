{#-
    OCSF Network Activity (class_uid 4001, activity Traffic) for Amazon Security Lake
    or a SIEM: one row per flow record, OCSF attribute names and nested objects.
    Partitioned by event day like int_flows_enriched and Security Lake's own
    tables (eventDay); the partition column comes last.
-#}
{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'ocsf_network_activity',
    ['srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end',
     'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}
{%- set ocsf_version = '1.1.0' -%}

with flows as (
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
        lower(protocol_name) as protocol_name,
        ip_version,
        tcp_flags,
        flow_direction,
        packets,
        bytes,
        start_epoch,
        {{ vpc_flow_logs.timestamp_to_epoch('end_time') }} as end_epoch,
        action,
        log_status,
        event_date
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

final as (
    select
        cast(6 as integer) as activity_id,
        cast('Traffic' as varchar) as activity_name,
        cast(4 as integer) as category_uid,
        cast('Network Activity' as varchar) as category_name,
        cast(4001 as integer) as class_uid,
        cast('Network Activity' as varchar) as class_name,
        cast(400106 as bigint) as type_uid,
        cast('Network Activity: Traffic' as varchar) as type_name,
        cast(1 as integer) as severity_id,
        cast('Informational' as varchar) as severity,
        cast(start_epoch * 1000 as bigint) as time,
        cast(start_epoch * 1000 as bigint) as start_time,
        cast(end_epoch * 1000 as bigint) as end_time,
        {{ vpc_flow_logs.struct_of([
            ['ip', 'srcaddr', 'varchar'],
            ['port', 'srcport', 'integer'],
            ['interface_uid', 'interface_id', 'varchar'],
            ['vpc_uid', 'vpc_id', 'varchar'],
            ['subnet_uid', 'subnet_id', 'varchar'],
            ['instance_uid', 'instance_id', 'varchar'],
        ]) }} as src_endpoint,
        {{ vpc_flow_logs.struct_of([
            ['ip', 'dstaddr', 'varchar'],
            ['port', 'dstport', 'integer'],
        ]) }} as dst_endpoint,
        {{ vpc_flow_logs.struct_of([
            ['protocol_num', 'protocol', 'integer'],
            ['protocol_name', 'protocol_name', 'varchar'],
            ['protocol_ver_id', 'ip_version', 'integer'],
            ['direction_id', "case flow_direction when 'ingress' then 1 when 'egress' then 2 else 0 end",
             'integer'],
            ['direction', "case flow_direction when 'ingress' then 'Inbound' when 'egress' then 'Outbound' else 'Unknown' end",
             'varchar'],
            ['tcp_flags', 'tcp_flags', 'integer'],
        ]) }} as connection_info,
        {{ vpc_flow_logs.struct_of([
            ['bytes', 'bytes', 'bigint'],
            ['packets', 'packets', 'bigint'],
        ]) }} as traffic,
        cast(case action when 'ACCEPT' then 1 when 'REJECT' then 2 else 0 end as integer)
            as action_id,
        cast(
            case action when 'ACCEPT' then 'Allowed' when 'REJECT' then 'Denied' else 'Unknown' end
            as varchar
        ) as action,
        cast(case action when 'ACCEPT' then 1 when 'REJECT' then 2 else 0 end as integer)
            as disposition_id,
        cast(
            case action when 'ACCEPT' then 'Allowed' when 'REJECT' then 'Blocked' else 'Unknown' end
            as varchar
        ) as disposition,
        cast(log_status as varchar) as status_code,
        {{ vpc_flow_logs.struct_of([
            ['provider', "'AWS'", 'varchar'],
            ['region', 'region', 'varchar'],
            ['account', [['uid', 'account_id', 'varchar']]],
        ]) }} as cloud,
        {{ vpc_flow_logs.struct_of([
            ['version', "'" ~ ocsf_version ~ "'", 'varchar'],
            ['product', [
                ['name', "'Amazon VPC'", 'varchar'],
                ['vendor_name', "'AWS'", 'varchar'],
                ['feature', [['name', "'Flowlogs'", 'varchar']]],
            ]],
        ]) }} as metadata,
        cast(event_date as date) as event_date
    from flows
)

select * from final
