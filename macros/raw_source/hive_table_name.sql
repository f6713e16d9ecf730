{#- A relation as a backquoted Hive name, for Athena DDL. -#}
{% macro hive_table_name(relation) -%}
    `{{ relation.schema }}`.`{{ relation.identifier }}`
{%- endmacro %}
