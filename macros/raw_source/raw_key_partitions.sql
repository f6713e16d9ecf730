{#-
    DuckDB: the partition columns of the raw view, read from an object's key (`path`, a
    SQL expression) in either key layout. After `/AWSLogs/` both layouts put the same
    value at the same segment (account, service, region, year, month, day, [hour], file
    name); Hive-compatible prefixes spell `key=value`, whose `key=` is dropped. The hour
    comes from the key (a segment before the file name), so one root may mix daily and
    hourly folders. `day` is the delivery day as a literal ('YYYY/MM/DD').
-#}
{% macro raw_key_partitions(path, day) -%}
    {%- set key = "split_part(" ~ path ~ ", '/AWSLogs/', 2)" -%}
    replace(split_part({{ key }}, '/', 1), 'aws-account-id=', '') as account_partition,
    replace(split_part({{ key }}, '/', 3), 'aws-region=', '') as region_partition,
    {{ vpc_flow_logs.sql_string(day) }} as date_partition,
    case
        when split_part({{ key }}, '/', 8) <> ''
            then replace(split_part({{ key }}, '/', 7), 'hour=', '')
    end as hour_partition
{%- endmacro %}
