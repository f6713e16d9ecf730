{#-
    The watermarks table: one row per completed incremental run of a day-partitioned
    model, `(model_name, parsed_after, parsed_through, recorded_at)`: the run rebuilt
    the event days of the lines parsed after `parsed_after` (none: every day) and up
    to `parsed_through`. A model's watermark is its largest `parsed_through`. Backfills record nothing (forced windows consume
    no batch). Created by `on-run-start`.
-#}
{% macro incremental_watermarks_relation() %}
    {{ return(api.Relation.create(database=target.database, schema=target.schema,
                                  identifier='incremental_watermarks', type='table')) }}
{% endmacro %}
