{#-
    AWS's documented signature of a stateless network ACL: the request is
    ACCEPTed, the response on the same interface (addresses and ports swapped)
    is REJECTed, because the NACL lacks the rule for the return traffic.
    TCP and UDP pair by addresses and ports; ICMP and ICMPv6 (AWS's own example:
    an echo request ACCEPTed inbound, the reply REJECTed outbound) have no ports,
    so they pair by addresses alone and report `server_port` 0.
-#}
{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_nacl_asymmetric_flows',
    ['interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'start', 'end',
     'action']) -%}
{%- set window = vpc_flow_logs.rebuild_window() -%}

with flows as (
    select
        event_date,
        account_id,
        interface_id,
        srcaddr,
        dstaddr,
        case when protocol in (1, 58) then 0 else srcport end as srcport,
        case when protocol in (1, 58) then 0 else dstport end as dstport,
        protocol,
        action,
        start_time,
        end_time
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and protocol in (1, 6, 17, 58)
        and {{ vpc_flow_logs.window_filter('event_date', window) }}
),

rejected_responses as (
    select
        event_date,
        account_id,
        interface_id,
        dstaddr as client_addr,
        srcaddr as server_addr,
        dstport as client_port,
        srcport as server_port,
        protocol,
        count(*) as response_flows,
        max(end_time) as last_response_at
    from flows
    where action = 'REJECT'
    group by event_date, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol
),

-- Only the accepted requests a rejected response answers: the join on the few
-- rejected tuples comes before grouping, not after grouping every accepted
-- (ephemeral-port) flow. One response row per tuple, so its values pass through.
pairs as (
    select
        rejected_responses.event_date,
        rejected_responses.account_id,
        rejected_responses.interface_id,
        rejected_responses.client_addr,
        rejected_responses.server_addr,
        rejected_responses.protocol,
        rejected_responses.server_port,
        count(*) as request_flows,
        max(rejected_responses.response_flows) as response_flows,
        min(flows.start_time) as first_request_at,
        max(rejected_responses.last_response_at) as last_response_at
    from flows
    inner join rejected_responses
        on
            flows.event_date = rejected_responses.event_date
            and flows.account_id = rejected_responses.account_id
            and flows.interface_id = rejected_responses.interface_id
            and flows.srcaddr = rejected_responses.client_addr
            and flows.dstaddr = rejected_responses.server_addr
            and flows.srcport = rejected_responses.client_port
            and flows.dstport = rejected_responses.server_port
            and flows.protocol = rejected_responses.protocol
    where flows.action = 'ACCEPT'
    group by
        rejected_responses.event_date,
        rejected_responses.account_id,
        rejected_responses.interface_id,
        rejected_responses.client_addr,
        rejected_responses.server_addr,
        rejected_responses.client_port,
        rejected_responses.server_port,
        rejected_responses.protocol
),

final as (
    select
        cast(account_id as varchar) as account_id,
        cast(interface_id as varchar) as interface_id,
        cast(client_addr as varchar) as client_addr,
        cast(server_addr as varchar) as server_addr,
        cast(protocol as integer) as protocol,
        cast(min(server_port) as integer) as server_port,
        cast(count(distinct server_port) as bigint) as distinct_server_ports,
        cast(count(*) as bigint) as connections,
        cast(sum(request_flows) as bigint) as accepted_request_flows,
        cast(sum(response_flows) as bigint) as rejected_response_flows,
        cast(min(first_request_at) as timestamp) as first_seen_at,
        cast(max(last_response_at) as timestamp) as last_seen_at,
        cast(event_date as date) as event_date
    from pairs
    group by event_date, account_id, interface_id, client_addr, server_addr, protocol
)

select * from final
