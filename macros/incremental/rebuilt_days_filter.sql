{#-
    The predicate selecting the rows of `relation` that its model's last run wrote,
    for data tests of scheduled runs: the parsed lines of the latest `parsed_at`;
    for other day-partitioned models, the event days between the two watermarks of
    their last run (table `incremental_watermarks`); a backfill's window. `true`
    (every row) after a full refresh or first run, for models that are not
    day-partitioned or not built yet, and when var `test_whole_history` is true.
-#}
{% macro rebuilt_days_filter(relation) %}
    {%- if not execute or var('test_whole_history') | string | lower in ('true', '1', 'yes') -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set ns = namespace(node=none) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model'
        and node.alias | lower == relation.identifier | lower
        and node.schema | lower == relation.schema | lower -%}
        {%- set ns.node = node -%}
    {%- endfor -%}
    {%- if ns.node is none or ns.node.config.materialized != 'incremental'
        or adapter.get_relation(relation.database, relation.schema, relation.identifier) is none -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set day_column = ns.node.config.unique_key -%}
    {%- set forced = vpc_flow_logs.backfill_window() -%}
    {%- if forced.is_forced -%}
        {{ return(vpc_flow_logs.window_filter(day_column, {'start': forced.start, 'end': forced.end, 'days': none})) }}
    {%- endif -%}
    {%- if ns.node.unique_id == 'model.vpc_flow_logs.base_vpc_flow_logs__lines' -%}
        {{ return('parsed_at = (select max(parsed_at) from ' ~ relation ~ ')') }}
    {%- endif -%}
    {%- set result = run_query(
        "select cast(parsed_after as varchar), cast(parsed_through as varchar) from "
        ~ vpc_flow_logs.incremental_watermarks_relation()
        ~ " where model_name = '" ~ ns.node.name ~ "' order by parsed_through desc, recorded_at desc limit 1") -%}
    {%- if result.rows | length == 0 or result.rows[0][0] is none -%}
        {{ return('true') }}
    {%- endif -%}
    {%- set days = vpc_flow_logs.changed_days(
        "cast('" ~ result.rows[0][0] ~ "' as timestamp)", "cast('" ~ result.rows[0][1] ~ "' as timestamp)") -%}
    {{ return(vpc_flow_logs.window_filter(day_column, {'start': none, 'end': none, 'days': days})) }}
{% endmacro %}
