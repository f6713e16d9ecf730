{#-
    The names in a header (an array of its tokens) that are not fields this project
    knows, each once, in header order, separated by spaces; '' when there are none.
-#}
{% macro unknown_header_fields(header_tokens) %}
    {{ return(adapter.dispatch('unknown_header_fields', 'vpc_flow_logs')(header_tokens)) }}
{% endmacro %}

{% macro default__unknown_header_fields(header_tokens) -%}
    {{ vpc_flow_logs.unsupported_adapter('unknown_header_fields') }}
{%- endmacro %}

{#- https://trino.io/docs/current/functions/array.html (filter, transform, array_join) -#}
{% macro athena__unknown_header_fields(header_tokens) -%}
    array_join(transform(
        filter(
            sequence(1, cardinality({{ header_tokens }})),
            i -> element_at({{ header_tokens }}, i) not in {{ vpc_flow_logs.known_field_names_list() }}
            and array_position({{ header_tokens }}, element_at({{ header_tokens }}, i)) = i
        ),
        i -> element_at({{ header_tokens }}, i)
    ), ' ')
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/lambda (list_filter, lambda syntax) -#}
{% macro duckdb__unknown_header_fields(header_tokens) -%}
    array_to_string(list_transform(
        list_filter(
            range(1, len({{ header_tokens }}) + 1),
            lambda i: {{ header_tokens }}[i] not in {{ vpc_flow_logs.known_field_names_list() }}
            and list_position({{ header_tokens }}, {{ header_tokens }}[i]) = i
        ),
        lambda i: {{ header_tokens }}[i]
    ), ' ')
{%- endmacro %}

