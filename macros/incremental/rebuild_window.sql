{#-
    The event days a day-partitioned model rebuilds in this run, as
    `{'start', 'end', 'days'}`: `days` is a list of dates (the days to replace) or
    none for a range `[start, end)` (either bound none = open).

    - backfill vars set: that range, forced;
    - first run or full refresh: everything;
    - incremental run: the event days of the lines parsed after this model's
      watermark and up to its parents' (`changed_days`). Nothing new: no day.
      A model whose day depends on earlier days (a baseline) names in its config
      `meta: {rebuild_following_days: N or '<detection_id>.<column>'}` and also
      rebuilds the N days after each changed day.
    The days are literals computed before the query, so Athena prunes partitions.
-#}
{% macro rebuild_window() %}
    {%- set forced = vpc_flow_logs.backfill_window() -%}
    {%- if forced.is_forced or not execute or not is_incremental() -%}
        {{ return({'start': forced.start, 'end': forced.end, 'days': none}) }}
    {%- endif -%}
    {%- set days = vpc_flow_logs.changed_days(
        vpc_flow_logs.watermark_sql(model.name), vpc_flow_logs.upstream_watermark()) -%}
    {%- set following = (config.get('meta') or {}).get('rebuild_following_days', 0) -%}
    {%- if following is string and days -%}
        {%- set setting = following.split('.') -%}
        {%- set following = vpc_flow_logs.detection_setting(setting[0], setting[1], 0) -%}
    {%- endif -%}
    {%- set extended = [] -%}
    {%- for day in days -%}
        {%- for offset in range((following if following is number else 0) | int + 1) -%}
            {%- set later = day + modules.datetime.timedelta(days=offset) -%}
            {%- if later not in extended -%}{%- do extended.append(later) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return({'start': none, 'end': none, 'days': extended | sort}) }}
{% endmacro %}
