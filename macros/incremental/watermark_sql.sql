{#-
    A model's watermark as a SQL scalar expression: the largest `parsed_through`
    recorded for it, NULL when it has none.
-#}
{% macro watermark_sql(model_name) -%}
    (select max(parsed_through) from {{ vpc_flow_logs.incremental_watermarks_relation() }}
        where model_name = '{{ model_name }}')
{%- endmacro %}
