{#- The IPv4 part of `ip_is_private`, on a dotted-quad string. -#}
{% macro ipv4_is_private(ip) %}
    {{ return(adapter.dispatch('ipv4_is_private', 'vpc_flow_logs')(ip)) }}
{% endmacro %}

{#- Portable. One anchored regular expression on the dotted quad (the address is already valid). -#}
{% macro default__ipv4_is_private(ip) -%}
    {{ vpc_flow_logs.regexp_like(ip, "'" ~ '^(10|127)[.]|^192[.]168[.]|^169[.]254[.]|^172[.](1[6-9]|2[0-9]|3[01])[.]|^100[.](6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])[.]' ~ "'") }}
{%- endmacro %}
