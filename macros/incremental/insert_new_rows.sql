{#-
    The statement that adds a model's new rows to its table on an incremental DuckDB
    run: an insert straight from the model's query, in the table's column order.
    The pre-hook (`replace_rebuilt_days`) has already removed every day of the
    window and the query returns rows of those days only (the parsed lines: of
    objects not parsed before), so nothing else is to delete. Used by the
    `incremental` materialization below, which replaces dbt-duckdb's for this
    project: dbt-duckdb first copies every result to a temporary table, then deletes
    the days present in it and inserts the copy (each row written twice).
-#}
{% macro insert_new_rows(target_relation, dest_columns, compiled_code) -%}
    {%- set columns = dest_columns | map(attribute='quoted') | join(', ') -%}
    insert into {{ target_relation }} ({{ columns }})
    select {{ columns }} from (
        {{ compiled_code }}
    ) as new_rows
{%- endmacro %}

{#-
    dbt-duckdb 1.11's incremental materialization (Apache License 2.0), unchanged but
    for incremental runs of SQL models: the new rows are inserted directly
    (`insert_new_rows`); the schema check (`on_schema_change`) reads the columns of
    an empty temporary table made from the query. First runs and full refreshes
    create the table as dbt-duckdb does.
-#}
{% materialization incremental, adapter="duckdb", supported_languages=['sql', 'python'] -%}

  {%- set language = model['language'] -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set intermediate_relation = make_intermediate_relation(target_relation)-%}
  {%- set backup_relation_type = 'table' if existing_relation is none else existing_relation.type -%}
  {%- set backup_relation = make_backup_relation(target_relation, backup_relation_type) -%}

  {%- set full_refresh_mode = (should_full_refresh() or existing_relation.is_view) -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {%- set partitioned_by = none -%}
  {%- set sorted_by = none -%}
  {%- if existing_relation is none or full_refresh_mode -%}
    {%- set partitioned_by = duckdb__get_partitioned_by(target_relation, false) -%}
    {%- set sorted_by = duckdb__get_sorted_by(target_relation, false) -%}
  {%- endif -%}
  {%- set skip_auto_begin = (partitioned_by or sorted_by) and adapter.is_ducklake(target_relation) -%}

  {%- set preexisting_intermediate_relation = load_cached_relation(intermediate_relation)-%}
  {%- set preexisting_backup_relation = load_cached_relation(backup_relation) -%}
  {% set grant_config = config.get('grants') %}
  {{ drop_relation_if_exists(preexisting_intermediate_relation) }}
  {{ drop_relation_if_exists(preexisting_backup_relation) }}

  {% set to_drop = [] %}
  {% set dropped_dependents = [] %}
  {%- set batch_id = adapter.batch_id_for_model(model) -%}
  {% set temporary_relation = duckdb__dispatch_temporary_relation(target_relation, batch_id) %}
  {% set temp_relation = temporary_relation.relation %}
  {% set temporary = temporary_relation.temporary %}
  {% if not temporary %}
    {% do to_drop.append(temp_relation) %}
  {% endif %}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% if existing_relation is none %}
    {% set build_sql = create_table_as(False, target_relation, compiled_code, language, partitioned_by=partitioned_by, sorted_by=sorted_by) %}
  {% elif full_refresh_mode and has_foreign_key_constraints(existing_relation) %}
    {% set dropped_dependents = drop_relation_for_rebuild(existing_relation) %}
    {% set build_sql = create_table_as(False, target_relation, compiled_code, language, partitioned_by=partitioned_by, sorted_by=sorted_by) %}
  {% elif full_refresh_mode %}
    {% set build_sql = create_table_as(False, intermediate_relation, compiled_code, language, partitioned_by=partitioned_by, sorted_by=sorted_by) %}
    {% set need_swap = true %}
  {% elif language == 'sql' %}
    {#- The one change: no temporary copy of the result. -#}
    {% do run_query(create_table_as(temporary, temp_relation,
        'select * from (' ~ compiled_code ~ ') as new_rows limit 0', language, partitioned_by=none, sorted_by=none)) %}
    {% set dest_columns = process_schema_changes(on_schema_change, temp_relation, existing_relation) %}
    {% if not dest_columns %}
      {% set dest_columns = adapter.get_columns_in_relation(existing_relation) %}
    {% endif %}
    {% set build_sql = vpc_flow_logs.insert_new_rows(target_relation, dest_columns, compiled_code) %}
  {% else %}
    {% set build_python = create_table_as(temporary, temp_relation, compiled_code, language, partitioned_by=none, sorted_by=none) %}
    {% call statement("pre", language=language) %}
      {{- build_python }}
    {% endcall %}
    {% do adapter.expand_target_column_types(from_relation=temp_relation, to_relation=target_relation) %}
    {% set dest_columns = process_schema_changes(on_schema_change, temp_relation, existing_relation) %}
    {% if not dest_columns %}
      {% set dest_columns = adapter.get_columns_in_relation(existing_relation) %}
    {% endif %}
    {% set incremental_strategy = config.get('incremental_strategy') or 'default' %}
    {% set incremental_predicates = config.get('predicates', none) or config.get('incremental_predicates', none) %}
    {% set strategy_sql_macro_func = adapter.get_incremental_strategy_macro(context, incremental_strategy) %}
    {% set strategy_arg_dict = ({'target_relation': target_relation, 'temp_relation': temp_relation, 'unique_key': config.get('unique_key'), 'dest_columns': dest_columns, 'incremental_predicates': incremental_predicates }) %}
    {% set build_sql = strategy_sql_macro_func(strategy_arg_dict) %}
    {% set language = "sql" %}
  {% endif %}

  {% call statement("main", language=language, auto_begin=not skip_auto_begin) %}
      {{- build_sql }}
  {% endcall %}

  {% if need_swap %}
      {% do drop_indexes_on_relation(target_relation) %}
      {% if may_be_foreign_key_target(target_relation) %}
        {% set dropped_dependents = drop_foreign_key_dependents(target_relation) %}
      {% endif %}
      {% do adapter.rename_relation(target_relation, backup_relation) %}
      {% do adapter.rename_relation(intermediate_relation, target_relation) %}
      {% do to_drop.append(backup_relation) %}
  {% endif %}
  {% do restore_foreign_key_dependents(dropped_dependents) %}

  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}

  {% if existing_relation is none or existing_relation.is_view or should_full_refresh() %}
    {% do create_indexes(target_relation) %}
  {% endif %}

  {% do persist_docs(target_relation, model) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do adapter.commit() %}

  {% for rel in to_drop %}
      {% if not adapter.is_motherduck() %}
        {% do drop_indexes_on_relation(rel) %}
      {% endif %}
      {% do adapter.drop_relation(rel) %}
  {% endfor %}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({'relations': [target_relation]}) }}

{%- endmaterialization %}
