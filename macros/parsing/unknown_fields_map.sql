{#-
    A map from each unknown header field (see `unknown_header_fields`) to its text in
    one line (NULL for `-`). The first occurrence wins when a header repeats a name.
    `header_tokens` and `tokens` are the split header and the split line.
-#}
{% macro unknown_fields_map(header_tokens, tokens) %}
    {{ return(adapter.dispatch('unknown_fields_map', 'vpc_flow_logs')(header_tokens, tokens)) }}
{% endmacro %}

{% macro default__unknown_fields_map(header_tokens, tokens) -%}
    {{ vpc_flow_logs.unsupported_adapter('unknown_fields_map') }}
{%- endmacro %}

{#- https://trino.io/docs/current/functions/map.html (map_from_entries); element_at is NULL past the end. -#}
{% macro athena__unknown_fields_map(header_tokens, tokens) -%}
    map_from_entries(transform(
        filter(
            sequence(1, cardinality({{ header_tokens }})),
            i -> element_at({{ header_tokens }}, i) not in {{ vpc_flow_logs.known_field_names_list() }}
            and array_position({{ header_tokens }}, element_at({{ header_tokens }}, i)) = i
        ),
        i -> row(element_at({{ header_tokens }}, i), nullif(element_at({{ tokens }}, i), '-'))
    ))
{%- endmacro %}

{#- https://duckdb.org/docs/sql/data_types/map (map_from_entries of key/value structs) -#}
{% macro duckdb__unknown_fields_map(header_tokens, tokens) -%}
    map_from_entries(list_transform(
        list_filter(
            range(1, len({{ header_tokens }}) + 1),
            lambda i: {{ header_tokens }}[i] not in {{ vpc_flow_logs.known_field_names_list() }}
            and list_position({{ header_tokens }}, {{ header_tokens }}[i]) = i
        ),
        lambda i: {'k': {{ header_tokens }}[i], 'v': nullif({{ tokens }}[i], '-')}
    ))
{%- endmacro %}
