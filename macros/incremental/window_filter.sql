{#-
    The predicate selecting a window from `rebuild_window` on a date column:
    `column in (days)` (`false` for no day), else `column >= start and column < end`
    (either bound omitted when none; `true` when both are). `shift_start_days` also
    keeps that many days before the window (a model's baseline input): for a list of
    days, the range from its first day minus the shift to its last day.
-#}
{% macro window_filter(column, window, shift_start_days=0) -%}
    {%- set shift = modules.datetime.timedelta(days=shift_start_days | int) -%}
    {%- if window.days is not none -%}
        {%- if window.days | length == 0 -%}
            false
        {%- elif shift_start_days | int > 0 -%}
            {{ column }} >= {{ vpc_flow_logs.date_literal(window.days | min - shift) }}
            and {{ column }} <= {{ vpc_flow_logs.date_literal(window.days | max) }}
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
            {%- do parts.append(column ~ ' >= ' ~ vpc_flow_logs.date_literal(window.start - shift)) -%}
        {%- endif -%}
        {%- if window.end is not none -%}
            {%- do parts.append(column ~ ' < ' ~ vpc_flow_logs.date_literal(window.end)) -%}
        {%- endif -%}
        {{- parts | join(' and ') if parts else 'true' -}}
    {%- endif -%}
{%- endmacro %}
