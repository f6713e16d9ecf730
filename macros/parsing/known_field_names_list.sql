{#- The names of every known field as an SQL value list, `('version', ...)`, for `in` (portable). -#}
{% macro known_field_names_list() -%}
    ('{{ vpc_flow_logs.flow_log_field_specs() | map(attribute='name') | join("', '") }}')
{%- endmacro %}
