{#-
    One row per flow log object, as `stg_vpc_flow_logs__files` exposes it.
    DuckDB: the plugin's file inventory (lines counted independently of SQL).
    Athena: the objects that produced lines (S3 holds no line counts to compare).
-#}
{% macro flow_log_files() %}
    {{ return(adapter.dispatch('flow_log_files', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__flow_log_files() -%}
    select
        source_file,
        cast('ok' as varchar) as status,
        cast(null as varchar) as reason,
        cast(null as bigint) as size_bytes,
        cast(null as bigint) as lines_read,
        cast(null as bigint) as bytes_read,
        cast(null as varchar) as content_md5,
        false as is_duplicate,
        cast(null as varchar) as duplicate_of,
        account_partition,
        region_partition,
        date_partition
    from (
        select distinct
            source_file,
            account_partition,
            region_partition,
            date_partition
        from {{ ref('base_vpc_flow_logs__lines') }}
    ) as objects
{%- endmacro %}

{% macro duckdb__flow_log_files() -%}
    select
        path as source_file,
        status,
        reason,
        size_bytes,
        line_count as lines_read,
        line_bytes as bytes_read,
        content_md5,
        coalesce(copy_number > 1, false) as is_duplicate,
        case when copy_number > 1 then first_copy end as duplicate_of,
        account_partition,
        region_partition,
        date_partition
    from (
        select
            *,
            case when status = 'ok' then row_number() over (
                partition by status, name_hash, content_md5 order by path) end as copy_number,
            case when status = 'ok' then first_value(path) over (
                partition by status, name_hash, content_md5 order by path) end as first_copy
        from {{ source('vpc_flow_logs', 'raw_flow_log_files') }}
    ) as inventory
{%- endmacro %}
