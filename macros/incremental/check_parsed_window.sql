{#-
    post-hook of `base_vpc_flow_logs__lines`: a run that parses nothing must not look
    like a quiet day.

    - A backfill (forced window) whose delivery days hold no line other than headers
      (while other days may hold some): the run stops, naming the root and the window (on DuckDB the model's
      transaction is rolled back, so the window keeps its previous lines).
    - A scheduled run that parses no new object while earlier runs parsed some: normal
      between two deliveries, so a warning naming the root and the last delivery day
      seen; the run stops once the previous object was parsed more than var
      `stale_feed_error_after_hours` hours before this run (a stale feed).
    Var `allow_empty_run: true` turns both stops into warnings. A scheduled run over a
    table with no line at all is left to the empty-run checks (`prepare_raw_source`,
    `assert_flow_log_lines_were_read`). The counts: `parsed_window_sql`.
-#}
{% macro check_parsed_window() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set window = vpc_flow_logs.backfill_window() -%}
    {%- set sql = vpc_flow_logs.parsed_window_sql(this, window) -%}
    {%- set row = run_query(sql).rows[0] -%}
    {%- set parsed_now, parsed_before, seconds_since, last_day, window_lines, all_lines = row[0], row[1], row[2], row[3], row[4], row[5] -%}
    {%- set root = vpc_flow_logs.flow_logs_root() ~ '/AWSLogs/' -%}
    {%- set allowed = var('allow_empty_run') -%}

    {%- if window.is_forced -%}
        {%- if window_lines == 0 -%}
            {%- set bounds = (window.start | string if window.start is not none else '(open)')
                ~ ' .. ' ~ (window.end | string if window.end is not none else '(open)') -%}
            {%- set message = "The backfill window " ~ bounds ~ " (delivery days, end exclusive) holds no flow log record under "
                ~ root ~ (", while the table holds " ~ all_lines ~ " lines of other delivery days (last: " ~ last_day ~ ")"
                    if all_lines > 0 else ", nor does any other delivery day") ~ ". Check the window and var flow_logs_root; to rebuild the window empty on purpose, set var allow_empty_run: true." -%}
            {%- if allowed -%}
                {%- do exceptions.warn(message) -%}
            {%- else -%}
                {%- do exceptions.raise_compiler_error(message) -%}
            {%- endif -%}
        {%- endif -%}
        {{ return('') }}
    {%- endif -%}

    {%- if parsed_now == 0 and parsed_before is not none -%}
        {%- set limit_hours = var('stale_feed_error_after_hours') | float -%}
        {%- set hours = (seconds_since | float / 3600) | round(1) -%}
        {%- set seen = "last delivery day seen " ~ last_day ~ ", last new object parsed " ~ parsed_before[:19] ~ " UTC, " ~ hours ~ " hours before this run" -%}
        {%- if hours > limit_hours and not allowed -%}
            {%- do exceptions.raise_compiler_error(
                "No new flow log object under " ~ root ~ " for more than " ~ limit_hours ~ " hours ("
                ~ seen ~ "): the feed is stale, and marts built now would look clean. Check the flow "
                ~ "logs' delivery and var flow_logs_root, raise var stale_feed_error_after_hours, or set "
                ~ "var allow_empty_run: true.") -%}
        {%- endif -%}
        {%- do exceptions.warn("No new flow log object under " ~ root ~ " since the previous run (" ~ seen
            ~ "); the run fails once this lasts more than stale_feed_error_after_hours (" ~ limit_hours ~ ") hours.") -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
