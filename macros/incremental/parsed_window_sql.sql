{#-
    The counts `check_parsed_window` judges a run of `base_vpc_flow_logs__lines` by, in
    one row over `relation` (the parsed lines): lines stamped by this run
    (`parsed_now`), the latest earlier stamp (`parsed_before`, text) and the seconds
    from it to this run, the last delivery day, the lines other than headers in the
    delivery days of `window` (a `backfill_window`) and in all. Portable SQL:
    `date_diff` means the same on DuckDB and Trino.
-#}
{% macro parsed_window_sql(relation, window) %}
    {%- set days = {'start': window.start, 'end': window.end, 'days': none} -%}
    {#- The stamp `base_vpc_flow_logs__lines` gives the lines this run parses. -#}
    {%- set stamp = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')[:23] ~ "' as timestamp)" -%}
    {%- set earlier = 'max(case when parsed_at < ' ~ stamp ~ ' then parsed_at end)' -%}
    select
        count(case when parsed_at = {{ stamp }} then 1 end) as parsed_now,
        cast({{ earlier }} as varchar) as parsed_before,
        date_diff('second', {{ earlier }}, {{ stamp }}) as seconds_since,
        cast(max(delivery_date) as varchar) as last_delivery_day,
        count(
            case when not is_header and {{ vpc_flow_logs.window_filter('delivery_date', days) }} then 1 end
        ) as window_lines,
        count(case when not is_header then 1 end) as all_lines
    from {{ relation }}
{%- endmacro %}
