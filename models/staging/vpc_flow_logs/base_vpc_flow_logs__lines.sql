{#-
    One row per line (header lines included, flagged) of every raw flow log file: parsed by the header
    of its own file, typed, validated. `malformed_reason` is NULL for records and
    names the first failed check otherwise. The only model that reads the gzip
    text, and each object once: an incremental run appends the lines of the objects
    not parsed before, stamped with the run's `parsed_at` (the position downstream
    watermarks refer to). A backfill re-parses its delivery days.

    Athena: the partition column (delivery_date) comes last.
-#}
{{ config(**vpc_flow_logs.daily_partitioned_config('delivery_date', append_only=true)) }}

{%- set specs = vpc_flow_logs.flow_log_field_specs() -%}
{%- set configured = vpc_flow_logs.configured_flow_log_fields() | join(' ') -%}
{%- set window = vpc_flow_logs.backfill_window() -%}
{#- A backfill re-parses its delivery days; otherwise only objects not parsed yet. -#}
{%- set objects = vpc_flow_logs.raw_partition_filter(window) if window.is_forced
    else vpc_flow_logs.unparsed_objects_filter() -%}
{#- Only the fields the headers of those objects name are extracted; the others are NULL. -#}
{%- set present = vpc_flow_logs.present_flow_log_fields(objects) -%}
{%- set present_names = present | map(attribute='name') | list -%}

with raw_lines as (
    select
        {{ vpc_flow_logs.raw_source_file() }} as source_file,
        account_partition,
        region_partition,
        date_partition,
        {{ vpc_flow_logs.raw_hour_partition() }} as hour_partition,
        line
    from {{ vpc_flow_logs.raw_flow_logs_lines(source('vpc_flow_logs', 'raw_flow_logs')) }}
    where {{ objects }}
),

classified as (
    select
        *,
        coalesce({{ vpc_flow_logs.flow_log_header_condition('line') }}, false) as is_header
    from raw_lines
),

with_headers as (
    {{ vpc_flow_logs.attach_file_headers('classified', present) }}
),

fields as (
    select
        {%- for spec in present %}
        nullif(
            {{ vpc_flow_logs.array_element('tokens', 'pos_' ~ spec.column) }}, '-'
        ) as {{ spec.column }}__text,
        {%- endfor %}
        source_file,
        account_partition,
        region_partition,
        date_partition,
        hour_partition,
        line,
        is_header,
        header_line,
        last_header_line,
        coalesce({{ vpc_flow_logs.utf8_byte_length('line') }}, 0) as line_length,
        {{ vpc_flow_logs.array_size('tokens') }} as field_count,
        header_field_count,
        {{ 'pos_start_epoch is not null' if 'start' in present_names else 'false' }} as has_start_field,
        header_unknown_fields,
        case
            when header_unknown_fields <> ''
                then {{ vpc_flow_logs.unknown_fields_map('header_tokens', 'tokens') }}
        end as unknown_fields
    from (
        select
            *,
            {{ vpc_flow_logs.split_fields('line') }} as tokens
        from with_headers
    ) as split_lines
),

extracted as (
    select
        {%- for spec in present if spec.kind in ('int', 'bigint', 'epoch') %}
        {{ vpc_flow_logs.try_cast(spec.column ~ '__text', 'bigint') }} as {{ spec.column }}__bigint,
        {%- endfor %}
        fields.*
    from fields
),

typed as (
    select
        {%- for spec in specs %}
        {%- if spec.name in present_names %}
        {{ vpc_flow_logs.parse_flow_log_field(spec, spec.column ~ '__text', spec.column ~ '__bigint') }}
            as {{ spec.column }},
        {%- else %}
        cast(null as {{ vpc_flow_logs.flow_log_field_type(spec) }}) as {{ spec.column }},
        {%- endif %}
        {%- endfor %}
        extracted.*
    from extracted
),

validated as (
    select
        *,
        case
            when is_header then null
            when line is null or line = '' then 'empty_line'
            when not {{ vpc_flow_logs.regexp_like('line', "'^[ -~]*$'") }}
                then 'invalid_characters'
            when header_line is null then 'no_header'
            when header_line <> last_header_line then 'conflicting_headers'
            when field_count <> header_field_count then 'field_count_mismatch'
            {%- for spec in present %}
            when {{ spec.column }}__text is not null and {{ spec.column }} is null
                then 'invalid_{{ spec.name | replace('-', '_') }}'
            {%- endfor %}
            when has_start_field and start_epoch is null then 'missing_start'
            when end_epoch < start_epoch then 'end_before_start'
            when start_epoch < 946684800 then 'start_out_of_range'
            when start_epoch >= {{ vpc_flow_logs.partition_epoch('date_partition') }} + 2 * 86400
                then 'start_out_of_range'
            {#- Same bound for end: no record ends after it was delivered. Both bounds keep
                every timestamp within what DuckDB and Trino can hold. -#}
            when end_epoch >= {{ vpc_flow_logs.partition_epoch('date_partition') }} + 2 * 86400
                then 'end_out_of_range'
        end as malformed_reason
    from typed
),

checked as (
    select
        *,
        not is_header and malformed_reason is null as is_record
    from validated
),

final as (
    select
        source_file,
        account_partition,
        region_partition,
        date_partition,
        hour_partition,
        is_header,
        line_length,
        malformed_reason,
        case when malformed_reason is not null then coalesce(line, '') end as raw_line,
        header_line = '{{ configured }}' as header_matches_config,
        case when is_header then header_unknown_fields end as header_unknown_fields,
        case when is_record then unknown_fields end as unknown_fields,
        {%- for spec in specs %}
        case when is_record then {{ spec.column }} end as {{ spec.column }},
        {%- endfor %}
        case
            when is_record then {{ vpc_flow_logs.epoch_to_timestamp('start_epoch') }}
        end as start_time,
        case
            when is_record then {{ vpc_flow_logs.epoch_to_timestamp('end_epoch') }}
        end as end_time
    from checked
),

derived as (
    select
        *,
        cast(start_time as date) as event_date,
        {{ vpc_flow_logs.protocol_name('protocol') }} as protocol_name,
        {{ vpc_flow_logs.ip_version('srcaddr') }} as ip_version,
        {{ vpc_flow_logs.ip_is_private('srcaddr') }} as srcaddr_is_private,
        {{ vpc_flow_logs.ip_is_private('dstaddr') }} as dstaddr_is_private,
        {%- for flag, mask in [('fin', 1), ('syn', 2), ('rst', 4), ('psh', 8), ('ack', 16), ('urg', 32)] %}
        {{ vpc_flow_logs.bit_is_set('tcp_flags', mask) }} as has_{{ flag }}_flag,
        {%- endfor %}
        cast('{{ run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f')[:23] }}' as timestamp) as parsed_at,
        cast(replace(date_partition, '/', '-') as date) as delivery_date
    from final
)

select * from derived
