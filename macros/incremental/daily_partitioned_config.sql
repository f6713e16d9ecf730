{#-
    What differs per engine in the config of a model partitioned by day (the rest,
    incremental Parquet with hooks that replace whole days and record watermarks,
    is in dbt_project.yml). `append_only`: the parsed lines, which only ever receive
    new objects' lines (a backfill clears its days first, in the pre-hook).
    Usage: {{ config(**vpc_flow_logs.daily_partitioned_config('event_date')) }}
-#}
{% macro daily_partitioned_config(day_column, append_only=false) %}
    {{ return(adapter.dispatch('daily_partitioned_config', 'vpc_flow_logs')(day_column, append_only)) }}
{% endmacro %}

{% macro default__daily_partitioned_config(day_column, append_only=false) %}
    {{ vpc_flow_logs.unsupported_adapter('daily_partitioned_config') }}
{% endmacro %}

{#- dbt-athena: Hive partitions by day; insert_overwrite replaces the days present. -#}
{% macro athena__daily_partitioned_config(day_column, append_only=false) %}
    {{ return({
        'incremental_strategy': 'append' if append_only else 'insert_overwrite',
        'unique_key': day_column,
        'partitioned_by': [day_column],
    }) }}
{% endmacro %}

{#- dbt-duckdb: plain tables (no partitions); delete+insert on the day column. -#}
{% macro duckdb__daily_partitioned_config(day_column, append_only=false) %}
    {{ return({
        'incremental_strategy': 'append' if append_only else 'delete+insert',
        'unique_key': day_column,
    }) }}
{% endmacro %}
