{#- 4 or 6 for an address in text form, NULL for NULL. -#}
{% macro ip_version(ip) %}
    {{ return(adapter.dispatch('ip_version', 'vpc_flow_logs')(ip)) }}
{% endmacro %}

{#- Portable: a colon means IPv6, a dot IPv4. -#}
{% macro default__ip_version(ip) -%}
    case
        when {{ ip }} like '%:%' then 6
        when {{ ip }} like '%.%' then 4
    end
{%- endmacro %}
