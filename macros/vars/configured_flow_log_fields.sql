{#-
    The configured format (var `flow_log_fields`) as a list, validated: names must be
    written like AWS field names (lowercase words joined by `-`) and listed once.
    A well-formed name this project does not know is accepted (AWS adds fields): it is
    reported once per run by `check_flow_log_fields`, and files carrying it keep its
    values in `unknown_fields`.
-#}
{% macro configured_flow_log_fields() %}
    {%- set raw = var('flow_log_fields') -%}
    {#- Plain names, or AWS's format string as the console and CLI show it: ${version} ${vpc-id} -#}
    {%- set fields = [] -%}
    {%- for token in (raw if raw is not string else raw.split()) -%}
        {%- set token = token | string | trim -%}
        {%- if token.startswith('${') and token.endswith('}') -%}
            {%- set token = token[2:-1] -%}
        {%- endif -%}
        {%- do fields.append(token) -%}
    {%- endfor -%}
    {%- for field in fields -%}
        {%- if fields.count(field) > 1 -%}
            {{ exceptions.raise_compiler_error("var flow_log_fields: '" ~ field ~ "' is listed more than once.") }}
        {%- endif -%}
        {%- if not modules.re.match('^[a-z][a-z0-9]*(-[a-z0-9]+)*$', field) -%}
            {{ exceptions.raise_compiler_error(
                "var flow_log_fields: '" ~ field ~ "' is not a flow log field name (AWS names are "
                ~ "lowercase words joined by '-', e.g. 'srcaddr tgw-attachment-id'), separated by spaces.") }}
        {%- endif -%}
    {%- endfor -%}
    {%- if fields | length == 0 -%}
        {{ exceptions.raise_compiler_error("var flow_log_fields is empty: list the fields of your flow log format.") }}
    {%- endif -%}
    {{ return(fields) }}
{% endmacro %}
