{#- True when the address `ip` (text) is inside the network `cidr` (text, IPv4 or IPv6). -#}
{% macro ip_in_cidr(ip, cidr) %}
    {{ return(adapter.dispatch('ip_in_cidr', 'vpc_flow_logs')(ip, cidr)) }}
{% endmacro %}

{% macro default__ip_in_cidr(ip, cidr) -%}
    {{ vpc_flow_logs.unsupported_adapter('ip_in_cidr') }}
{%- endmacro %}

{#-
    Trino: https://trino.io/docs/current/functions/ipaddress.html#contains
    contains() fails the query ("IP address version should be the same") for an
    address of the other IP version than the network, so it only gets pairs of one
    version: an IPv6 network (a ':' in it) and an address whose text form as Trino's
    ipaddress has a ':' (IPv4-mapped IPv6 addresses print as IPv4), or neither.
-#}
{% macro athena__ip_in_cidr(ip, cidr) -%}
    coalesce(
        case
            when
                (strpos({{ cidr }}, ':') > 0)
                = (strpos(cast(try_cast({{ ip }} as ipaddress) as varchar), ':') > 0)
                then contains({{ cidr }}, try_cast({{ ip }} as ipaddress))
        end,
        false
    )
{%- endmacro %}

{#-
    DuckDB's inet extension is not in its wheel. IPv4 addresses in IPv4 networks are
    compared as integers in SQL (vectorized); everything else (IPv6, IPv4-mapped IPv6,
    malformed input) goes to vpc_flow_logs_ip_in_cidr, registered by the project's
    dbt-duckdb plugin (Python's ipaddress). CASE runs the function only on the rows
    that reach its branch. Apply it to distinct addresses, not to every record.
-#}
{% macro duckdb__ip_in_cidr(ip, cidr) -%}
    {%- set ipv4 = vpc_flow_logs.ipv4_pattern() -%}
    {%- set ipv4_cidr = ipv4[:-1] ~ '/(3[0-2]|[12]?[0-9])$' -%}
    case
        when
            regexp_matches({{ ip }}, '{{ ipv4 }}')
            and regexp_matches({{ cidr }}, '{{ ipv4_cidr }}')
            then
                ({{ vpc_flow_logs.ipv4_to_bigint(ip) }}
                >> (32 - cast(split_part({{ cidr }}, '/', 2) as bigint)))
                = ({{ vpc_flow_logs.ipv4_to_bigint("split_part(" ~ cidr ~ ", '/', 1)") }}
                >> (32 - cast(split_part({{ cidr }}, '/', 2) as bigint)))
        else vpc_flow_logs_ip_in_cidr({{ ip }}, {{ cidr }})
    end
{%- endmacro %}
