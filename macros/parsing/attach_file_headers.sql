{#-
    The rows of `relation` (a CTE with source_file, line, is_header and the partition
    columns) with the header of their file: header_line (the smallest header line of
    the file), last_header_line (the largest: they differ when a file holds two
    different headers), header_field_count, header_tokens (the split header),
    header_unknown_fields (names the project does not know, '' when none), and for
    every flow log field of `specs` (default: every field) `pos_<column>`,
    its 1-based position in the header (NULL when the file's format lacks it).
    Positions are computed once per file, not once per line.
-#}
{% macro attach_file_headers(relation, specs=none) %}
    {%- set specs = vpc_flow_logs.flow_log_field_specs() if specs is none else specs -%}
    {{ return(adapter.dispatch('attach_file_headers', 'vpc_flow_logs')(relation, specs)) }}
{% endmacro %}

{% macro default__attach_file_headers(relation, specs) -%}
    {{ vpc_flow_logs.unsupported_adapter('attach_file_headers') }}
{%- endmacro %}

{#- Athena: one pass with window functions, so the gzip text is scanned once. -#}
{% macro athena__attach_file_headers(relation, specs) -%}
    select
        *,
        {{ vpc_flow_logs.split_fields('header_line') }} as header_tokens,
        coalesce(
            {{ vpc_flow_logs.unknown_header_fields(vpc_flow_logs.split_fields('header_line')) }}, ''
        ) as header_unknown_fields
    from (
    select
        source_file,
        account_partition,
        region_partition,
        date_partition,
        hour_partition,
        line,
        is_header,
        min(case when is_header then line end)
            over (partition by source_file) as header_line,
        max(case when is_header then line end)
            over (partition by source_file) as last_header_line,
        {%- for spec in specs %}
        min(case when is_header then {{ vpc_flow_logs.array_position(
            vpc_flow_logs.split_fields('line'), "'" ~ spec.name ~ "'") }} end)
            over (partition by source_file) as pos_{{ spec.column }},
        {%- endfor %}
        min(case when is_header then {{ vpc_flow_logs.array_size(vpc_flow_logs.split_fields('line')) }} end)
            over (partition by source_file) as header_field_count
    from {{ relation }}
    ) as with_header_lines
{%- endmacro %}

{#- DuckDB: a hash aggregate per file joined back is cheaper than sorting every line by file. -#}
{% macro duckdb__attach_file_headers(relation, specs) -%}
    select
        lines.source_file,
        lines.account_partition,
        lines.region_partition,
        lines.date_partition,
        lines.hour_partition,
        lines.line,
        lines.is_header,
        headers.header_line,
        headers.last_header_line,
        {%- for spec in specs %}
        {{ vpc_flow_logs.array_position('headers.header_tokens', "'" ~ spec.name ~ "'") }}
            as pos_{{ spec.column }},
        {%- endfor %}
        {{ vpc_flow_logs.array_size('headers.header_tokens') }} as header_field_count,
        headers.header_tokens,
        coalesce(headers.header_unknown_fields, '') as header_unknown_fields
    from {{ relation }} as lines
    left join (
        select
            source_file,
            min(line) as header_line,
            max(line) as last_header_line,
            {{ vpc_flow_logs.split_fields('min(line)') }} as header_tokens,
            {{ vpc_flow_logs.unknown_header_fields(vpc_flow_logs.split_fields('min(line)')) }}
                as header_unknown_fields
        from {{ relation }}
        where is_header
        group by source_file
    ) as headers
        on lines.source_file = headers.source_file
{%- endmacro %}
