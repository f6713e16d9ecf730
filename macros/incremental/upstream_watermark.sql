{#-
    How far the parents of a model have consumed the parsed lines, as a timestamp
    text: the parsed lines' own latest `parsed_at`, another day-partitioned model's
    recorded watermark; views are looked through. The smallest of them (a parent
    that has not caught up bounds its children); none when a parent has nothing.
-#}
{% macro upstream_watermark(node=none) %}
    {%- set node = node if node is not none else model -%}
    {%- set parsed_lines = 'model.vpc_flow_logs.base_vpc_flow_logs__lines' -%}
    {%- set marks = [] -%}
    {%- for parent_id in node.depends_on.nodes if parent_id.startswith('model.') -%}
        {%- set parent = graph.nodes.get(parent_id) -%}
        {%- if parent_id == parsed_lines -%}
            {%- set result = run_query('select cast(max(parsed_at) as varchar) from ' ~ vpc_flow_logs.parsed_lines_relation()) -%}
            {%- do marks.append(result.rows[0][0] if result.rows | length > 0 else none) -%}
        {%- elif parent.config.materialized == 'view' -%}
            {%- do marks.append(vpc_flow_logs.upstream_watermark(parent)) -%}
        {%- elif parent.config.materialized == 'incremental' -%}
            {%- do marks.append(vpc_flow_logs.read_watermark(parent.name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if marks | length == 0 or none in marks -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(marks | map('string') | min) }}
{% endmacro %}
