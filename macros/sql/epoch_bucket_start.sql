{#-
    Start, in unix seconds, of the bucket of `seconds` seconds that `epoch_seconds`
    falls in (buckets aligned on the unix epoch, so on UTC midnight when they divide
    a day). Portable SQL; `epoch_to_timestamp` turns it into a timestamp.
-#}
{% macro epoch_bucket_start(epoch_seconds, seconds) -%}
    ({{ epoch_seconds }} - mod({{ epoch_seconds }}, {{ seconds }}))
{%- endmacro %}
