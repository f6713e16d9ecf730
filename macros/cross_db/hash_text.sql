{#-
    MD5 of a text expression as 32 lowercase hexadecimal characters, the same value
    on every engine (finding ids). `md5` exists on both engines with different
    signatures: DuckDB hashes text, Trino hashes varbinary.
-#}
{% macro hash_text(expression) %}
    {{ return(adapter.dispatch('hash_text', 'vpc_flow_logs')(expression)) }}
{% endmacro %}

{% macro default__hash_text(expression) -%}
    {{ vpc_flow_logs.unsupported_adapter('hash_text') }}
{%- endmacro %}

{#-
    Trino: md5(varbinary) -> varbinary; to_hex writes uppercase.
    https://trino.io/docs/current/functions/binary.html#md5
-#}
{% macro athena__hash_text(expression) -%}
    lower(to_hex(md5(to_utf8({{ expression }}))))
{%- endmacro %}

{#- DuckDB: md5(varchar) -> lowercase hex. https://duckdb.org/docs/sql/functions/text#md5string -#}
{% macro duckdb__hash_text(expression) -%}
    md5({{ expression }})
{%- endmacro %}
