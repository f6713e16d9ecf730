{#- True when `string` matches the RE2-compatible `pattern` anywhere. -#}
{% macro regexp_like(string, pattern) %}
    {{ return(adapter.dispatch('regexp_like', 'vpc_flow_logs')(string, pattern)) }}
{% endmacro %}

{% macro default__regexp_like(string, pattern) -%}
    {{ vpc_flow_logs.unsupported_adapter('regexp_like') }}
{%- endmacro %}

{#- Trino: https://trino.io/docs/current/functions/regexp.html#regexp_like -#}
{% macro athena__regexp_like(string, pattern) -%}
    regexp_like({{ string }}, {{ pattern }})
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/regular_expressions -#}
{% macro duckdb__regexp_like(string, pattern) -%}
    regexp_matches({{ string }}, {{ pattern }})
{%- endmacro %}
