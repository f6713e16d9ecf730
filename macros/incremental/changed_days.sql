{#-
    The event days (sorted python dates) of the flow records parsed after watermark
    `after` and up to watermark `through` (SQL scalar expressions; `after` NULL:
    since the beginning, `through` NULL: nothing): the days whose rows changed
    upstream of a model since its last run. One query, whose text does not depend on
    any earlier answer.
-#}
{% macro changed_days(after, through) %}
    {%- set sql -%}
        select {{ vpc_flow_logs.days_text('event_date') }} as event_days
        from {{ vpc_flow_logs.parsed_lines_relation() }}
        where
            event_date is not null
            and parsed_at <= {{ through }}
            and parsed_at > coalesce({{ after }}, cast('1970-01-01 00:00:00' as timestamp))
    {%- endset -%}
    {%- set result = run_query(sql) -%}
    {%- set text = result.rows[0][0] if result.rows | length > 0 else none -%}
    {%- set days = [] -%}
    {%- for day in (text or '').split(',') if day | trim -%}
        {%- do days.append(modules.datetime.datetime.strptime(day | trim, '%Y-%m-%d').date()) -%}
    {%- endfor -%}
    {{ return(days | sort) }}
{% endmacro %}
