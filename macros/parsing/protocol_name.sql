{#-
    IANA keyword of an IP protocol number (the `keyword` column of the
    `iana_protocols` seed; a data test keeps both in step). NULL when IANA assigns
    no keyword (unassigned, experimental) or the number is NULL.
-#}
{% macro protocol_name(protocol_number) %}
    {{ return(adapter.dispatch('protocol_name', 'vpc_flow_logs')(protocol_number)) }}
{% endmacro %}

{#- Portable: a `case` over `iana_protocol_keywords`. -#}
{% macro default__protocol_name(protocol_number) -%}
    case {{ protocol_number }}
        {%- for number, keyword in vpc_flow_logs.iana_protocol_keywords().items() %}
        when {{ number }} then '{{ keyword }}'
        {%- endfor %}
    end
{%- endmacro %}
