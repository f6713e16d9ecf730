{#-
    Typed value of one flow log field from its text (already NULL for `-`).
    NULL when the text is not a valid value for the field: the staging model
    then quarantines the line with reason `invalid_<field>`.
    Integers must be written exactly as AWS writes them (digits, no sign, no
    leading zeros): the round trip through the integer type proves it.
-#}
{% macro parse_flow_log_field(spec, text, as_bigint) %}
    {{ return(adapter.dispatch('parse_flow_log_field', 'vpc_flow_logs')(spec, text, as_bigint)) }}
{% endmacro %}

{#-
    Portable SQL (the engine differences are in `ip_is_valid` and `regexp_like`).
    `as_bigint`: the text already cast with try_cast to bigint (numeric kinds), cast once.
-#}
{% macro default__parse_flow_log_field(spec, text, as_bigint) -%}
    {%- if spec.kind == 'int' -%}
        case
            when cast({{ as_bigint }} as varchar) = {{ text }}
                and {{ as_bigint }} between {{ spec.min }} and {{ spec.max }}
                then cast({{ as_bigint }} as integer)
        end
    {%- elif spec.kind in ('bigint', 'epoch') -%}
        case
            when cast({{ as_bigint }} as varchar) = {{ text }} and {{ as_bigint }} >= 0
                then {{ as_bigint }}
        end
    {%- elif spec.kind == 'ip' -%}
        case when {{ vpc_flow_logs.ip_is_valid(text) }} then {{ text }} end
    {%- elif spec.kind == 'enum' -%}
        case
            when {{ text }} in ('{{ spec['values'] | join("', '") }}') then {{ text }}
        end
    {%- elif spec.kind == 'account' -%}
        case when {{ vpc_flow_logs.regexp_like(text, "'^[0-9]{12}$'") }} then {{ text }} end
    {%- else -%}
        {{ text }}
    {%- endif -%}
{%- endmacro %}
