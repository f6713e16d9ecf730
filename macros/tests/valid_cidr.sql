{#-
    Generic test: every non-NULL value of the column is a CIDR network both engines read
    alike (see `cidr_problem`). Fails with one line per bad row saying what is wrong, so
    a typo in a seed stops the build before any model trusts the wrong range.
-#}
{% test valid_cidr(model, column_name) %}
    {%- set problems = [] -%}
    {%- if execute -%}
        {%- set rows = run_query(
            'select distinct ' ~ column_name ~ ' from ' ~ model
            ~ ' where ' ~ column_name ~ ' is not null').rows -%}
        {%- for value in rows | map(attribute=0) | map('string') | sort -%}
            {%- set problem = vpc_flow_logs.cidr_problem(value) -%}
            {%- if problem -%}{%- do problems.append((value, problem)) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if problems -%}
        {#- The table's name, also when `model` is a filtered subquery (a `where` config). -#}
        {%- set text = model | string -%}
        {%- if ' from ' in text -%}{%- set text = text.split(' from ')[-1].split(' ')[0] -%}{%- endif -%}
        {%- set table_name = text.split('.')[-1] | replace('"', '') | trim -%}
        {%- set lines = [] -%}
        {%- for value, problem in problems -%}
            {%- do lines.append("  " ~ table_name ~ "." ~ column_name ~ " '" ~ value ~ "': " ~ problem) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error("Invalid CIDR networks (fix the seed, then dbt seed):\n" ~ lines | join("\n")) }}
    {%- endif -%}
    select {{ column_name }} from {{ model }} where 1 = 0
{% endtest %}
