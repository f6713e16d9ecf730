{#-
    The relation of `base_vpc_flow_logs__lines`, the model that parses raw objects
    and stamps each line with `parsed_at`: the watermarks of every downstream model
    are positions in it. Looked up in the graph, so callers need no ref().
-#}
{% macro parsed_lines_relation() %}
    {%- set node = graph.nodes.get('model.vpc_flow_logs.base_vpc_flow_logs__lines') -%}
    {{ return(api.Relation.create(database=node.database, schema=node.schema,
                                  identifier=node.alias, type='table')) }}
{% endmacro %}
