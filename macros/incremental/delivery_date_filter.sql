{#-
    Partition pruning on `delivery_date` for a window on `event_date`: a record's
    start falls at the latest on the day after its delivery day (staging quarantines
    later starts), so records of event days >= the window's first day were delivered
    on or after that day - 1. Late records delivered any time later are included:
    there is no upper bound.
-#}
{% macro delivery_date_filter(window) -%}
    {%- set first = (window.days | min if window.days else none) if window.days is not none else window.start -%}
    {%- if first is none -%}
        true
    {%- else -%}
        delivery_date >= {{ vpc_flow_logs.date_literal(first - modules.datetime.timedelta(days=1)) }}
    {%- endif -%}
{%- endmacro %}
