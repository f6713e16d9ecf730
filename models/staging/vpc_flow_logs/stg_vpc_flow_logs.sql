with lines as (
    select * from {{ ref('base_vpc_flow_logs__lines') }}
),

final as (
    select
        source_file,
        account_partition,
        region_partition,
        date_partition,
        hour_partition,
        delivery_date,
        header_matches_config,
        {%- for spec in vpc_flow_logs.flow_log_field_specs() %}
        {{ spec.column }},
        {%- endfor %}
        unknown_fields,
        start_time,
        end_time,
        event_date,
        protocol_name,
        ip_version,
        srcaddr_is_private,
        dstaddr_is_private,
        has_fin_flag,
        has_syn_flag,
        has_rst_flag,
        has_psh_flag,
        has_ack_flag,
        has_urg_flag
    from lines
    where not is_header and malformed_reason is null
)

select * from final
