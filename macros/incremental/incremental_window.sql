{#-
    The window of days an incremental model rebuilds, as python dates
    {'start': date or none, 'end': date or none} (start inclusive, end exclusive).

    - vars backfill_start_date / backfill_end_date, when set, win (backfills);
    - otherwise, on an incremental run: from max(`column`) in the model's table
      minus `lookback` days (default var lookback_days), open-ended. With
      `catch_up_from` (the upstream relation the model reads, whose `column` was just
      rebuilt), the start is never earlier than that relation's latest day minus
      `lookback` minus var catch_up_days: a mart whose rows are sparse (its latest
      row weeks old) then rebuilds the recent days, not its whole history;
    - otherwise (first run, full refresh): everything.
    Literal bounds (not subqueries) let Athena prune partitions and DuckDB skip files.
-#}
{% macro incremental_window(column, lookback=none, catch_up_from=none) %}
    {%- set start = vpc_flow_logs.date_var('backfill_start_date') -%}
    {%- set end = vpc_flow_logs.date_var('backfill_end_date') -%}
    {%- set lookback = (var('lookback_days') if lookback is none else lookback) | int -%}
    {%- set catch_up = var('catch_up_days') | int -%}
    {%- if lookback < 0 -%}
        {{ exceptions.raise_compiler_error("lookback days must be >= 0, not " ~ lookback) }}
    {%- endif -%}
    {%- if catch_up < 0 -%}
        {{ exceptions.raise_compiler_error("var catch_up_days must be >= 0, not " ~ catch_up) }}
    {%- endif -%}
    {%- if start is not none and end is not none and start >= end -%}
        {{ exceptions.raise_compiler_error("backfill_start_date must be before backfill_end_date (the end is exclusive).") }}
    {%- endif -%}
    {%- if start is none and execute and is_incremental() -%}
        {%- set latest = vpc_flow_logs.latest_day(this, column) -%}
        {%- if latest is not none -%}
            {%- set start = latest - modules.datetime.timedelta(days=lookback) -%}
        {%- endif -%}
        {%- if catch_up_from is not none -%}
            {#- An existing but empty table (a mart without findings yet) is bounded too. -#}
            {%- set upstream_latest = vpc_flow_logs.latest_day(catch_up_from, column) -%}
            {%- if upstream_latest is not none -%}
                {%- set earliest = upstream_latest - modules.datetime.timedelta(days=lookback + catch_up) -%}
                {%- set start = earliest if start is none else [start, earliest] | max -%}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {{ return({'start': start, 'end': end}) }}
{% endmacro %}


{#- max(`column`) of `relation` as a python date, none when the relation is empty. -#}
{% macro latest_day(relation, column) %}
    {%- set result = run_query('select max(' ~ column ~ ') from ' ~ relation) -%}
    {%- set latest = result.columns[0].values()[0] if result and result.rows | length > 0 else none -%}
    {%- if latest is string -%}
        {%- set latest = modules.datetime.datetime.strptime(latest[:10], '%Y-%m-%d').date() -%}
    {%- elif latest is not none and latest.date is defined and latest.hour is defined -%}
        {%- set latest = latest.date() -%}
    {%- endif -%}
    {{ return(latest) }}
{% endmacro %}


{% macro date_literal(value) -%}
    cast('{{ value.strftime('%Y-%m-%d') }}' as date)
{%- endmacro %}


{#- `column >= start and column < end` for a window; `true` when unbounded. -#}
{% macro window_filter(column, window, shift_start_days=0) -%}
    {%- set parts = [] -%}
    {%- if window.start is not none -%}
        {%- do parts.append(column ~ ' >= ' ~ vpc_flow_logs.date_literal(window.start - modules.datetime.timedelta(days=shift_start_days))) -%}
    {%- endif -%}
    {%- if window.end is not none -%}
        {%- do parts.append(column ~ ' < ' ~ vpc_flow_logs.date_literal(window.end)) -%}
    {%- endif -%}
    {{- parts | join(' and ') if parts else 'true' -}}
{%- endmacro %}


{#-
    The same window on the raw `date_partition` strings ('YYYY/MM/DD'), which sort
    like dates: Athena prunes projected partitions, DuckDB skips whole days.
-#}
{% macro raw_partition_filter(window) -%}
    {%- set parts = [] -%}
    {%- if window.start is not none -%}
        {%- do parts.append("date_partition >= '" ~ window.start.strftime('%Y/%m/%d') ~ "'") -%}
    {%- endif -%}
    {%- if window.end is not none -%}
        {%- do parts.append("date_partition < '" ~ window.end.strftime('%Y/%m/%d') ~ "'") -%}
    {%- endif -%}
    {{- parts | join(' and ') if parts else 'true' -}}
{%- endmacro %}


{#- Incremental strategy that overwrites whole partitions on each engine. -#}
{% macro partition_overwrite_strategy() %}
    {{ return(adapter.dispatch('partition_overwrite_strategy', 'vpc_flow_logs')()) }}
{% endmacro %}

{#- dbt-athena: Hive insert_overwrite replaces the partitions present in the new rows. -#}
{% macro athena__partition_overwrite_strategy() %}
    {{ return('insert_overwrite') }}
{% endmacro %}

{#- dbt-duckdb: delete+insert on the partition column (the model's unique_key). -#}
{% macro default__partition_overwrite_strategy() %}
    {{ return('delete+insert') }}
{% endmacro %}


{#- Partition columns for engines that partition tables (Athena); none elsewhere. -#}
{% macro partitioned_by(columns) %}
    {{ return(adapter.dispatch('partitioned_by', 'vpc_flow_logs')(columns)) }}
{% endmacro %}

{% macro athena__partitioned_by(columns) %}
    {{ return(columns) }}
{% endmacro %}

{#- dbt-duckdb only partitions DuckLake relations: plain tables take no partition config. -#}
{% macro default__partitioned_by(columns) %}
    {{ return(none) }}
{% endmacro %}


{#-
    The configuration shared by every model partitioned by day: incremental,
    overwriting whole days (Athena Hive insert_overwrite on Parquet partitions,
    DuckDB delete+insert on the day column), at most 100 partitions per query.
    Usage: {{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
-#}
{% macro daily_partitioned_config(day_column) %}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': vpc_flow_logs.partition_overwrite_strategy(),
        'unique_key': day_column,
        'partitioned_by': vpc_flow_logs.partitioned_by([day_column]),
        'table_type': 'hive',
        'format': 'parquet',
        'write_compression': 'snappy',
        'partitions_limit': 100,
        'on_schema_change': 'fail',
    }) }}
{% endmacro %}


{#-
    Partition pruning on `delivery_date` for a window on `event_date`: a record's
    start falls at the latest on the day after its delivery day (staging quarantines
    starts 2 or more days after it), so records of event days >= start were
    delivered on or after start - 1 day. Late
    records delivered any time later are included: there is no upper bound.
-#}
{% macro delivery_date_filter(window) -%}
    {%- if window.start is none -%}
        true
    {%- else -%}
        delivery_date >= {{ vpc_flow_logs.date_literal(window.start - modules.datetime.timedelta(days=1)) }}
    {%- endif -%}
{%- endmacro %}
