-- SSH and RDP activity ordered by time.
with activity as (
    select
        first_seen_at,
        last_seen_at,
        service,
        srcaddr,
        dstaddr,
        interface_id,
        action,
        is_response,
        is_trusted_source,
        flows,
        bytes
    from {{ ref('fct_ssh_rdp_activity') }}
)

select * from activity
order by first_seen_at, service, srcaddr
