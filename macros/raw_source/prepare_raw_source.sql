{#-
    Makes `source('vpc_flow_logs', 'raw_flow_logs')` exist before models run.
    Called from `on-run-start`. Athena: creates the external table when missing.
    DuckDB: refreshes the file inventory and rebuilds the view over the local folder.
-#}
{% macro prepare_raw_source() %}
    {{ return(adapter.dispatch('prepare_raw_source', 'vpc_flow_logs')()) }}
{% endmacro %}

{% macro default__prepare_raw_source() %}
    {{ vpc_flow_logs.unsupported_adapter('prepare_raw_source') }}
{% endmacro %}

{#- Athena: creates the external table (`create_raw_flow_logs_table`) when it is missing;
    an existing one must read flow_logs_root (`check_raw_table_location`). -#}
{% macro athena__prepare_raw_source() %}
    {%- if execute -%}
        {%- set relation = vpc_flow_logs.raw_flow_logs_relation() -%}
        {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if existing is none -%}
            {%- do vpc_flow_logs.create_raw_flow_logs_table() -%}
        {%- else -%}
            {%- do vpc_flow_logs.check_raw_table_location(existing) -%}
            {%- do vpc_flow_logs.check_raw_table_shape(existing) -%}
        {%- endif -%}
    {%- endif -%}
    select 1
{% endmacro %}


{#-
    DuckDB side of the raw source, over a local folder laid out as AWS writes to S3.

    1. `<raw table>__files` (the file inventory): every object under
       `<flow_logs_root>/AWSLogs/`, inspected once by the `vpc_flow_logs.duckdb_plugin`
       function: status ok / unreadable / not_flow_log, reason, line and byte
       counts of the decompressed text (of the synthetic lines for Parquet), MD5 of
       the object, partition values, file format (text / parquet) and key layout
       (default / hive) read from the key, Parquet columns.
    2. `<raw table>` (a view): the lines of every readable, non-duplicate file,
       `union all` branches per delivery day (and Parquet schema) so that a filter
       on `date_partition` skips whole days without opening their files. A Parquet
       object yields a synthetic header line (its field names) and one text line per
       row (`parquet_line`), so staging parses both formats the same way.
    A bad object never stops a run: it is listed in the inventory with its reason.
-#}
{% macro duckdb__prepare_raw_source() %}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set root = vpc_flow_logs.flow_logs_root() -%}
    {%- if root.startswith('s3://') -%}
        {{ exceptions.raise_compiler_error("The DuckDB target reads a local folder: sync it first (aws s3 sync " ~ root ~ "/AWSLogs ./logs/AWSLogs) and set flow_logs_root to ./logs.") }}
    {%- endif -%}
    {%- set relation = vpc_flow_logs.raw_flow_logs_relation() -%}
    {%- set inventory = vpc_flow_logs.raw_flow_logs_relation(relation.identifier ~ '__files') -%}
    {%- set registered = run_query("select count(*) from duckdb_functions() where function_name = 'vpc_flow_logs_inspect_files'").columns[0].values()[0] -%}
    {%- if registered == 0 -%}
        {{ exceptions.raise_compiler_error("The DuckDB profile must load the plugin vpc_flow_logs.duckdb_plugin (plugins: [{module: vpc_flow_logs.duckdb_plugin}], see profiles.example.yml) and the project must be installed (pip install -e .).") }}
    {%- endif -%}
    {%- set pattern = root ~ '/AWSLogs/**' -%}
    {%- do vpc_flow_logs.check_recorded_root(relation, root) -%}

    {%- call statement('vpc_flow_logs_inventory', auto_begin=false) -%}
        create schema if not exists {{ relation.schema }};
        create table if not exists {{ inventory }} (
            path varchar primary key,
            status varchar,
            reason varchar,
            size_bytes bigint,
            line_count bigint,
            line_bytes bigint,
            content_md5 varchar,
            account_partition varchar,
            region_partition varchar,
            date_partition varchar,
            hour_partition varchar,
            flow_log_id varchar,
            name_hash varchar,
            inspected_at timestamp,
            normalized_reason varchar,
            file_format varchar,
            key_layout varchar,
            parquet_columns varchar,
            fields varchar
        );
        alter table {{ inventory }} add column if not exists normalized_reason varchar;
        alter table {{ inventory }} add column if not exists file_format varchar;
        alter table {{ inventory }} add column if not exists key_layout varchar;
        alter table {{ inventory }} add column if not exists parquet_columns varchar;
        alter table {{ inventory }} add column if not exists fields varchar;
        {#- Inventories written before Parquet and Hive-compatible prefixes were read:
            their files were text in the default layout; the objects refused for being
            Parquet or Hive-compatible are inspected again. -#}
        delete from {{ inventory }}
        where file_format is null and status = 'not_flow_log'
            and (reason like 'Parquet flow log file%' or reason like 'Hive-compatible S3 prefix%');
        update {{ inventory }} set file_format = 'text', key_layout = 'default'
        where file_format is null and status <> 'not_flow_log';
        create or replace temp table vpc_flow_logs_found as
            select file as path from glob({{ vpc_flow_logs.sql_string(pattern) }});
        delete from {{ inventory }}
        where path not in (select path from vpc_flow_logs_found);
        insert into {{ inventory }}
        select
            f.path, f.status, f.reason, f.size_bytes, f.line_count, f.line_bytes,
            f.content_md5, f.account_partition, f.region_partition, f.date_partition,
            f.hour_partition, f.flow_log_id, f.name_hash,
            cast(current_timestamp as timestamp) as inspected_at,
            f.normalized_reason, f.file_format, f.key_layout, f.parquet_columns, f.fields
        from (
            select unnest(vpc_flow_logs_inspect_files(list(path order by path))) as f
            from vpc_flow_logs_found
            where path not in (select path from {{ inventory }})
        );
    {%- endcall -%}

    {#- Each object's layout and format come from its key (the inventory): one root may
        mix them. Text objects are grouped by delivery day, Parquet objects by delivery
        day and column list (one read_parquet per schema). -#}
    {%- set files = run_query(vpc_flow_logs.readable_files_sql(inventory)) -%}
    {%- set by_day = {} -%}
    {%- set parquet_groups = {} -%}
    {%- set copies = [] -%}
    {%- for row in files.rows -%}
        {%- if row[3] == 'parquet' -%}
            {%- do parquet_groups.setdefault((row[0], row[4]), []).append(row[1]) -%}
        {%- elif row[2] is none -%}
            {%- do by_day.setdefault(row[0], []).append(row[1]) -%}
        {%- else -%}
            {%- do copies.append((row[0], row[1])) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- Objects DuckDB's CSV reader would split or decode unlike Athena (lone CR, mixed
        line ends, invalid UTF-8): read through a normalized copy, written once. -#}
    {%- set copy_folder = (target.path ~ '.lines') if target.path not in (none, '', ':memory:') else 'target/normalized_lines' -%}
    {%- set copy_paths = {} -%}
    {%- for day, path in copies -%}
        {%- set copied = run_query("select vpc_flow_logs_normalized_copy(" ~ vpc_flow_logs.sql_string(path) ~ ", " ~ vpc_flow_logs.sql_string(copy_folder) ~ ")").rows[0][0] -%}
        {%- do copy_paths.update({path: copied}) -%}
    {%- endfor -%}

    {%- set branches = [] -%}
    {%- for day in by_day | sort -%}
        {%- set branch -%}
        select
            line,
            filename as source_file,
            {{ vpc_flow_logs.raw_key_partitions('filename', day) }}
        from read_csv(
            [{% for path in by_day[day] %}{{ vpc_flow_logs.sql_string(path) }}{{ ', ' if not loop.last }}{% endfor %}],
            {{ vpc_flow_logs.raw_text_read_options(filename=true) }}
        )
        {%- endset -%}
        {%- do branches.append(branch) -%}
    {%- endfor -%}
    {%- for day, path in copies -%}
        {%- set branch -%}
        select
            line,
            {{ vpc_flow_logs.sql_string(path) }} as source_file,
            {{ vpc_flow_logs.raw_key_partitions(vpc_flow_logs.sql_string(path), day) }}
        from read_csv(
            {{ vpc_flow_logs.sql_string(copy_paths[path]) }},
            {{ vpc_flow_logs.raw_text_read_options(filename=false) }}
        )
        {%- endset -%}
        {%- do branches.append(branch) -%}
    {%- endfor -%}
    {#- Parquet: one line per row and one synthetic header line per object. -#}
    {%- for group in parquet_groups | sort -%}
        {%- set day, columns_json = group -%}
        {%- set columns = fromjson(columns_json) -%}
        {%- set paths = parquet_groups[group] -%}
        {%- set branch -%}
        select
            line,
            filename as source_file,
            {{ vpc_flow_logs.raw_key_partitions('filename', day) }}
        from (
            select {{ vpc_flow_logs.parquet_header(columns) }} as line, filename
            from (values {% for path in paths %}({{ vpc_flow_logs.sql_string(path) }}){{ ', ' if not loop.last }}{% endfor %}) as objects (filename)
            union all
            select
                {{ vpc_flow_logs.parquet_line(columns) }} as line,
                filename
            from read_parquet(
                [{% for path in paths %}{{ vpc_flow_logs.sql_string(path) }}{{ ', ' if not loop.last }}{% endfor %}],
                filename = true,
                union_by_name = true,
                hive_partitioning = false
            )
        ) as parquet_lines
        {%- endset -%}
        {%- do branches.append(branch) -%}
    {%- endfor -%}

    {%- call statement('vpc_flow_logs_raw_view', auto_begin=false) -%}
        create or replace view {{ relation }} as
        {% for branch in branches -%}
        {{ branch }}
        {% if not loop.last %}union all
        {% endif %}
        {%- endfor -%}
        {%- if not branches -%}
        select
            cast(null as varchar) as line,
            cast(null as varchar) as source_file,
            cast(null as varchar) as account_partition,
            cast(null as varchar) as region_partition,
            cast(null as varchar) as date_partition,
            cast(null as varchar) as hour_partition
        where false
        {%- endif %}
    {%- endcall -%}
    {%- set counts = run_query("select status, count(*) from " ~ inventory ~ " group by status order by status") -%}
    {%- set summary = [] -%}
    {%- set by_status = {} -%}
    {%- for row in counts.rows -%}
        {%- do summary.append(row[0] ~ '=' ~ row[1]) -%}
        {%- do by_status.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {{ log('Raw flow log files under ' ~ root ~ '/AWSLogs: ' ~ (summary | join(', ') or 'none found'), info=true) }}
    {#- Every object that is not read is named, with its reason (the first 100 here, all of
        them in the inventory table). -#}
    {%- set skipped = run_query(
        "select path, status, reason from " ~ inventory ~ " where status <> 'ok'"
        ~ " union all select path, 'duplicate', 'same content and name hash as ' || first_copy"
        ~ " from (select path, first_value(path) over (partition by name_hash, content_md5 order by path) as first_copy"
        ~ " from " ~ inventory ~ " where status = 'ok') where path <> first_copy"
        ~ " order by path") -%}
    {%- for row in skipped.rows[:100] -%}
        {{ log('  not read, ' ~ row[1] ~ ': ' ~ row[0] ~ ' (' ~ row[2] ~ ')', info=true) }}
    {%- endfor -%}
    {%- if skipped.rows | length > 100 -%}
        {{ log('  ... and ' ~ (skipped.rows | length - 100) ~ ' more objects not read: see ' ~ inventory, info=true) }}
    {%- endif -%}
    {%- if by_status.get('ok', 0) == 0 and flags.WHICH in ('run', 'build') and not var('allow_empty_run') -%}
        {{ exceptions.raise_compiler_error(
            "No flow log object found under " ~ root ~ "/AWSLogs/ ("
            ~ (summary | join(', ') or 'no files at all') ~ "). Check var flow_logs_root: it is "
            ~ "the folder that contains AWSLogs/. To build empty tables on purpose, set var "
            ~ "allow_empty_run: true.") }}
    {%- endif -%}
    {{ return('select 1') }}
{% endmacro %}

