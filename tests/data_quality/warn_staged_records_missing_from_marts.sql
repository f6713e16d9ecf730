-- Warns when staged flow records of an event day are missing from the marts (or the
-- marts count records no longer staged): a mart built from another selection than
-- its parents, or a table edited by hand. Rebuild those days with a backfill (vars
-- backfill_start_date / backfill_end_date) or --full-refresh.
{{ config(severity='warn') }}

with staged as (
    select
        event_date,
        count(*) as staged_records
    from {{ ref('stg_vpc_flow_logs') }}
    where event_date is not null and coalesce(log_status = 'OK', log_status is null)
    group by event_date
),

in_marts as (
    select
        event_date,
        sum(flows) as mart_records
    from {{ ref('fct_traffic_daily') }}
    group by event_date
)

select
    staged.event_date,
    staged.staged_records,
    coalesce(in_marts.mart_records, 0) as mart_records
from staged
left join in_marts
    on staged.event_date = in_marts.event_date
where staged.staged_records <> coalesce(in_marts.mart_records, 0)
