{#-
    True for addresses that are not routed on the public internet:
    IPv4 RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 6598 shared space (100.64/10),
    loopback (127/8), link-local (169.254/16); IPv6 unique local (fc00::/7),
    link-local (fe80::/10), loopback (::1) and IPv4-mapped forms of the IPv4
    ranges (::ffff:a.b.c.d). NULL for NULL. Portable SQL: DuckDB's inet extension
    is not shipped in its wheel, and Athena gets the same answer from string logic.
-#}
{% macro ip_is_private(ip) %}
    {{ return(adapter.dispatch('ip_is_private', 'vpc_flow_logs')(ip)) }}
{% endmacro %}

{#- Portable (the engine difference is in `regexp_like`). -#}
{% macro default__ip_is_private(ip) -%}
    case
        when {{ ip }} is null then null
        when {{ ip }} like '%:%' then (
            {{ vpc_flow_logs.regexp_like('lower(' ~ ip ~ ')', "'^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):'") }}
            or {{ vpc_flow_logs.regexp_like('lower(' ~ ip ~ ')', "'^(0{0,4}:){2,7}0{0,3}1$'") }}
            or coalesce({{ vpc_flow_logs.ipv4_is_private(
                "regexp_extract(lower(" ~ ip ~ "), '^(0{0,4}:){2,5}ffff:([0-9.]+)$', 2)") }}, false)
        )
        else coalesce({{ vpc_flow_logs.ipv4_is_private(ip) }}, false)
    end
{%- endmacro %}
