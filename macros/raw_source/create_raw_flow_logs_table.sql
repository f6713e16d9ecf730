{#-
    Athena DDL for the raw source: one string column `line` per text line, so that
    the staging SQL splits and validates every line itself (nothing is turned into
    NULL silently by a SerDe). The header line of each file stays in the data:
    staging uses it to map fields by name.

    projection=true  partition projection over the AWS key layout: new days need
                     no maintenance (Athena only).
    projection=false classic partitions, registered by scripts/backfill_partitions.py
                     (Glue, Spark/EMR, Redshift Spectrum).

    Usage: dbt run-operation create_raw_flow_logs_table --target athena
           dbt run-operation create_raw_flow_logs_table --args '{projection: false, identifier: raw_flow_logs_classic}'
-#}
{% macro create_raw_flow_logs_table(projection=true, identifier=none, replace=false) %}
    {%- set relation = vpc_flow_logs.raw_flow_logs_relation(identifier) -%}
    {%- set ddl = vpc_flow_logs.raw_flow_logs_table_ddl(relation, projection) -%}
    {%- if execute -%}
        {%- if replace -%}
            {%- do run_query('drop table if exists ' ~ vpc_flow_logs.hive_table_name(relation)) -%}
        {%- endif -%}
        {%- do run_query('create database if not exists `' ~ relation.schema ~ '`') -%}
        {%- do run_query(ddl) -%}
        {{ log('Created or kept external table ' ~ relation ~ ' over ' ~ vpc_flow_logs.flow_logs_root() ~ '/AWSLogs/', info=true) }}
    {%- endif -%}
    {{ return(ddl) }}
{% endmacro %}


{% macro hive_table_name(relation) -%}
    `{{ relation.schema }}`.`{{ relation.identifier }}`
{%- endmacro %}


{#- Quote a value for a Hive DDL string literal (single quotes doubled are not Hive). -#}
{% macro hive_string(value) -%}
    {%- set text = value | string -%}
    {%- if "'" in text or '\\' in text -%}
        {{ exceptions.raise_compiler_error("Value not allowed in table DDL (quote or backslash): " ~ text) }}
    {%- endif -%}
    '{{ text }}'
{%- endmacro %}


{% macro raw_flow_logs_table_ddl(relation, projection=true) %}
    {%- set root = vpc_flow_logs.flow_logs_root() -%}
    {%- if not root.startswith('s3://') -%}
        {{ exceptions.raise_compiler_error("On Athena, var flow_logs_root must be an s3:// URI (the prefix that contains AWSLogs/), not " ~ root) }}
    {%- endif -%}
    {#- Hourly folders get an hour key under projection; classic tables keep one
        partition per day folder (scripts/backfill_partitions.py), whose hour
        subfolders the engines read recursively. -#}
    {%- set hourly = projection and vpc_flow_logs.flow_logs_layout() == 'hourly' -%}
    {%- set location = root ~ '/AWSLogs/' -%}
    {%- set template = location ~ '${account_partition}/vpcflowlogs/${region_partition}/${date_partition}' ~ ('/${hour_partition}' if hourly else '') -%}
    {%- set accounts = vpc_flow_logs.list_var('flow_logs_accounts', '^[0-9]{12}$', '12-digit AWS account ids') -%}
    {%- set regions = vpc_flow_logs.list_var('flow_logs_regions', '^[a-z]{2}(-[a-z]+)+-[0-9]+$', 'AWS region names such as us-east-1') -%}
    {%- set start = vpc_flow_logs.date_var('flow_logs_start_date') -%}
    {%- if projection and (accounts | length == 0 or regions | length == 0) -%}
        {{ exceptions.raise_compiler_error("Partition projection needs the accounts and regions to read: set vars flow_logs_accounts and flow_logs_regions (lists).") }}
    {%- endif -%}
create external table if not exists {{ vpc_flow_logs.hive_table_name(relation) }} (
    `line` string
)
partitioned by (
    `account_partition` string,
    `region_partition` string,
    `date_partition` string{% if hourly %},
    `hour_partition` string{% endif %}
)
row format serde 'org.apache.hadoop.hive.serde2.RegexSerDe'
with serdeproperties ('input.regex' = '^(.*)$')
stored as inputformat 'org.apache.hadoop.mapred.TextInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
location {{ vpc_flow_logs.hive_string(location) }}
tblproperties (
    'classification' = 'vpcflowlogs',
    'compressionType' = 'gzip'{% if projection %},
    'projection.enabled' = 'true',
    'projection.account_partition.type' = 'enum',
    'projection.account_partition.values' = {{ vpc_flow_logs.hive_string(accounts | join(',')) }},
    'projection.region_partition.type' = 'enum',
    'projection.region_partition.values' = {{ vpc_flow_logs.hive_string(regions | join(',')) }},
    'projection.date_partition.type' = 'date',
    'projection.date_partition.format' = 'yyyy/MM/dd',
    'projection.date_partition.range' = {{ vpc_flow_logs.hive_string(start.strftime('%Y/%m/%d') ~ ',NOW') }},
    'projection.date_partition.interval' = '1',
    'projection.date_partition.interval.unit' = 'DAYS',{% if hourly %}
    'projection.hour_partition.type' = 'integer',
    'projection.hour_partition.range' = '0,23',
    'projection.hour_partition.digits' = '2',{% endif %}
    'storage.location.template' = {{ vpc_flow_logs.hive_string(template) }}{% endif %}
)
{%- endmacro %}


{#- A list var (YAML list or comma-separated string), each item matching `pattern`. -#}
{% macro list_var(name, pattern, description) %}
    {%- set value = var(name, []) -%}
    {%- set items = (value.split(',') if value is string else value) | map('string') | map('trim') | reject('equalto', '') | list -%}
    {%- for item in items -%}
        {%- if not modules.re.match(pattern, item) -%}
            {{ exceptions.raise_compiler_error("var " ~ name ~ ": '" ~ item ~ "' is not valid; expected " ~ description ~ ".") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(items) }}
{% endmacro %}


{#- A date var in YYYY-MM-DD form, as a date object; none when the var is null. -#}
{% macro date_var(name) %}
    {%- set value = var(name, none) -%}
    {%- if value is none or value == '' -%}{{ return(none) }}{%- endif -%}
    {%- set text = value | string -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a date YYYY-MM-DD, not '" ~ text ~ "'.") }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
    {{ return(parsed.date()) }}
{% endmacro %}


{% macro athena__prepare_raw_source() %}
    {%- if execute -%}
        {%- set relation = vpc_flow_logs.raw_flow_logs_relation() -%}
        {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if existing is none -%}
            {%- do vpc_flow_logs.create_raw_flow_logs_table() -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}
