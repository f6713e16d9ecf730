-- Warns when the malformed share of a delivery day exceeds var malformed_share_warn_threshold.
{{ config(severity='warn') }}

with lines as (
    select
        delivery_date,
        sum(case when malformed_reason is not null then 1 else 0 end) as malformed_lines,
        sum(case when not is_header then 1 else 0 end) as data_lines
    from {{ ref('base_vpc_flow_logs__lines') }}
    group by delivery_date
)

select
    delivery_date,
    malformed_lines,
    data_lines
from lines
where
    data_lines > 0
    and cast(malformed_lines as double) / data_lines
    > {{ var('malformed_share_warn_threshold') }}
