{#-
    Called from `on-run-start`, so it runs once, before any model: validates var
    `flow_log_fields` (a malformed or repeated name stops the run here) and warns once
    about names the project does not know. Such a field is still read: files whose
    header carries it keep its values in `unknown_fields`, and no mart uses it.
-#}
{% macro check_flow_log_fields() %}
    {%- if execute -%}
        {%- set unknown = vpc_flow_logs.unknown_configured_flow_log_fields() -%}
        {%- if unknown -%}
            {%- do exceptions.warn(
                "var flow_log_fields: " ~ unknown | join(', ') ~ " "
                ~ ("is not a field" if unknown | length == 1 else "are not fields")
                ~ " this project knows (a typo, or a field AWS added later). Its values are "
                ~ "kept as text in stg_vpc_flow_logs.unknown_fields; no model uses them.") -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
