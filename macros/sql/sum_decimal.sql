{#-
    Sum of an integer expression as decimal(38,0): the marts' byte and packet sums,
    which cannot overflow on Athena (a bigint sum would) and have one type on both
    engines. Portable SQL. NULL when every value is NULL, as `sum`.
-#}
{% macro sum_decimal(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 0))) as decimal(38, 0))
{%- endmacro %}
