{#-
    post-hook of day-partitioned models: records how far this run consumed the
    parsed lines (its parents' watermark) and from where (its previous one, NULL
    after a full refresh or a first run), in the model's transaction on DuckDB.
    Nothing when nothing new was consumed, for backfills, for the parsed lines themselves (their watermark is
    their latest `parsed_at`) and for models that are not incremental.
-#}
{% macro record_watermark() %}
    {%- if not execute or config.get('materialized') != 'incremental'
        or model.unique_id == 'model.vpc_flow_logs.base_vpc_flow_logs__lines'
        or vpc_flow_logs.backfill_window().is_forced -%}
        {{ return('') }}
    {%- endif -%}
    {#- The previous watermark: none after a full refresh (every day was rebuilt). -#}
    {%- set after = 'cast(null as timestamp)' if flags.FULL_REFRESH else vpc_flow_logs.watermark_sql(model.name) -%}
    insert into {{ vpc_flow_logs.incremental_watermarks_relation() }}
        (model_name, parsed_after, parsed_through, recorded_at)
    select
        '{{ model.name }}',
        parsed_after,
        parsed_through,
        cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S') }}' as timestamp)
    from (
        select {{ after }} as parsed_after, {{ vpc_flow_logs.upstream_watermark() }} as parsed_through
    ) as marks
    where parsed_through is not null and (parsed_after is null or parsed_through > parsed_after)
{% endmacro %}
