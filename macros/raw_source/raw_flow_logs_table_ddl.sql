{#-
    The Athena DDL of the raw external table (see `create_raw_flow_logs_table`):
    partition projection over the AWS key layout, or classic partitions.
-#}
{% macro raw_flow_logs_table_ddl(relation, projection=true) %}
    {%- set root = vpc_flow_logs.flow_logs_root() -%}
    {%- if not root.startswith('s3://') -%}
        {{ exceptions.raise_compiler_error("On Athena, var flow_logs_root must be an s3:// URI (the prefix that contains AWSLogs/), not " ~ root) }}
    {%- endif -%}
    {#- Hourly folders get an hour key under projection; classic tables keep one
        partition per day folder (vpc_flow_logs/backfill_partitions.py), whose hour
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
