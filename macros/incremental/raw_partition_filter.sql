{#-
    A backfill window on the raw `date_partition` strings ('YYYY/MM/DD', which sort
    like dates): Athena prunes projected partitions, DuckDB skips whole days.
-#}
{% macro raw_partition_filter(window) -%}
    {%- set parts = [] -%}
    {%- if window.start is not none -%}
        {%- do parts.append("date_partition >= '" ~ window.start.strftime('%Y/%m/%d') ~ "'") -%}
    {%- endif -%}
    {%- if window.end is not none -%}
        {%- do parts.append("date_partition < '" ~ window.end.strftime('%Y/%m/%d') ~ "'") -%}
    {%- endif -%}
    {{- parts | join(' and ') if parts else 'true' -}}
{%- endmacro %}
