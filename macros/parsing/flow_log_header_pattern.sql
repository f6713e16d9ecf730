{#- A regular expression matching a header line: known field names separated by single spaces. -#}
{% macro flow_log_header_pattern() %}
    {%- set names = flow_log_field_specs() | map(attribute='name') | list -%}
    {%- set alternation = '(' ~ names | join('|') ~ ')' -%}
    {{ return('^' ~ alternation ~ '( ' ~ alternation ~ ')*$') }}
{% endmacro %}
