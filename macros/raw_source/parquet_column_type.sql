{#-
    The Hive type of a flow log field's Parquet column, as AWS writes it (VPC User
    Guide, "Available fields", Parquet data type): INT_32 for the small integers
    (`int` kind: version, ports, protocol, tcp-flags, traffic-path), INT_64 for counters
    and times (`bigint`, `epoch`), STRING for the rest and for fields the project does
    not know yet.
-#}
{% macro parquet_column_type(field) -%}
    {%- set kinds = {} -%}
    {%- for spec in vpc_flow_logs.flow_log_field_specs() -%}
        {%- do kinds.update({spec.name: spec.kind}) -%}
    {%- endfor -%}
    {%- set kind = kinds.get(field, 'string') -%}
    {%- if kind == 'int' -%}
        int
    {%- elif kind in ('bigint', 'epoch') -%}
        bigint
    {%- else -%}
        string
    {%- endif -%}
{%- endmacro %}
