{#-
    How far the parents of a model have consumed the parsed lines, as a SQL scalar
    expression (subqueries, so that the query text never depends on an earlier
    answer): the parsed lines' latest `parsed_at`, another day-partitioned model's
    watermark (`watermark_sql`); views are looked through. The smallest of them (a
    parent that has not caught up bounds its children); NULL when a parent has none.
-#}
{% macro upstream_watermark(node=none) %}
    {%- set node = node if node is not none else model -%}
    {%- set parsed_lines = 'model.vpc_flow_logs.base_vpc_flow_logs__lines' -%}
    {%- set marks = [] -%}
    {%- for parent_id in node.depends_on.nodes if parent_id.startswith('model.') -%}
        {%- set parent = graph.nodes.get(parent_id) -%}
        {%- if parent_id == parsed_lines -%}
            {%- do marks.append('(select max(parsed_at) from ' ~ vpc_flow_logs.parsed_lines_relation() ~ ')') -%}
        {%- elif parent.config.materialized == 'view' -%}
            {%- set inner = vpc_flow_logs.upstream_watermark(parent) -%}
            {%- if inner != 'cast(null as timestamp)' -%}{%- do marks.append(inner) -%}{%- endif -%}
        {%- elif parent.config.materialized == 'incremental' -%}
            {%- do marks.append(vpc_flow_logs.watermark_sql(parent.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set marks = marks | unique | list -%}
    {%- if marks | length == 0 -%}
        {{ return('cast(null as timestamp)') }}
    {%- elif marks | length == 1 -%}
        {{ return(marks[0]) }}
    {%- endif -%}
    {#- least() ignores NULLs on DuckDB, not on Trino: NULL explicitly when any is. -#}
    {{ return('case when ' ~ (marks | map('string') | join(' is null or ')) ~ ' is null then null else least('
        ~ (marks | join(', ')) ~ ') end') }}
{% endmacro %}
