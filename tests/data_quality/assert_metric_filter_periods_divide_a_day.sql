-- A metric filter period must divide a day (1440 minutes): a period that crossed
-- midnight would mix two event days in one row of fct_metric_alarms.
select
    filter_name,
    period_minutes
from {{ ref('metric_filters') }}
where mod(1440, period_minutes) <> 0
