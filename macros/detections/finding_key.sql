{#-
    The grain of a finding as text: the expressions cast to varchar, NULL written
    as '-', joined by '|'. Give dates, integers and text only (a timestamp's text
    differs between engines: pass `timestamp_to_epoch(...)`). Portable SQL.
-#}
{% macro finding_key(expressions) -%}
    {%- set parts = [] -%}
    {%- for expression in expressions -%}
        {%- do parts.append("coalesce(cast(" ~ expression ~ " as varchar), '-')") -%}
    {%- endfor -%}
    ({{ parts | join(" || '|' || ") }})
{%- endmacro %}
