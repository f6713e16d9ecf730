{#- The raw source relation, as the sources YAML names it. -#}
{% macro raw_flow_logs_relation(identifier=none) %}
    {{ return(api.Relation.create(
        database=target.database,
        schema=var('raw_schema', target.schema),
        identifier=identifier or var('raw_flow_logs_table'),
        type='table')) }}
{% endmacro %}
