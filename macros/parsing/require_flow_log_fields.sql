{#-
    Stops the run with a clear message when the configured format (var
    `flow_log_fields`) lacks a field a model needs, instead of building a table of
    NULLs or zeros. `model_name` is shown in the message.
-#}
{% macro require_flow_log_fields(model_name, fields) %}
    {%- set configured = vpc_flow_logs.configured_flow_log_fields() -%}
    {%- set missing = [] -%}
    {%- for field in fields -%}
        {%- if field not in configured -%}{%- do missing.append(field) -%}{%- endif -%}
    {%- endfor -%}
    {%- if missing -%}
        {{ exceptions.raise_compiler_error(
            model_name ~ " needs the flow log field(s) " ~ missing | join(', ')
            ~ ", which var flow_log_fields does not include. Add them to your flow log "
            ~ "format, or exclude this model (--exclude " ~ model_name ~ ").") }}
    {%- endif -%}
{% endmacro %}
