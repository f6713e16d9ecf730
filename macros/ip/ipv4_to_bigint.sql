{#- A valid dotted-quad IPv4 address (text) as an integer: a.b.c.d = a*2^24 + b*2^16 + c*2^8 + d. Portable SQL. -#}
{% macro ipv4_to_bigint(ip) -%}
    (cast(split_part({{ ip }}, '.', 1) as bigint) * 16777216
    + cast(split_part({{ ip }}, '.', 2) as bigint) * 65536
    + cast(split_part({{ ip }}, '.', 3) as bigint) * 256
    + cast(split_part({{ ip }}, '.', 4) as bigint))
{%- endmacro %}
