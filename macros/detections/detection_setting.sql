{#-
    One setting (a column of the seed `detections`) of one detection, read at compile
    time, for the few settings that shape the query itself (how many days back a
    baseline reads). Needs the seed loaded; returns `default` while dbt parses, and
    stops the run when the detection has no row.
-#}
{% macro detection_setting(detection_id, column, default=none) %}
    {%- if not execute -%}
        {{ return(default) }}
    {%- endif -%}
    {%- set result = run_query(
        "select " ~ column ~ " from " ~ ref('detections')
        ~ " where detection_id = '" ~ detection_id ~ "'") -%}
    {%- if result is none or result.rows | length != 1 -%}
        {{ exceptions.raise_compiler_error(
            "The seed detections has no row (or several) for detection_id '" ~ detection_id
            ~ "': run `dbt seed` and keep one row per detection.") }}
    {%- endif -%}
    {%- set value = result.columns[0].values()[0] -%}
    {{ return(default if value is none else value) }}
{% endmacro %}
