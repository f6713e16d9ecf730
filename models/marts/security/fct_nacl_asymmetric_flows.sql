{#-
    AWS's documented signature of a stateless network ACL: the request is
    ACCEPTed, the response on the same interface (addresses and ports swapped)
    is REJECTed, because the NACL lacks the rule for the return traffic.
-#}
{{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
{%- do vpc_flow_logs.require_flow_log_fields(
    'fct_nacl_asymmetric_flows',
    ['interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'start', 'end',
     'action']) -%}
{%- set window = vpc_flow_logs.incremental_window('event_date', catch_up_from=ref('int_flows_enriched')) -%}

with flows as (
    select
        event_date,
        account_id,
        interface_id,
        srcaddr,
        dstaddr,
        srcport,
        dstport,
        protocol,
        action,
        start_time,
        end_time
    from {{ ref('int_flows_enriched') }}
    where
        is_flow_record
        and protocol in (6, 17)
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

accepted_requests as (
    select
        event_date,
        account_id,
        interface_id,
        srcaddr as client_addr,
        dstaddr as server_addr,
        srcport as client_port,
        dstport as server_port,
        protocol,
        count(*) as request_flows,
        min(start_time) as first_request_at
    from flows
    where
        action = 'ACCEPT'
        -- only the requests a rejected response answers: a semi-join on the few
        -- rejected tuples before grouping every accepted (ephemeral-port) flow
        and exists (
            select 1
            from rejected_responses
            where
                rejected_responses.event_date = flows.event_date
                and rejected_responses.account_id = flows.account_id
                and rejected_responses.interface_id = flows.interface_id
                and rejected_responses.client_addr = flows.srcaddr
                and rejected_responses.server_addr = flows.dstaddr
                and rejected_responses.client_port = flows.srcport
                and rejected_responses.server_port = flows.dstport
                and rejected_responses.protocol = flows.protocol
        )
    group by event_date, account_id, interface_id, srcaddr, dstaddr, srcport, dstport, protocol
),

pairs as (
    select
        accepted_requests.event_date,
        accepted_requests.account_id,
        accepted_requests.interface_id,
        accepted_requests.client_addr,
        accepted_requests.server_addr,
        accepted_requests.protocol,
        accepted_requests.server_port,
        accepted_requests.request_flows,
        rejected_responses.response_flows,
        accepted_requests.first_request_at,
        rejected_responses.last_response_at
    from accepted_requests
    inner join rejected_responses
        on
            accepted_requests.event_date = rejected_responses.event_date
            and accepted_requests.account_id = rejected_responses.account_id
            and accepted_requests.interface_id = rejected_responses.interface_id
            and accepted_requests.client_addr = rejected_responses.client_addr
            and accepted_requests.server_addr = rejected_responses.server_addr
            and accepted_requests.client_port = rejected_responses.client_port
            and accepted_requests.server_port = rejected_responses.server_port
            and accepted_requests.protocol = rejected_responses.protocol
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
