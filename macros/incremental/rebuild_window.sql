{#-
    The event days a day-partitioned model rebuilds in this run, as
    `{'start', 'end', 'days'}`: `days` is a list of dates (the days to replace) or
    none for a range `[start, end)` (either bound none = open).

    - backfill vars set: that range, forced;
    - first run or full refresh: everything;
    - incremental run: the event days of the lines parsed after this model's
      watermark and up to its parents' (`changed_days`). Nothing new: no day.
    The days are literals computed before the query, so Athena prunes partitions.
-#}
{% macro rebuild_window() %}
    {%- set forced = vpc_flow_logs.backfill_window() -%}
    {%- if forced.is_forced or not execute or not is_incremental() -%}
        {{ return({'start': forced.start, 'end': forced.end, 'days': none}) }}
    {%- endif -%}
    {%- set through = vpc_flow_logs.upstream_watermark() -%}
    {%- if through is none -%}
        {{ return({'start': none, 'end': none, 'days': []}) }}
    {%- endif -%}
    {%- set after = vpc_flow_logs.read_watermark(model.name) -%}
    {{ return({'start': none, 'end': none, 'days': vpc_flow_logs.changed_days(after, through)}) }}
{% endmacro %}
