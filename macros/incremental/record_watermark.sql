{#-
    post-hook of day-partitioned models: records how far this run consumed the
    parsed lines (its parents' watermark), in the model's own transaction on DuckDB.
    Nothing when nothing new was consumed, for backfills, for the parsed lines themselves (their watermark is
    their latest `parsed_at`) and for models that are not incremental.
-#}
{% macro record_watermark() %}
    {%- if not execute or config.get('materialized') != 'incremental'
        or model.unique_id == 'model.vpc_flow_logs.base_vpc_flow_logs__lines'
        or vpc_flow_logs.backfill_window().is_forced -%}
        {{ return('') }}
    {%- endif -%}
    {%- set through = vpc_flow_logs.upstream_watermark() -%}
    {%- if through is none -%}{{ return('') }}{%- endif -%}
    {#- The previous watermark: none after a full refresh or a first run (every day). -#}
    {%- set after = none if flags.FULL_REFRESH else vpc_flow_logs.read_watermark(model.name) -%}
    {%- if after is not none and after == through -%}{{ return('') }}{%- endif -%}
    insert into {{ vpc_flow_logs.incremental_watermarks_relation() }}
        (model_name, parsed_after, parsed_through, recorded_at)
    values (
        '{{ model.name }}',
        {% if after is none %}cast(null as timestamp){% else %}cast('{{ after }}' as timestamp){% endif %},
        cast('{{ through }}' as timestamp),
        cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S') }}' as timestamp)
    )
{% endmacro %}
