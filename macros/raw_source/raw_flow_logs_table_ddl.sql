{#-
    The Athena DDL of the raw external table (see `create_raw_flow_logs_table`):
    partition projection over the AWS key layout, or classic partitions.

    var flow_logs_file_format: `text` is one string column `line` per text line;
    `parquet` is one typed column per field of var flow_log_fields, named and typed as
    AWS writes them (`parquet_column_type`), STORED AS PARQUET: staging rebuilds each
    row's text line (`raw_flow_logs_lines`).
    var flow_logs_prefixes: `default` projects `date_partition` ('YYYY/MM/DD') over
    `<account>/vpcflowlogs/<region>/YYYY/MM/DD`; `hive` projects `year`, `month` and
    `day` over `aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/
    year=YYYY/month=MM/day=DD` (a projected date cannot hold the `key=` text), and
    staging derives `date_partition` from them. A classic table keeps `date_partition`
    in both layouts: vpc_flow_logs/backfill_partitions.py registers each day folder.
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
    {%- set hive = projection and vpc_flow_logs.flow_logs_prefixes() == 'hive' -%}
    {%- set parquet = vpc_flow_logs.flow_logs_file_format() == 'parquet' -%}
    {%- set location = root ~ '/AWSLogs/' -%}
    {%- if hive -%}
        {%- set template = location ~ 'aws-account-id=${account_partition}/aws-service=vpcflowlogs/aws-region=${region_partition}/year=${year}/month=${month}/day=${day}' ~ ('/hour=${hour_partition}' if hourly else '') -%}
    {%- else -%}
        {%- set template = location ~ '${account_partition}/vpcflowlogs/${region_partition}/${date_partition}' ~ ('/${hour_partition}' if hourly else '') -%}
    {%- endif -%}
    {%- set accounts = vpc_flow_logs.list_var('flow_logs_accounts', '^[0-9]{12}$', '12-digit AWS account ids') -%}
    {%- set regions = vpc_flow_logs.list_var('flow_logs_regions', '^[a-z]{2}(-[a-z]+)+-[0-9]+$', 'AWS region names such as us-east-1') -%}
    {%- set start = vpc_flow_logs.date_var('flow_logs_start_date') -%}
    {%- if projection and (accounts | length == 0 or regions | length == 0) -%}
        {{ exceptions.raise_compiler_error("Partition projection needs the accounts and regions to read: set vars flow_logs_accounts and flow_logs_regions (lists).") }}
    {%- endif -%}
create external table if not exists {{ vpc_flow_logs.hive_table_name(relation) }} (
{%- if parquet %}
    {%- for field in vpc_flow_logs.configured_flow_log_fields() %}
    `{{ field | replace('-', '_') }}` {{ vpc_flow_logs.parquet_column_type(field) }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- else %}
    `line` string
{%- endif %}
)
partitioned by (
    `account_partition` string,
    `region_partition` string,
{%- if hive %}
    `year` string,
    `month` string,
    `day` string{% if hourly %},
    `hour_partition` string{% endif %}
{%- else %}
    `date_partition` string{% if hourly %},
    `hour_partition` string{% endif %}
{%- endif %}
)
{% if parquet -%}
stored as parquet
{%- else -%}
row format serde 'org.apache.hadoop.hive.serde2.RegexSerDe'
with serdeproperties ('input.regex' = '^(.*)$')
stored as inputformat 'org.apache.hadoop.mapred.TextInputFormat'
outputformat 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
{%- endif %}
location {{ vpc_flow_logs.hive_string(location) }}
tblproperties (
    'classification' = {{ "'parquet'" if parquet else "'vpcflowlogs'" }}{% if not parquet %},
    'compressionType' = 'gzip'{% endif %}{% if projection %},
    'projection.enabled' = 'true',
    'projection.account_partition.type' = 'enum',
    'projection.account_partition.values' = {{ vpc_flow_logs.hive_string(accounts | join(',')) }},
    'projection.region_partition.type' = 'enum',
    'projection.region_partition.values' = {{ vpc_flow_logs.hive_string(regions | join(',')) }},{% if hive %}
    'projection.year.type' = 'date',
    'projection.year.format' = 'yyyy',
    'projection.year.range' = {{ vpc_flow_logs.hive_string(start.strftime('%Y') ~ ',NOW') }},
    'projection.year.interval' = '1',
    'projection.year.interval.unit' = 'YEARS',
    'projection.month.type' = 'integer',
    'projection.month.range' = '1,12',
    'projection.month.digits' = '2',
    'projection.day.type' = 'integer',
    'projection.day.range' = '1,31',
    'projection.day.digits' = '2',{% else %}
    'projection.date_partition.type' = 'date',
    'projection.date_partition.format' = 'yyyy/MM/dd',
    'projection.date_partition.range' = {{ vpc_flow_logs.hive_string(start.strftime('%Y/%m/%d') ~ ',NOW') }},
    'projection.date_partition.interval' = '1',
    'projection.date_partition.interval.unit' = 'DAYS',{% endif %}{% if hourly %}
    'projection.hour_partition.type' = 'integer',
    'projection.hour_partition.range' = '0,23',
    'projection.hour_partition.digits' = '2',{% endif %}
    'storage.location.template' = {{ vpc_flow_logs.hive_string(template) }}{% endif %}
)
{%- endmacro %}
