{#-
    Every field AWS defines for VPC flow log records, versions 2 to 8, in the order
    of AWS's documentation, then the fields only Transit Gateway flow logs have
    (version 6, AWS's Transit Gateway flow log record table). `column` is the AWS name with `-` replaced by `_`
    (except `start`/`end`, which staging exposes as `start_time`/`end_time`).
    `kind` drives casting and validation in `parse_flow_log_field`:
      int     integer within [min, max]
      bigint  non-negative 64-bit counter
      epoch   unix seconds
      ip      IPv4 or IPv6 address
      enum    one of `values`
      account 12-digit AWS account id
      string  free text, kept as written
-#}
{% macro flow_log_field_specs() %}
    {{ return([
        {'name': 'version', 'column': 'version', 'kind': 'int', 'min': 2, 'max': 255, 'since': 2},
        {'name': 'account-id', 'column': 'account_id', 'kind': 'account', 'since': 2},
        {'name': 'interface-id', 'column': 'interface_id', 'kind': 'string', 'since': 2},
        {'name': 'srcaddr', 'column': 'srcaddr', 'kind': 'ip', 'since': 2},
        {'name': 'dstaddr', 'column': 'dstaddr', 'kind': 'ip', 'since': 2},
        {'name': 'srcport', 'column': 'srcport', 'kind': 'int', 'min': 0, 'max': 65535, 'since': 2},
        {'name': 'dstport', 'column': 'dstport', 'kind': 'int', 'min': 0, 'max': 65535, 'since': 2},
        {'name': 'protocol', 'column': 'protocol', 'kind': 'int', 'min': 0, 'max': 255, 'since': 2},
        {'name': 'packets', 'column': 'packets', 'kind': 'bigint', 'since': 2},
        {'name': 'bytes', 'column': 'bytes', 'kind': 'bigint', 'since': 2},
        {'name': 'start', 'column': 'start_epoch', 'kind': 'epoch', 'since': 2},
        {'name': 'end', 'column': 'end_epoch', 'kind': 'epoch', 'since': 2},
        {'name': 'action', 'column': 'action', 'kind': 'enum', 'values': ['ACCEPT', 'REJECT'], 'since': 2},
        {'name': 'log-status', 'column': 'log_status', 'kind': 'enum', 'values': ['OK', 'NODATA', 'SKIPDATA'], 'since': 2},
        {'name': 'vpc-id', 'column': 'vpc_id', 'kind': 'string', 'since': 3},
        {'name': 'subnet-id', 'column': 'subnet_id', 'kind': 'string', 'since': 3},
        {'name': 'instance-id', 'column': 'instance_id', 'kind': 'string', 'since': 3},
        {'name': 'tcp-flags', 'column': 'tcp_flags', 'kind': 'int', 'min': 0, 'max': 255, 'since': 3},
        {'name': 'type', 'column': 'type', 'kind': 'enum', 'values': ['IPv4', 'IPv6', 'EFA'], 'since': 3},
        {'name': 'pkt-srcaddr', 'column': 'pkt_srcaddr', 'kind': 'ip', 'since': 3},
        {'name': 'pkt-dstaddr', 'column': 'pkt_dstaddr', 'kind': 'ip', 'since': 3},
        {'name': 'region', 'column': 'region', 'kind': 'string', 'since': 4},
        {'name': 'az-id', 'column': 'az_id', 'kind': 'string', 'since': 4},
        {'name': 'sublocation-type', 'column': 'sublocation_type', 'kind': 'string', 'since': 4},
        {'name': 'sublocation-id', 'column': 'sublocation_id', 'kind': 'string', 'since': 4},
        {'name': 'pkt-src-aws-service', 'column': 'pkt_src_aws_service', 'kind': 'string', 'since': 5},
        {'name': 'pkt-dst-aws-service', 'column': 'pkt_dst_aws_service', 'kind': 'string', 'since': 5},
        {'name': 'flow-direction', 'column': 'flow_direction', 'kind': 'enum', 'values': ['ingress', 'egress'], 'since': 5},
        {'name': 'traffic-path', 'column': 'traffic_path', 'kind': 'int', 'min': 1, 'max': 255, 'since': 5},
        {'name': 'ecs-cluster-arn', 'column': 'ecs_cluster_arn', 'kind': 'string', 'since': 7},
        {'name': 'ecs-cluster-name', 'column': 'ecs_cluster_name', 'kind': 'string', 'since': 7},
        {'name': 'ecs-container-instance-arn', 'column': 'ecs_container_instance_arn', 'kind': 'string', 'since': 7},
        {'name': 'ecs-container-instance-id', 'column': 'ecs_container_instance_id', 'kind': 'string', 'since': 7},
        {'name': 'ecs-container-id', 'column': 'ecs_container_id', 'kind': 'string', 'since': 7},
        {'name': 'ecs-second-container-id', 'column': 'ecs_second_container_id', 'kind': 'string', 'since': 7},
        {'name': 'ecs-service-name', 'column': 'ecs_service_name', 'kind': 'string', 'since': 7},
        {'name': 'ecs-task-definition-arn', 'column': 'ecs_task_definition_arn', 'kind': 'string', 'since': 7},
        {'name': 'ecs-task-arn', 'column': 'ecs_task_arn', 'kind': 'string', 'since': 7},
        {'name': 'ecs-task-id', 'column': 'ecs_task_id', 'kind': 'string', 'since': 7},
        {'name': 'reject-reason', 'column': 'reject_reason', 'kind': 'string', 'since': 8},
        {'name': 'resource-type', 'column': 'resource_type', 'kind': 'string', 'since': 6},
        {'name': 'tgw-id', 'column': 'tgw_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-attachment-id', 'column': 'tgw_attachment_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-src-vpc-account-id', 'column': 'tgw_src_vpc_account_id', 'kind': 'account', 'since': 6},
        {'name': 'tgw-dst-vpc-account-id', 'column': 'tgw_dst_vpc_account_id', 'kind': 'account', 'since': 6},
        {'name': 'tgw-src-vpc-id', 'column': 'tgw_src_vpc_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-dst-vpc-id', 'column': 'tgw_dst_vpc_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-src-subnet-id', 'column': 'tgw_src_subnet_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-dst-subnet-id', 'column': 'tgw_dst_subnet_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-src-eni', 'column': 'tgw_src_eni', 'kind': 'string', 'since': 6},
        {'name': 'tgw-dst-eni', 'column': 'tgw_dst_eni', 'kind': 'string', 'since': 6},
        {'name': 'tgw-src-az-id', 'column': 'tgw_src_az_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-dst-az-id', 'column': 'tgw_dst_az_id', 'kind': 'string', 'since': 6},
        {'name': 'tgw-pair-attachment-id', 'column': 'tgw_pair_attachment_id', 'kind': 'string', 'since': 6},
        {'name': 'packets-lost-no-route', 'column': 'packets_lost_no_route', 'kind': 'bigint', 'since': 6},
        {'name': 'packets-lost-blackhole', 'column': 'packets_lost_blackhole', 'kind': 'bigint', 'since': 6},
        {'name': 'packets-lost-mtu-exceeded', 'column': 'packets_lost_mtu_exceeded', 'kind': 'bigint', 'since': 6},
        {'name': 'packets-lost-ttl-expired', 'column': 'packets_lost_ttl_expired', 'kind': 'bigint', 'since': 6},
    ]) }}
{% endmacro %}
