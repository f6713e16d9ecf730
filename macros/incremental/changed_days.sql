{#-
    The event days (sorted python dates) of the flow records parsed after watermark
    `after` (none: since the beginning) and up to watermark `through`: the days whose
    rows changed upstream of a model since its last run.
-#}
{% macro changed_days(after, through) %}
    {%- set lines = vpc_flow_logs.parsed_lines_relation() -%}
    {%- set sql -%}
        select distinct cast(event_date as varchar) as event_day
        from {{ lines }}
        where
            event_date is not null
            and parsed_at <= cast('{{ through }}' as timestamp)
            {%- if after is not none %}
            and parsed_at > cast('{{ after }}' as timestamp)
            {%- endif %}
        order by 1
    {%- endset -%}
    {%- set days = [] -%}
    {%- for row in run_query(sql).rows -%}
        {%- do days.append(modules.datetime.datetime.strptime(row[0][:10], '%Y-%m-%d').date()) -%}
    {%- endfor -%}
    {{ return(days) }}
{% endmacro %}
