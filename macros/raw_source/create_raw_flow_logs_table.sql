{#-
    Athena DDL for the raw source: one string column `line` per text line, so that
    the staging SQL splits and validates every line itself (nothing is turned into
    NULL silently by a SerDe). The header line of each file stays in the data:
    staging uses it to map fields by name.

    projection=true  partition projection over the AWS key layout: new days need
                     no maintenance (Athena only).
    projection=false classic partitions, registered by vpc_flow_logs/backfill_partitions.py
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
