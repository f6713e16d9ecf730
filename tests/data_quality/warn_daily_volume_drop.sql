-- Warns when a day's flow records drop by more than var volume_drop_warn_percent
-- against the average of the previous 7 days with data (per account).
{{ config(severity='warn') }}

with daily as (
    select
        event_date,
        account_id,
        sum(flows) as flows
    from {{ ref('fct_traffic_daily') }}
    group by event_date, account_id
),

with_trailing_average as (
    select
        event_date,
        account_id,
        flows,
        avg(flows) over (
            partition by account_id order by event_date
            rows between 7 preceding and 1 preceding
        ) as trailing_average,
        count(*) over (
            partition by account_id order by event_date
            rows between 7 preceding and 1 preceding
        ) as trailing_days
    from daily
)

select
    event_date,
    account_id,
    flows,
    trailing_average
from with_trailing_average
where
    trailing_days >= 3
    and flows < trailing_average * (1 - {{ var('volume_drop_warn_percent') }} / 100.0)
