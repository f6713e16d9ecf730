{#-
    The `default__` body of a dispatched macro that has no portable SQL: stops the
    run with a message naming the macro and the adapter, instead of letting one
    engine's SQL run on another.
-#}
{% macro unsupported_adapter(macro_name) %}
    {{ exceptions.raise_compiler_error(
        "vpc_flow_logs." ~ macro_name ~ " has SQL for the athena and duckdb adapters only, not "
        ~ target.type ~ ": add a " ~ target.type ~ "__" ~ macro_name ~ " macro.") }}
{% endmacro %}
