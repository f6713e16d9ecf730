{#-
    Aggregate: the value of `expression` when every row of the group holds the same
    non-NULL value, else NULL (rows of several values, or a NULL among them). How a
    mart keyed without a column names it only when the group knows it (the region of
    a port scan or of an alarm period). Portable SQL.
-#}
{% macro single_value(expression) -%}
    case
        when count(*) = count({{ expression }}) and min({{ expression }}) = max({{ expression }})
            then min({{ expression }})
    end
{%- endmacro %}
