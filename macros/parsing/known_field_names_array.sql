{#- The names of every known field as an SQL array literal (portable syntax). -#}
{% macro known_field_names_array() -%}
    array['{{ vpc_flow_logs.flow_log_field_specs() | map(attribute='name') | join("', '") }}']
{%- endmacro %}
