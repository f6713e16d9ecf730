{#-
    A header line: space-separated tokens written like field names (lowercase words
    joined by `-`), at least one of them a field this project knows. Tokens it does not
    know are fields AWS added later: the file is still parsed (see `unknown_fields_map`).
    A record line matches only when none of its tokens holds a number, an address,
    an upper-case value or `-`, and one of them spells a field name (an ECS name
    chosen that way): no format AWS documents produces such records. Portable SQL.
-#}
{% macro flow_log_header_condition(line) -%}
    {%- set names = vpc_flow_logs.flow_log_field_specs() | map(attribute='name') | list -%}
    (
        {{ vpc_flow_logs.regexp_like(line, "'^[a-z][a-z0-9-]*( [a-z][a-z0-9-]*)*$'") }}
        and {{ vpc_flow_logs.regexp_like(line, "'(^| )(" ~ names | join('|') ~ ")( |$)'") }}
    )
{%- endmacro %}
