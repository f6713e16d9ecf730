{#-
    Athena: Parquet, partitioned by event_date (the last column); each run
    overwrites the event days of its window. DuckDB: delete+insert of those days.
-#}
{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}

{%- set window = vpc_flow_logs.rebuild_window() -%}

with flows as (
    select
        coalesce(account_id, account_partition) as account_id,
        coalesce(region, region_partition) as region,
        interface_id,
        vpc_id,
        subnet_id,
        instance_id,
        srcaddr,
        dstaddr,
        srcport,
        dstport,
        protocol,
        protocol_name,
        packets,
        bytes,
        start_epoch,
        start_time,
        end_time,
        action,
        log_status,
        tcp_flags,
        flow_direction,
        type as traffic_type,
        ip_version,
        srcaddr_is_private,
        dstaddr_is_private,
        resource_type,
        tgw_id,
        tgw_attachment_id,
        tgw_pair_attachment_id,
        packets_lost_no_route,
        packets_lost_blackhole,
        packets_lost_mtu_exceeded,
        packets_lost_ttl_expired,
        delivery_date,
        event_date
    from {{ ref('stg_vpc_flow_logs') }}
    where
        event_date is not null
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
        and {{ vpc_flow_logs.delivery_date_filter(window) }}
),

trusted_cidrs as (
    select cidr from {{ ref('trusted_cidrs') }}
),

service_ports as (
    select
        port,
        protocol,
        service_name
    from {{ ref('well_known_ports') }}
),

source_addresses as (
    select distinct srcaddr from flows
    where srcaddr is not null
),

trusted_sources as (
    select distinct source_addresses.srcaddr
    from source_addresses
    cross join trusted_cidrs
    where {{ vpc_flow_logs.ip_in_cidr('source_addresses.srcaddr', 'trusted_cidrs.cidr') }}
),

final as (
    select
        flows.account_id,
        flows.region,
        flows.interface_id,
        flows.vpc_id,
        flows.subnet_id,
        flows.instance_id,
        flows.srcaddr,
        flows.dstaddr,
        flows.srcport,
        flows.dstport,
        flows.protocol,
        flows.protocol_name,
        flows.packets,
        flows.bytes,
        flows.start_epoch,
        flows.start_time,
        flows.end_time,
        flows.action,
        flows.log_status,
        flows.tcp_flags,
        flows.flow_direction,
        flows.traffic_type,
        flows.ip_version,
        flows.srcaddr_is_private,
        flows.dstaddr_is_private,
        coalesce(flows.log_status = 'OK', flows.log_status is null) as is_flow_record,
        coalesce(
            flows.resource_type like 'TransitGateway%'
            or flows.tgw_id is not null
            or flows.tgw_attachment_id is not null,
            false
        ) as is_transit_gateway_record,
        flows.tgw_id,
        flows.tgw_attachment_id,
        flows.tgw_pair_attachment_id,
        flows.packets_lost_no_route,
        flows.packets_lost_blackhole,
        flows.packets_lost_mtu_exceeded,
        flows.packets_lost_ttl_expired,
        trusted_sources.srcaddr is not null as is_trusted_source,
        source_service.service_name as src_service_name,
        destination_service.service_name as dst_service_name,
        coalesce(
            (source_service.port is not null or flows.srcport < 1024)
            and flows.dstport >= 1024,
            false
        ) as is_likely_response,
        flows.delivery_date,
        flows.event_date
    from flows
    left join trusted_sources
        on flows.srcaddr = trusted_sources.srcaddr
    left join service_ports as source_service
        on
            flows.srcport = source_service.port
            and flows.protocol = source_service.protocol
    left join service_ports as destination_service
        on
            flows.dstport = destination_service.port
            and flows.protocol = destination_service.protocol
)

select * from final
