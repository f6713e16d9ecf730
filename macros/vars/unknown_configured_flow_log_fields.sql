{#- Names in var `flow_log_fields` that are not in `flow_log_field_specs`. -#}
{% macro unknown_configured_flow_log_fields() %}
    {%- set known = vpc_flow_logs.flow_log_field_specs() | map(attribute='name') | list -%}
    {{ return(vpc_flow_logs.configured_flow_log_fields() | reject('in', known) | list) }}
{% endmacro %}
