{#- on-run-start: creates the watermarks table when missing. -#}
{% macro prepare_incremental_watermarks() %}
    {{ return(adapter.dispatch('prepare_incremental_watermarks', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__prepare_incremental_watermarks() %}
    {{ vpc_flow_logs.unsupported_adapter('prepare_incremental_watermarks') }}
{% endmacro %}

{% macro duckdb__prepare_incremental_watermarks() %}
    {%- set relation = vpc_flow_logs.incremental_watermarks_relation() -%}
    create schema if not exists {{ relation.schema }};
    create table if not exists {{ relation }} (
        model_name varchar,
        parsed_after timestamp,
        parsed_through timestamp,
        recorded_at timestamp
    )
{% endmacro %}

{#- Athena: a Hive Parquet table under the profile's s3_data_dir; runs append rows. -#}
{% macro athena__prepare_incremental_watermarks() %}
    {%- set relation = vpc_flow_logs.incremental_watermarks_relation() -%}
    {%- set data_dir = (target.s3_data_dir or target.s3_staging_dir) | string -%}
    {%- if execute -%}
        {%- do run_query('create database if not exists `' ~ relation.schema ~ '`') -%}
    {%- endif -%}
    create external table if not exists {{ vpc_flow_logs.hive_table_name(relation) }} (
        `model_name` string,
        `parsed_after` timestamp,
        `parsed_through` timestamp,
        `recorded_at` timestamp
    )
    stored as parquet
    location {{ vpc_flow_logs.hive_string(data_dir.rstrip('/') ~ '/' ~ relation.schema ~ '/incremental_watermarks/') }}
{% endmacro %}
