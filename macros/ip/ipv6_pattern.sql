{#-
    Regular expression of an IPv6 address in text form, lowercase: full, compressed
    (::) or with an embedded IPv4 part (RE2 and Java regex compatible).
-#}
{% macro ipv6_pattern() -%}
    {%- set h = '[0-9a-f]{1,4}' -%}
    {%- set v4 = '([0-9]{1,3}\\.){3}[0-9]{1,3}' -%}
    {%- set full = '(' ~ h ~ ':){7}' ~ h -%}
    {%- set compressed = '((' ~ h ~ ':){0,6}' ~ h ~ ')?::((' ~ h ~ ':){0,6}' ~ h ~ ')?' -%}
    {%- set embedded = '((' ~ h ~ ':){6}|((' ~ h ~ ':){0,5}' ~ h ~ ')?::((' ~ h ~ ':){0,4})?)' ~ v4 -%}
    {{- return('^(' ~ full ~ '|' ~ compressed ~ '|' ~ embedded ~ ')$') -}}
{%- endmacro %}
