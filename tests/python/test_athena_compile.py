"""The Athena target compiles against a local moto server, and the SQL is Trino SQL."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import boto3
import pytest
import sqlglot

from tests.python.dbt_runner import REPO, run_dbt
from tests.python.moto import aws_env, moto_server
from tests.python.trino_functions import TRINO_FUNCTIONS

ATHENA_VARS = {
    "flow_logs_root": "s3://flow-logs-bucket/prefix",
    "flow_logs_accounts": ["111122223333", "222233334444"],
    "flow_logs_regions": ["us-east-1", "eu-west-1"],
    "flow_logs_start_date": "2023-01-01",
}
TARGET_PATH = "target/athena_compile"
SQL_WORDS = {"and", "or", "not", "in", "as", "on", "over", "when", "then", "else", "case",
             "exists", "values", "using", "filter", "from", "select", "where", "table", "if",
             "by", "with", "cast", "try_cast", "interval", "row", "array", "map", "date",
             "timestamp", "decimal", "varchar", "ipaddress", "partitioned", "tblproperties",
             "serdeproperties", "into", "join", "all", "distinct", "is", "null", "char",
             "integer", "bigint", "double", "boolean", "like", "between", "end", "union"}


@pytest.fixture(scope="module")
def athena_compile(tmp_path_factory: pytest.TempPathFactory) -> dict:
    with moto_server() as endpoint:
        env = aws_env(endpoint)
        session = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                                aws_secret_access_key="testing")
        glue = session.client("glue", endpoint_url=endpoint)
        glue.create_database(DatabaseInput={"Name": "vpc_flow_logs"})
        session.client("s3", endpoint_url=endpoint).create_bucket(Bucket="your-athena-results")
        # Only this compile's files: a model moved since an earlier run leaves its old copy.
        shutil.rmtree(REPO / TARGET_PATH, ignore_errors=True)
        run_dbt(["compile", "--target-path", TARGET_PATH], vars=ATHENA_VARS, target="athena",
                env=env)
        # The query of the parsed lines' post-hook (not rendered by compile): a backfill.
        window = ("{'start': modules.datetime.date(2024, 6, 11), "
                  "'end': modules.datetime.date(2024, 6, 12), 'days': none}")
        inline_target = tmp_path_factory.mktemp("inline")
        inline = run_dbt(["compile", "--target-path", str(inline_target), "--quiet", "--inline",
                          "{{ vpc_flow_logs.parsed_window_sql(api.Relation.create(schema="
                          "'vpc_flow_logs_staging', identifier='base_vpc_flow_logs__lines'), "
                          + window + ") }}"], vars=ATHENA_VARS, target="athena", env=env)
        athena = session.client("athena", endpoint_url=endpoint)
        queries = []
        for query_id in athena.list_query_executions()["QueryExecutionIds"]:
            execution = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
            queries.append(execution["Query"])
        table = glue.get_tables(DatabaseName="vpc_flow_logs")["TableList"]
    return {"queries": queries, "tables": table, "parsed_window_sql": inline.stdout,
            "compiled": sorted((REPO / TARGET_PATH / "compiled").rglob("*.sql"))}


def functions_called(sql: str) -> set[str]:
    without_strings = re.sub(r"'(?:[^']|'')*'", "''", sql)
    without_comments = re.sub(r"--[^\n]*|/\*.*?\*/", "", without_strings, flags=re.S)
    names = re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", without_comments, flags=re.I)
    return {name.lower() for name in names} - SQL_WORDS


def test_every_compiled_statement_is_trino_sql(athena_compile: dict) -> None:
    compiled = athena_compile["compiled"]
    names = {path.stem for path in compiled}
    assert {"base_vpc_flow_logs__lines", "stg_vpc_flow_logs", "int_flows_enriched",
            "fct_rejects_by_source", "fct_metric_alarms", "fct_port_scans"} <= names
    for path in compiled:
        sql = path.read_text()
        for statement in sqlglot.parse(sql, read="athena"):
            assert statement is not None
        unknown = functions_called(sql) - TRINO_FUNCTIONS
        assert not unknown, f"{path.name} calls functions Trino lacks: {sorted(unknown)}"


def test_per_engine_models_compile_from_their_athena_file(athena_compile: dict) -> None:
    """stg_vpc_flow_logs__files has one file per engine: Athena builds the athena/ one,
    which reads the parsed lines, never the DuckDB-only file inventory."""
    files = [path for path in athena_compile["compiled"]
             if path.stem == "stg_vpc_flow_logs__files"]
    assert [path.parent.name for path in files] == ["athena"]
    sql = files[0].read_text()
    assert "base_vpc_flow_logs__lines" in sql and "raw_flow_logs__files" not in sql


def test_raw_table_ddl_uses_partition_projection(athena_compile: dict) -> None:
    ddl = [q for q in athena_compile["queries"] if "create external table" in q.lower()]
    assert len(ddl) == 1
    statement = ddl[0]
    sqlglot.parse_one(statement, read="athena")
    properties = dict(re.findall(r"'([^']+)' = '([^']*)'", statement))
    assert properties["projection.enabled"] == "true"
    assert properties["projection.account_partition.values"] == "111122223333,222233334444"
    assert properties["projection.region_partition.values"] == "us-east-1,eu-west-1"
    assert properties["projection.date_partition.format"] == "yyyy/MM/dd"
    assert properties["projection.date_partition.range"] == "2023/01/01,NOW"
    assert properties["storage.location.template"] == (
        "s3://flow-logs-bucket/prefix/AWSLogs/${account_partition}/vpcflowlogs/"
        "${region_partition}/${date_partition}")
    assert "location 's3://flow-logs-bucket/prefix/AWSLogs/'" in statement
    assert "'input.regex' = '^(.*)$'" in statement


def test_day_partitioned_models_are_parquet_partitions_replaced_by_day() -> None:
    """Hive Parquet partitioned by day; every window day is cleared by the pre-hook,
    then insert_overwrite; the parsed lines only append (each object parsed once)."""
    import json

    manifest = json.loads((REPO / TARGET_PATH / "manifest.json").read_text())
    incremental = [node for node in manifest["nodes"].values()
                   if node["resource_type"] == "model"
                   and node["name"].startswith(("fct_", "int_", "base_"))
                   and node["name"] != "fct_file_reconciliation"]
    assert len(incremental) >= 11
    for node in incremental:
        config = node["config"]
        assert config["materialized"] == "incremental", node["name"]
        strategy = "append" if node["name"].startswith("base_") else "insert_overwrite"
        assert config["incremental_strategy"] == strategy, node["name"]
        assert config["unique_key"] == config["partitioned_by"][0], node["name"]
        assert [hook["sql"] for hook in config["pre-hook"]] == [
            "{{ vpc_flow_logs.replace_rebuilt_days() }}"], node["name"]
        assert [hook["sql"] for hook in config["post-hook"]] == (
            ["{{ vpc_flow_logs.check_parsed_window() }}"] if node["name"].startswith("base_")
            else ["{{ vpc_flow_logs.record_watermark() }}"]), node["name"]
        assert config["format"] == "parquet", node["name"]
        assert config["table_type"] == "hive", node["name"]
        assert config["partitioned_by"] in (["event_date"], ["delivery_date"]), node["name"]
        assert config.get("partitions_limit") == 100, node["name"]


def test_the_parsed_window_check_is_trino_sql(athena_compile: dict) -> None:
    """The query by which a run without new records is judged runs on Athena too."""
    sql = athena_compile["parsed_window_sql"]
    statement = sqlglot.parse_one(sql, read="athena")
    assert statement.find(sqlglot.exp.Select) is not None
    assert not functions_called(sql) - TRINO_FUNCTIONS
    assert ("delivery_date >= cast('2024-06-11' as date) and "
            "delivery_date < cast('2024-06-12' as date)") in sql
    assert 'from "vpc_flow_logs_staging"."base_vpc_flow_logs__lines"' in sql


def test_no_credentials_in_compiled_sql(athena_compile: dict) -> None:
    for path in athena_compile["compiled"]:
        text = Path(path).read_text()
        assert "testing" not in text and "AWS_SECRET" not in text


def test_hourly_layout_and_custom_format_compile(tmp_path) -> None:
    """Hourly folders project an hour key; a custom v5 format, given as AWS's format
    string (${field} ...), compiles to Trino SQL."""
    fields = ("version srcaddr dstaddr srcport dstport protocol start end type packets bytes "
              "account-id vpc-id subnet-id instance-id interface-id region az-id "
              "sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr "
              "pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status")
    custom = " ".join("${" + name + "}" for name in fields.split())
    target_path = tmp_path / "compiled"
    with moto_server() as endpoint:
        session = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                                aws_secret_access_key="testing")
        session.client("glue", endpoint_url=endpoint).create_database(
            DatabaseInput={"Name": "vpc_flow_logs"})
        run_dbt(["compile", "--target-path", str(target_path)], target="athena",
                vars={**ATHENA_VARS, "flow_logs_layout": "hourly", "flow_log_fields": custom},
                env=aws_env(endpoint))
        athena = session.client("athena", endpoint_url=endpoint)
        ids = athena.list_query_executions()["QueryExecutionIds"]
        ddl = [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Query"]
               for i in ids]
    statement = next(q for q in ddl if "create external table" in q.lower())
    properties = dict(re.findall(r"'([^']+)' = '([^']*)'", statement))
    assert properties["projection.hour_partition.type"] == "integer"
    assert properties["projection.hour_partition.range"] == "0,23"
    assert properties["projection.hour_partition.digits"] == "2"
    assert properties["storage.location.template"].endswith(
        "/${region_partition}/${date_partition}/${hour_partition}")
    base = next((target_path / "compiled").rglob("base_vpc_flow_logs__lines.sql")).read_text()
    assert "hour_partition as hour_partition" in base
    assert f"'{fields}'" in base, "the configured header, as plain field names"
    for path in (target_path / "compiled").rglob("*.sql"):
        sql = path.read_text()
        assert all(sqlglot.parse(sql, read="athena"))
        assert not functions_called(sql) - TRINO_FUNCTIONS, path.name


def raw_table_input(location: str, template: str | None) -> dict:
    """A Glue table as `create_raw_flow_logs_table` leaves it (the parts that matter)."""
    parameters = {"classification": "vpcflowlogs", "EXTERNAL": "TRUE"}
    if template is not None:
        parameters |= {"projection.enabled": "true", "storage.location.template": template}
    return {"Name": "raw_flow_logs", "TableType": "EXTERNAL_TABLE", "Parameters": parameters,
            "PartitionKeys": [{"Name": "account_partition", "Type": "string"},
                              {"Name": "region_partition", "Type": "string"},
                              {"Name": "date_partition", "Type": "string"}],
            "StorageDescriptor": {"Columns": [{"Name": "line", "Type": "string"}],
                                  "Location": location}}


def test_a_raw_table_over_another_root_stops_the_run(tmp_path: Path) -> None:
    """An existing raw table is kept only when it reads flow_logs_root: one over another
    prefix (LOCATION or projection template) stops the run saying what to do."""
    old = "s3://flow-logs-bucket/old-prefix/AWSLogs/"
    new = ATHENA_VARS["flow_logs_root"] + "/AWSLogs/"
    template = "${account_partition}/vpcflowlogs/${region_partition}/${date_partition}"
    select = ["compile", "--target-path", str(tmp_path / "target")]  # on-run-start runs
    with moto_server() as endpoint:
        glue = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                             aws_secret_access_key="testing").client("glue", endpoint_url=endpoint)
        glue.create_database(DatabaseInput={"Name": "vpc_flow_logs"})
        glue.create_table(DatabaseName="vpc_flow_logs",
                          TableInput=raw_table_input(old, old + template))
        moved = run_dbt(select, vars=ATHENA_VARS, target="athena", env=aws_env(endpoint),
                        check=False)
        # Same LOCATION, but the projection still reads the old prefix.
        glue.update_table(DatabaseName="vpc_flow_logs",
                          TableInput=raw_table_input(new, old + template))
        template_only = run_dbt(select, vars=ATHENA_VARS, target="athena",
                                env=aws_env(endpoint), check=False)
        glue.update_table(DatabaseName="vpc_flow_logs",
                          TableInput=raw_table_input(new.rstrip("/"), new + template))
        run_dbt(select, vars=ATHENA_VARS, target="athena", env=aws_env(endpoint))
    assert moved.returncode != 0
    advice = ("drop it, or recreate it with `dbt run-operation create_raw_flow_logs_table "
              "--args '{replace: true}'`")
    output = re.sub(r"\s+", " ", moved.stdout)
    assert (f"The raw table vpc_flow_logs.raw_flow_logs reads another root (LOCATION {old}, "
            f"storage.location.template {old + template}) than var flow_logs_root ({new}): "
            + advice) in output, moved.stdout[-3000:]
    assert template_only.returncode != 0
    assert (f"reads another root (storage.location.template {old + template}) than var "
            f"flow_logs_root ({new})") in re.sub(r"\s+", " ", template_only.stdout)


def test_a_raw_table_for_another_delivery_option_stops_the_run(tmp_path: Path) -> None:
    """An existing raw table must read the option the vars name: a text table under
    flow_logs_file_format parquet, a Hive-projected table under the default prefixes,
    a daily table under hourly folders, or a Parquet table missing a configured field,
    each stops the run in one line naming what differs."""
    root = ATHENA_VARS["flow_logs_root"] + "/AWSLogs/"
    default = root + "${account_partition}/vpcflowlogs/${region_partition}/${date_partition}"
    hive = (root + "aws-account-id=${account_partition}/aws-service=vpcflowlogs/"
            "aws-region=${region_partition}/year=${year}/month=${month}/day=${day}")
    text_table = raw_table_input(root, default)
    hive_table = raw_table_input(root, hive)
    hive_table["PartitionKeys"] = [{"Name": name, "Type": "string"} for name in
                                   ("account_partition", "region_partition", "year", "month",
                                    "day")]
    fields = ["version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport",
              "dstport", "protocol", "packets", "bytes", "start", "end", "action",
              "log-status"]
    parquet_table = raw_table_input(root, default)
    parquet_table["StorageDescriptor"]["Columns"] = [
        {"Name": field.replace("-", "_"), "Type": "string"} for field in fields
        if field != "log-status"]
    cases = [
        (text_table, {"flow_logs_file_format": "parquet"},
         "flow_logs_file_format text (the vars say parquet)"),
        (hive_table, {}, "flow_logs_prefixes hive (the vars say default)"),
        (text_table, {"flow_logs_layout": "hourly"},
         "flow_logs_layout daily (the vars say hourly)"),
        (parquet_table, {"flow_logs_file_format": "parquet", "flow_log_fields": " ".join(fields)},
         "no column log_status of var flow_log_fields"),
    ]
    outputs = []
    with moto_server() as endpoint:
        glue = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                             aws_secret_access_key="testing").client("glue", endpoint_url=endpoint)
        glue.create_database(DatabaseInput={"Name": "vpc_flow_logs"})
        glue.create_table(DatabaseName="vpc_flow_logs", TableInput=text_table)
        for table, extra_vars, _ in cases:
            glue.update_table(DatabaseName="vpc_flow_logs", TableInput=table)
            outputs.append(run_dbt(["compile", "--target-path", str(tmp_path / "target")],
                                   vars={**ATHENA_VARS, **extra_vars}, target="athena",
                                   env=aws_env(endpoint), check=False))
        glue.update_table(DatabaseName="vpc_flow_logs", TableInput=text_table)
        run_dbt(["compile", "--target-path", str(tmp_path / "target")], vars=ATHENA_VARS,
                target="athena", env=aws_env(endpoint))
    for (_, _, problem), process in zip(cases, outputs, strict=True):
        output = re.sub(r"\s+", " ", process.stdout)
        assert process.returncode != 0, problem
        assert ("The raw table vpc_flow_logs.raw_flow_logs was created for another delivery "
                f"option: {problem}. Recreate it with `dbt run-operation "
                "create_raw_flow_logs_table --args '{replace: true}'`") in output, output[-2000:]


def compile_athena(target_path: Path, extra_vars: dict) -> tuple[str, Path]:
    """Compile the Athena target with extra vars; the raw table's DDL and the folder
    of compiled SQL."""
    with moto_server() as endpoint:
        session = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                                aws_secret_access_key="testing")
        session.client("glue", endpoint_url=endpoint).create_database(
            DatabaseInput={"Name": "vpc_flow_logs"})
        run_dbt(["compile", "--target-path", str(target_path)], target="athena",
                vars={**ATHENA_VARS, **extra_vars}, env=aws_env(endpoint))
        athena = session.client("athena", endpoint_url=endpoint)
        ids = athena.list_query_executions()["QueryExecutionIds"]
        ddl = [athena.get_query_execution(QueryExecutionId=i)["QueryExecution"]["Query"]
               for i in ids]
    statement = next(q for q in ddl if "create external table" in q.lower())
    return statement, target_path / "compiled"


HIVE_TEMPLATE = ("s3://flow-logs-bucket/prefix/AWSLogs/aws-account-id=${account_partition}/"
                 "aws-service=vpcflowlogs/aws-region=${region_partition}/"
                 "year=${year}/month=${month}/day=${day}")


@pytest.mark.parametrize(("prefixes", "file_format", "layout"), [
    ("hive", "text", "daily"),
    ("hive", "parquet", "hourly"),
    ("default", "parquet", "daily"),
])
def test_each_delivery_option_compiles_to_trino(tmp_path: Path, prefixes: str,
                                                file_format: str, layout: str) -> None:
    """Hive-compatible prefixes project year/month/day under the Hive template and
    staging rebuilds `date_partition` from them; Parquet is a typed table, AWS's column
    names and types, whose rows staging turns into text lines after one synthetic
    header per object."""
    statement, compiled = compile_athena(tmp_path / "compiled", {
        "flow_logs_prefixes": prefixes, "flow_logs_file_format": file_format,
        "flow_logs_layout": layout})
    sqlglot.parse_one(statement, read="athena")
    properties = dict(re.findall(r"'([^']+)' = '([^']*)'", statement))
    hourly = layout == "hourly"
    if prefixes == "hive":
        assert properties["storage.location.template"] == HIVE_TEMPLATE + (
            "/hour=${hour_partition}" if hourly else "")
        assert properties["projection.year.format"] == "yyyy"
        assert properties["projection.year.range"] == "2023,NOW"
        assert (properties["projection.month.range"], properties["projection.day.range"]) == (
            "1,12", "1,31")
        assert "date_partition" not in statement
    else:
        assert properties["projection.date_partition.format"] == "yyyy/MM/dd"
    assert ("projection.hour_partition.range" in properties) == hourly
    base = next(compiled.rglob("base_vpc_flow_logs__lines.sql")).read_text()
    if file_format == "parquet":
        assert "stored as parquet" in statement
        assert "`line`" not in statement
        columns = dict(re.findall(r"`([a-z_]+)` (int|bigint|string)", statement))
        assert {key: columns[key] for key in (
            "version", "account_id", "srcport", "protocol", "packets", "start", "end",
            "log_status")} == {
            "version": "int", "account_id": "string", "srcport": "int", "protocol": "int",
            "packets": "bigint", "start": "bigint", "end": "bigint", "log_status": "string"}
        assert "concat_ws(' '," in base
        assert "coalesce(cast(\"log_status\" as varchar), '-')" in base
        assert ("'version account-id interface-id srcaddr dstaddr srcport dstport protocol "
                "packets bytes start end action log-status' as line") in base
        assert 'select distinct\n            "$path" as "$path"' in base
    else:
        assert "`line` string" in statement and "RegexSerDe" in statement
    if prefixes == "hive":
        assert "concat(year, '/', month, '/', day) as date_partition" in base
    files = next(compiled.rglob("stg_vpc_flow_logs__files.sql")).read_text()
    assert f"cast('{file_format}' as varchar) as file_format" in files
    assert f"cast('{prefixes}' as varchar) as key_layout" in files
    for path in compiled.rglob("*.sql"):
        sql = path.read_text()
        assert all(sqlglot.parse(sql, read="athena")), path.name
        assert not functions_called(sql) - TRINO_FUNCTIONS, path.name


def test_delivery_option_vars_are_validated(tmp_path: Path) -> None:
    for name, value in (("flow_logs_prefixes", "hive-compatible"),
                        ("flow_logs_file_format", "orc")):
        process = run_dbt(["compile", "--target-path", str(tmp_path / name), "--select",
                           "stg_vpc_flow_logs__files"], target="athena",
                          vars={**ATHENA_VARS, name: value}, check=False)
        assert process.returncode != 0
        assert f"var {name} must be" in process.stdout, process.stdout[-2000:]
