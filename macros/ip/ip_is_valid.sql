{#- Regular expressions for address validation (RE2 and Java regex compatible). -#}
{% macro ipv4_pattern() -%}
    {%- set octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])' -%}
    {{- return('^(' ~ octet ~ '\\.){3}' ~ octet ~ '$') -}}
{%- endmacro %}

{% macro ipv6_pattern() -%}
    {%- set h = '[0-9a-f]{1,4}' -%}
    {%- set v4 = '([0-9]{1,3}\\.){3}[0-9]{1,3}' -%}
    {%- set full = '(' ~ h ~ ':){7}' ~ h -%}
    {%- set compressed = '((' ~ h ~ ':){0,6}' ~ h ~ ')?::((' ~ h ~ ':){0,6}' ~ h ~ ')?' -%}
    {%- set embedded = '((' ~ h ~ ':){6}|((' ~ h ~ ':){0,5}' ~ h ~ ')?::((' ~ h ~ ':){0,4})?)' ~ v4 -%}
    {{- return('^(' ~ full ~ '|' ~ compressed ~ '|' ~ embedded ~ ')$') -}}
{%- endmacro %}


{#- True when `ip` is a syntactically valid IPv4 or IPv6 address (text form). -#}
{% macro ip_is_valid(ip) %}
    {{ return(adapter.dispatch('ip_is_valid', 'vpc_flow_logs')(ip)) }}
{% endmacro %}

{#- One regular expression per value: IPv6 when it has a colon, IPv4 otherwise. -#}
{% macro default__ip_is_valid(ip) -%}
    case
        when {{ ip }} like '%:%'
            then {{ vpc_flow_logs.regexp_like('lower(' ~ ip ~ ')', "'" ~ vpc_flow_logs.ipv6_pattern() ~ "'") }}
        else {{ vpc_flow_logs.regexp_like(ip, "'" ~ vpc_flow_logs.ipv4_pattern() ~ "'") }}
    end
{%- endmacro %}


{#- 4 or 6 for an address in text form, NULL for NULL. -#}
{% macro ip_version(ip) %}
    {{ return(adapter.dispatch('ip_version', 'vpc_flow_logs')(ip)) }}
{% endmacro %}

{% macro default__ip_version(ip) -%}
    case
        when {{ ip }} like '%:%' then 6
        when {{ ip }} like '%.%' then 4
    end
{%- endmacro %}
