{#- Unix seconds (bigint) to a UTC timestamp without time zone. -#}
{% macro epoch_to_timestamp(seconds) %}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'vpc_flow_logs')(seconds)) }}
{% endmacro %}

{% macro default__epoch_to_timestamp(seconds) -%}
    {{ vpc_flow_logs.unsupported_adapter('epoch_to_timestamp') }}
{%- endmacro %}

{#-
    Trino's from_unixtime returns a timestamp with time zone UTC: drop the zone.
    https://trino.io/docs/current/functions/datetime.html#from_unixtime
-#}
{% macro athena__epoch_to_timestamp(seconds) -%}
    cast(from_unixtime({{ seconds }}) as timestamp)
{%- endmacro %}

{#- https://duckdb.org/docs/sql/functions/timestamp#make_timestampmicroseconds -#}
{% macro duckdb__epoch_to_timestamp(seconds) -%}
    make_timestamp(cast({{ seconds }} as bigint) * 1000000)
{%- endmacro %}
