{#- The configured format (var `flow_log_fields`) as a list, validated. -#}
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
    {%- set known = flow_log_field_specs() | map(attribute='name') | list -%}
    {%- for field in fields -%}
        {%- if fields.count(field) > 1 -%}
            {{ exceptions.raise_compiler_error("var flow_log_fields: '" ~ field ~ "' is listed more than once.") }}
        {%- endif -%}
        {%- if field not in known -%}
            {{ exceptions.raise_compiler_error(
                "var flow_log_fields: '" ~ field ~ "' is not an AWS flow log field. Known fields: "
                ~ known | join(' ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if fields | length == 0 -%}
        {{ exceptions.raise_compiler_error("var flow_log_fields is empty: list the fields of your flow log format.") }}
    {%- endif -%}
    {{ return(fields) }}
{% endmacro %}
