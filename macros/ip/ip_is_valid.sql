{#- True when `ip` is a syntactically valid IPv4 or IPv6 address (text form). -#}
{% macro ip_is_valid(ip) %}
    {{ return(adapter.dispatch('ip_is_valid', 'vpc_flow_logs')(ip)) }}
{% endmacro %}

{#- Portable. One regular expression per value: IPv6 when it has a colon, IPv4 otherwise. -#}
{% macro default__ip_is_valid(ip) -%}
    case
        when {{ ip }} like '%:%'
            then {{ vpc_flow_logs.regexp_like('lower(' ~ ip ~ ')', "'" ~ vpc_flow_logs.ipv6_pattern() ~ "'") }}
        else {{ vpc_flow_logs.regexp_like(ip, "'" ~ vpc_flow_logs.ipv4_pattern() ~ "'") }}
    end
{%- endmacro %}
