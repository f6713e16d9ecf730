{#-
    Athena: an existing raw table must read var `flow_logs_root`. Its Glue location
    (and `storage.location.template` under partition projection) must lie under
    `<flow_logs_root>/AWSLogs/`; a table created over another root stops the run in
    one line saying what to do (the table is kept as it is: `create external table if
    not exists` would not change it). Called by `athena__prepare_raw_source`.
-#}
{% macro check_raw_table_location(relation) %}
    {%- set expected = vpc_flow_logs.flow_logs_root() ~ '/AWSLogs/' -%}
    {%- set glue = adapter.get_glue_table(relation) -%}
    {%- if glue is none -%}{{ return(none) }}{%- endif -%}
    {%- set table = glue['Table'] -%}
    {%- set location = (table.get('StorageDescriptor') or {}).get('Location') or '' -%}
    {%- set template = (table.get('Parameters') or {}).get('storage.location.template') -%}
    {%- set found = [] -%}
    {%- if not (location.rstrip('/') ~ '/').startswith(expected) -%}
        {%- do found.append('LOCATION ' ~ location) -%}
    {%- endif -%}
    {%- if template is not none and not template.startswith(expected) -%}
        {%- do found.append('storage.location.template ' ~ template) -%}
    {%- endif -%}
    {%- if found -%}
        {{ exceptions.raise_compiler_error(
            "The raw table " ~ relation.schema ~ "." ~ relation.identifier ~ " reads another root (" ~ (found | join(', ')) ~ ") than var "
            ~ "flow_logs_root (" ~ expected ~ "): drop it, or recreate it with `dbt run-operation "
            ~ "create_raw_flow_logs_table --args '{replace: true}'` (then `dbt build --full-refresh`, "
            ~ "as the parsed lines hold the old root's objects), or set flow_logs_root to its root.") }}
    {%- endif -%}
{% endmacro %}
