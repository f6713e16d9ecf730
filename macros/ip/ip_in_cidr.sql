{#- True when the address `ip` (text) is inside the network `cidr` (text, IPv4 or IPv6). -#}
{% macro ip_in_cidr(ip, cidr) %}
    {{ return(adapter.dispatch('ip_in_cidr', 'vpc_flow_logs')(ip, cidr)) }}
{% endmacro %}

{#- Trino: https://trino.io/docs/current/functions/ipaddress.html#contains -#}
{% macro athena__ip_in_cidr(ip, cidr) -%}
    coalesce(contains({{ cidr }}, try_cast({{ ip }} as ipaddress)), false)
{%- endmacro %}

{#-
    DuckDB's inet extension is not in its wheel: the project's dbt-duckdb plugin
    registers vpc_flow_logs_ip_in_cidr (Python's ipaddress, IPv4 and IPv6).
    Apply it to distinct addresses, not to every record.
-#}
{% macro duckdb__ip_in_cidr(ip, cidr) -%}
    vpc_flow_logs_ip_in_cidr({{ ip }}, {{ cidr }})
{%- endmacro %}
