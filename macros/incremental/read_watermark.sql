{#- The watermark of model `model_name` (timestamp text), none when it has none. -#}
{% macro read_watermark(model_name) %}
    {%- set result = run_query(
        "select cast(max(parsed_through) as varchar) from "
        ~ vpc_flow_logs.incremental_watermarks_relation()
        ~ " where model_name = '" ~ model_name ~ "'") -%}
    {{ return(result.rows[0][0] if result.rows | length > 0 else none) }}
{% endmacro %}
