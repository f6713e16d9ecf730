{#-
    Athena: an existing raw table must read the delivery option the vars name. Its
    columns tell the file format (`line`: text; one column per field: Parquet), and
    under partition projection its partition keys tell the prefixes (`year`: Hive-
    compatible) and the folders (`hour_partition`: hourly). A Parquet table must hold
    a column for every field of var flow_log_fields. A table created for another option
    stops the run in one line saying what to do, before any query reads it wrongly.
    Called by `athena__prepare_raw_source`.
-#}
{% macro check_raw_table_shape(relation) %}
    {%- set glue = adapter.get_glue_table(relation) -%}
    {%- if glue is none -%}{{ return(none) }}{%- endif -%}
    {%- set table = glue['Table'] -%}
    {%- set columns = ((table.get('StorageDescriptor') or {}).get('Columns') or [])
        | map(attribute='Name') | map('lower') | list -%}
    {%- set keys = (table.get('PartitionKeys') or []) | map(attribute='Name') | map('lower') | list -%}
    {%- set projected = (table.get('Parameters') or {}).get('storage.location.template') is not none -%}
    {%- set found = {'flow_logs_file_format': 'text' if 'line' in columns else 'parquet'} -%}
    {%- set wanted = {'flow_logs_file_format': vpc_flow_logs.flow_logs_file_format()} -%}
    {%- if projected -%}
        {%- do found.update({'flow_logs_prefixes': 'hive' if 'year' in keys else 'default',
                             'flow_logs_layout': 'hourly' if 'hour_partition' in keys else 'daily'}) -%}
        {%- do wanted.update({'flow_logs_prefixes': vpc_flow_logs.flow_logs_prefixes(),
                              'flow_logs_layout': vpc_flow_logs.flow_logs_layout()}) -%}
    {%- endif -%}
    {%- set problems = [] -%}
    {%- for name in found | sort if found[name] != wanted[name] -%}
        {%- do problems.append(name ~ ' ' ~ found[name] ~ ' (the vars say ' ~ wanted[name] ~ ')') -%}
    {%- endfor -%}
    {%- if not problems and found['flow_logs_file_format'] == 'parquet' -%}
        {%- set missing = [] -%}
        {%- for field in vpc_flow_logs.configured_flow_log_fields()
            if (field | replace('-', '_')) not in columns -%}
            {%- do missing.append(field | replace('-', '_')) -%}
        {%- endfor -%}
        {%- if missing -%}
            {%- do problems.append('no column ' ~ (missing | join(', ')) ~ ' of var flow_log_fields') -%}
        {%- endif -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "The raw table " ~ relation.schema ~ "." ~ relation.identifier ~ " was created for another "
            ~ "delivery option: " ~ (problems | join('; ')) ~ ". Recreate it with `dbt run-operation "
            ~ "create_raw_flow_logs_table --args '{replace: true}'` (then `dbt build --full-refresh`), "
            ~ "name another table with var raw_flow_logs_table, or set the vars to what the table reads.") }}
    {%- endif -%}
{% endmacro %}
