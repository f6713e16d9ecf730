{#-
    Stable id of a finding: MD5 (lowercase hex) of `<detection_id>|<finding_key>`.
    It depends on the detection and the finding's grain only, never on run time, so
    reruns and backfills keep it. Portable SQL over the dispatched `hash_text`.
-#}
{% macro finding_id(detection_id, finding_key) -%}
    {{ vpc_flow_logs.hash_text(detection_id ~ " || '|' || " ~ finding_key) }}
{%- endmacro %}
