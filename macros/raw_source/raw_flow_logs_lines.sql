{#-
    What `base_vpc_flow_logs__lines` reads: `relation` (the raw source) as rows of
    `"$path"`/`source_file`, account_partition, region_partition, date_partition
    ('YYYY/MM/DD'), [hour_partition,] line.
-#}
{% macro raw_flow_logs_lines(relation) %}
    {{ return(adapter.dispatch('raw_flow_logs_lines', 'vpc_flow_logs')(relation)) }}
{% endmacro %}

{% macro default__raw_flow_logs_lines(relation) -%}
    {{ vpc_flow_logs.unsupported_adapter('raw_flow_logs_lines') }}
{%- endmacro %}

{#- DuckDB: the raw view already reads every layout and format as text lines. -#}
{% macro duckdb__raw_flow_logs_lines(relation) -%}
    {{ relation }}
{%- endmacro %}

{#-
    Athena: the table itself for text in the default layout. Under Hive-compatible
    prefixes, `date_partition` is built from the projected `year`, `month` and `day`
    (filters on it are predicates on partition keys only, evaluated per projected
    partition). For Parquet, each row becomes its text line (`parquet_line` over the
    columns of var flow_log_fields) and each object gets one synthetic header line
    (`select distinct "$path"`: Parquet answers from its footers, no column is read).
    The hidden `"$path"` is passed on under its own name, so `raw_source_file` and the
    incremental filters read the same column in every variant.
-#}
{% macro athena__raw_flow_logs_lines(relation) -%}
    {%- set hive = vpc_flow_logs.flow_logs_prefixes() == 'hive' -%}
    {%- set parquet = vpc_flow_logs.flow_logs_file_format() == 'parquet' -%}
    {%- if not hive and not parquet -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set hourly = vpc_flow_logs.flow_logs_layout() == 'hourly' -%}
    {%- set fields = vpc_flow_logs.configured_flow_log_fields() -%}
    {%- set partitions -%}
            account_partition,
            region_partition,
            {% if hive -%}
            concat(year, '/', month, '/', day)
            {%- else -%}
            date_partition
            {%- endif %} as date_partition,
            {%- if hourly %}
            hour_partition,
            {%- endif %}
    {%- endset -%}
    (
        select
            "$path" as "$path",
            {{- partitions }}
            {% if parquet -%}
            {{ vpc_flow_logs.parquet_line(fields | map('replace', '-', '_') | list) }}
            {%- else -%}
            line
            {%- endif %} as line
        from {{ relation }}
        {%- if parquet %}
        union all
        select distinct
            "$path" as "$path",
            {{- partitions }}
            {{ vpc_flow_logs.parquet_header(fields) }} as line
        from {{ relation }}
        {%- endif %}
    ) as raw_flow_logs
{%- endmacro %}
