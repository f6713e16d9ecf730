{#-
    The predicate selecting a window from `rebuild_window` on a date column:
    `column in (days)` (`false` for no day), else `column >= start and column < end`
    (either bound omitted when none; `true` when both are).
-#}
{% macro window_filter(column, window) -%}
    {%- if window.days is not none -%}
        {%- if window.days | length == 0 -%}
            false
        {%- else -%}
            {{ column }} in (
            {%- for day in window.days -%}
                {{ vpc_flow_logs.date_literal(day) }}{{ ', ' if not loop.last }}
            {%- endfor -%}
            )
        {%- endif -%}
    {%- else -%}
        {%- set parts = [] -%}
        {%- if window.start is not none -%}
            {%- do parts.append(column ~ ' >= ' ~ vpc_flow_logs.date_literal(window.start)) -%}
        {%- endif -%}
        {%- if window.end is not none -%}
            {%- do parts.append(column ~ ' < ' ~ vpc_flow_logs.date_literal(window.end)) -%}
        {%- endif -%}
        {{- parts | join(' and ') if parts else 'true' -}}
    {%- endif -%}
{%- endmacro %}
