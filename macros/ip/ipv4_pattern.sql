{#- Regular expression of a dotted-quad IPv4 address (RE2 and Java regex compatible). -#}
{% macro ipv4_pattern() -%}
    {%- set octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])' -%}
    {{- return('^(' ~ octet ~ '\\.){3}' ~ octet ~ '$') -}}
{%- endmacro %}
