"""The Athena SQL computes what the DuckDB SQL computes, model by model.

The project is compiled for Athena against moto; every model's Trino SQL is
transpiled to DuckDB and run in DAG order over an emulation of Athena's raw table
(athena_emulation.py). Each model's rows must equal, as a multiset after type
normalisation, the rows the DuckDB target built from the same objects. Models are
discovered from the manifest: a new model is covered without touching this file.

Corpora: the generated sample data; the hostile corpus (hostile_corpus.py) with the
AWS documented record examples beside it.
"""

from __future__ import annotations

import copy
import gzip
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import boto3
import duckdb
import pytest

from tests.python import hostile_corpus
from tests.python.athena_emulation import (
    AthenaEmulation,
    AthenaQueryError,
    Difference,
    RawTable,
    compare,
    load_manifest,
    models_in_dag_order,
    moto_answering_from,
    read_object,
    relation_parts,
    split_lines,
    to_duckdb,
    trino_contains,
    trino_try_ipaddress,
)
from tests.python.conftest import Build
from tests.python.dbt_runner import run_dbt
from tests.python.moto import aws_env
from vpc_flow_logs.generate_sample_logs import generate

S3_ROOT = "s3://flow-logs-bucket/prefix"
START_DATE = date(2014, 1, 1)
# Columns only the DuckDB target can fill, by design: its file inventory counts the
# lines and bytes of each object in Python; S3 holds no such counts, so on Athena
# they are NULL (models/staging/vpc_flow_logs/athena/stg_vpc_flow_logs__files.sql).
DUCKDB_ONLY_COLUMNS = {
    "stg_vpc_flow_logs__files": ("size_bytes", "lines_read", "bytes_read", "content_md5"),
    "fct_file_reconciliation": ("size_bytes", "lines_read", "bytes_read"),
}
# When the run that parsed a line started: each engine's own run, by design.
RUN_STAMP_COLUMNS = {"base_vpc_flow_logs__lines": ("parsed_at",)}
# Both engines decode lines as UTF-8 with U+FFFD for invalid sequences (DuckDB through
# a normalized copy of such objects): raw_line and line_length are compared as they are.
MASKED_COLUMNS: tuple[str, ...] = ()
V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes " \
     "start end action log-status"
# Flow log record examples of the VPC User Guide (default format), each delivered in
# the folder of its own day.
AWS_EXAMPLES = {
    "2014/12/14": [  # accepted and rejected traffic
        "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
        "1418530010 1418530070 ACCEPT OK",
        "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 "
        "1418530010 1418530070 REJECT OK",
    ],
    "2015/05/10": [  # no data and skipped records
        "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
        "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
    ],
    "2015/05/29": [  # security group and network ACL rules (stateless NACL, ICMP)
        "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 "
        "1432917027 1432917142 ACCEPT OK",
        "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 "
        "1432917094 1432917142 REJECT OK",
    ],
    "2016/10/31": [  # IPv6 traffic
        "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 "
        "2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 "
        "ACCEPT OK",
    ],
}


@dataclass(frozen=True)
class Corpus:
    name: str
    build: Build
    table: RawTable


def write_aws_examples(root: Path) -> None:
    for day, lines in AWS_EXAMPLES.items():
        path = (root / "AWSLogs/123456789010/vpcflowlogs/us-east-1" / day /
                f"123456789010_vpcflowlogs_us-east-1_fl-1234abcd_{day.replace('/', '')}"
                f"T0000Z_awsdoc00.log.gz")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(("\n".join([V2, *lines]) + "\n").encode(), mtime=0))


def partitions_of(root: Path) -> tuple[set[str], set[str]]:
    accounts = {p.name for p in (root / "AWSLogs").iterdir() if p.name.isdigit()}
    regions = {p.name for account in accounts
               for p in (root / "AWSLogs" / account / "vpcflowlogs").iterdir()}
    return accounts, regions


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The hostile corpus, less the objects the engines handle apart by design (a
    corrupt .gz fails Athena's query, a foreign object's lines are read by Athena
    and listed as not_flow_log by DuckDB, an object without lines is listed by
    DuckDB's inventory only, an object under Hive-compatible prefixes is read by
    DuckDB and by the Athena table of that layout only: see the tests below), and
    AWS's examples."""
    base = tmp_path_factory.mktemp("equivalence")
    root = base / "logs"
    for path, case in hostile_corpus.build(root).items():
        if (case.status != "ok" or not (case.header_lines or case.reasons)
                or case.name == "hive-compatible prefix"):
            Path(path).unlink()
    write_aws_examples(root)
    database = base / "hostile.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["build", "--resource-type", "seed", "--resource-type", "model"],
            vars=dbt_vars, duckdb_path=database)
    return Build(root=root, database=database, vars=dbt_vars)


@pytest.fixture(scope="module")
def corpora(sample_build: Build, hostile_build: Build) -> dict[str, Corpus]:
    corpora = {}
    for name, build in (("sample", sample_build), ("hostile+aws", hostile_build)):
        accounts, regions = partitions_of(build.root)
        corpora[name] = Corpus(name, build, RawTable(
            S3_ROOT + "/AWSLogs/", tuple(sorted(accounts)), tuple(sorted(regions)), START_DATE))
    return corpora


@pytest.fixture(scope="module")
def athena_manifest(corpora: dict[str, Corpus], tmp_path_factory: pytest.TempPathFactory
                    ) -> dict:
    """The project compiled for Athena (a fresh account: every model a full refresh);
    the queries dbt runs while compiling (seed settings) are answered from the seeds."""
    accounts = sorted({a for corpus in corpora.values() for a in corpus.table.accounts})
    regions = sorted({r for corpus in corpora.values() for r in corpus.table.regions})
    target = tmp_path_factory.mktemp("athena_equivalence") / "target"
    build = corpora["sample"].build
    seeds = AthenaEmulation(load_manifest(build.database.with_suffix(".target")
                                          / "manifest.json"))
    seeds.load_seeds(build.database, duckdb_manifest(build))
    with moto_answering_from(seeds) as endpoint:
        session = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                                aws_secret_access_key="testing")
        session.client("glue", endpoint_url=endpoint).create_database(
            DatabaseInput={"Name": "vpc_flow_logs"})
        run_dbt(["compile", "--select", "resource_type:model", "--target-path", str(target)],
                target="athena", env=aws_env(endpoint),
                vars={"flow_logs_root": S3_ROOT, "flow_logs_accounts": accounts,
                      "flow_logs_regions": regions,
                      "flow_logs_start_date": START_DATE.isoformat()})
    return load_manifest(target / "manifest.json")


def duckdb_rows(build: Build, manifest: dict) -> dict[str, tuple[list[str], list[tuple]]]:
    rows = {}
    with duckdb.connect(str(build.database), read_only=True) as connection:
        for node in manifest["nodes"].values():
            if node["resource_type"] == "model":
                result = connection.execute(
                    f'select * from "{node["schema"]}"."{node["alias"]}"')
                rows[node["name"]] = ([d[0] for d in result.description], result.fetchall())
    return rows


def emulate(manifest: dict, corpus: Corpus, **options) -> AthenaEmulation:
    emulation = AthenaEmulation(manifest, **options)
    emulation.load_raw_table(corpus.build.root, corpus.table)
    emulation.load_seeds(corpus.build.database, duckdb_manifest(corpus.build))
    emulation.run_models()
    return emulation


def duckdb_manifest(build: Build) -> dict:
    return load_manifest(build.database.with_suffix(".target") / "manifest.json")


def differences(manifest: dict, corpus: Corpus, **options) -> list[Difference]:
    return compare_all(manifest, emulate(manifest, corpus, **options), corpus.build)


def compare_all(manifest: dict, emulation: AthenaEmulation, build: Build) -> list[Difference]:
    expected = duckdb_rows(build, duckdb_manifest(build))
    found = []
    for node in models_in_dag_order(manifest):
        difference = compare(
            node["name"], emulation.rows(node["relation_name"]), expected[node["name"]],
            ignore=(*DUCKDB_ONLY_COLUMNS.get(node["name"], ()),
                    *RUN_STAMP_COLUMNS.get(node["name"], ())), masked=MASKED_COLUMNS,
            replacements=((S3_ROOT, str(build.root)),))
        if difference is not None:
            found.append(difference)
    return found


def test_every_model_runs_on_both_engines(athena_manifest: dict, sample_build: Build) -> None:
    athena = [node["name"] for node in models_in_dag_order(athena_manifest)]
    local = {node["name"] for node in duckdb_manifest(sample_build)["nodes"].values()
             if node["resource_type"] == "model"}
    assert set(athena) == local
    assert athena.index("base_vpc_flow_logs__lines") < athena.index("stg_vpc_flow_logs") \
        < athena.index("int_flows_enriched") < athena.index("fct_port_scans")
    assert set(DUCKDB_ONLY_COLUMNS) <= local


@pytest.mark.parametrize("name", ["sample", "hostile+aws"])
def test_athena_models_equal_duckdb_models(athena_manifest: dict, corpora: dict,
                                           name: str) -> None:
    corpus = corpora[name]
    found = differences(athena_manifest, corpus)
    assert not found, "\n".join(str(d) for d in found)
    # Nothing vacuous: the corpus reached the marts on both engines.
    counts = {n: len(rows) for n, (_, rows) in duckdb_rows(
        corpus.build, duckdb_manifest(corpus.build)).items()}
    assert counts["stg_vpc_flow_logs"] > 0 and counts["stg_vpc_flow_logs__malformed"] >= 0
    assert counts["fct_traffic_daily"] > 0 and counts["fct_rejects_by_source"] > 0


def test_the_comparison_reports_another_session_time_zone(athena_manifest: dict,
                                                          corpora: dict) -> None:
    """A deliberate change to the emulation (Athena in UTC-4/-5) is reported."""
    found = {d.model: d for d in differences(athena_manifest, corpora["sample"],
                                             time_zone="America/New_York")}
    assert {"base_vpc_flow_logs__lines", "stg_vpc_flow_logs", "int_flows_enriched",
            "fct_traffic_daily", "fct_port_scans"} <= set(found)
    shifted = found["stg_vpc_flow_logs"]
    assert sum(shifted.only_athena.values()) == sum(shifted.only_duckdb.values()) > 0


def test_the_file_inventory_columns_are_null_on_athena(athena_manifest: dict,
                                                       corpora: dict) -> None:
    """The documented exception is exactly the DuckDB-only columns, NULL on Athena."""
    emulation = emulate(athena_manifest, corpora["sample"])
    for node in models_in_dag_order(athena_manifest):
        if node["name"] not in DUCKDB_ONLY_COLUMNS:
            continue
        columns, rows = emulation.rows(node["relation_name"])
        assert rows
        for column in DUCKDB_ONLY_COLUMNS[node["name"]]:
            assert {row[columns.index(column)] for row in rows} == {None}, column


def test_objects_handled_apart_by_design(tmp_path: Path) -> None:
    """What the equivalence corpus leaves out, and why: a corrupt or non-gzip .gz object
    fails Athena's query (DuckDB lists it as unreadable); an empty one has no lines; a
    foreign object in a delivery folder is read as text lines (DuckDB: not_flow_log)."""
    cases = hostile_corpus.build(tmp_path)
    by_name = {case.name: Path(path) for path, case in cases.items()}
    for name in ("truncated gzip", "plain text"):
        with pytest.raises(AthenaQueryError):
            read_object(by_name[name])
    assert split_lines(read_object(by_name["zero bytes"])) == []
    assert split_lines(read_object(by_name["empty gzip"])) == []
    assert split_lines(read_object(by_name["foreign object"])) == [b'{"not": "a flow log"}']
    hive = RawTable(S3_ROOT + "/AWSLogs/", (hostile_corpus.ACCOUNT,), (hostile_corpus.REGION,),
                    START_DATE)
    visible = {folder for folder, _ in hive.partitions(tmp_path)}
    assert by_name["hive-compatible prefix"].parent not in visible
    assert by_name["foreign object"].parent in visible


def test_lines_split_like_hadoop() -> None:
    assert split_lines(b"") == []
    assert split_lines(b"\n") == [b""]
    assert split_lines(b"a") == [b"a"]
    assert split_lines(b"a\nb\n") == [b"a", b"b"]
    assert split_lines(b"a\r\nb\rc\n\nd") == [b"a", b"b", b"c", b"", b"d"]
    assert split_lines(b"a\r\r\nb\r") == [b"a", b"", b"b"]


def test_raw_table_rows_as_athena_exposes_them(tmp_path: Path) -> None:
    from tests.python.athena_emulation import raw_rows

    day = tmp_path / "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/06/10"
    day.mkdir(parents=True)
    (day / "a.log.gz").write_bytes(gzip.compress(b"h1\r\nx \xc3\xa9\ry\xff\n"))
    (tmp_path / "AWSLogs/111122223333/vpcflowlogs/us-east-1/2013/12/31").mkdir(parents=True)
    shutil.copy(day / "a.log.gz", tmp_path / "AWSLogs/111122223333/vpcflowlogs/us-east-1/"
                "2013/12/31/b.log.gz")
    table = RawTable(S3_ROOT + "/AWSLogs/", ("111122223333",), ("us-east-1",), START_DATE)
    uri = S3_ROOT + "/AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/06/10/a.log.gz"
    partition = ("111122223333", "us-east-1", "2024/06/10")
    assert list(raw_rows(tmp_path, table)) == [
        ("h1", uri, *partition), ("x \u00e9", uri, *partition), ("y\ufffd", uri, *partition)]


def test_hourly_partitions_add_the_hour_key(tmp_path: Path) -> None:
    from tests.python.athena_emulation import raw_rows

    base = tmp_path / "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/06/10"
    for folder in ("07", "23", "24", "7"):  # 24 and 7 are outside the projected 00..23
        (base / folder).mkdir(parents=True)
        (base / folder / "a.log.gz").write_bytes(gzip.compress(folder.encode() + b"\n"))
    table = RawTable(S3_ROOT + "/AWSLogs/", ("111122223333",), ("us-east-1",), START_DATE,
                     hourly=True)
    assert [(row[0], row[-1]) for row in raw_rows(tmp_path, table)] == [
        ("07", "07"), ("23", "23")]


# --- the shims, against Trino's documented behaviour ---------------------------------


@pytest.mark.parametrize(("network", "address", "expected"), [
    ("10.0.0.0/8", "10.255.255.255", True),
    ("10.0.0.0/8", "11.255.255.255", False),
    ("2001:0db8:0:0:0:ff00:0042:8329/128", "2001:0db8:0:0:0:ff00:0042:8329", True),
    ("2001:0db8:0:0:0:ff00:0042:8329/128", "2001:0db8:0:0:0:ff00:0042:8328", False),
    ("0.0.0.0/0", "255.255.255.255", True),
    ("10.0.0.0/8", "::ffff:10.1.2.3", True),  # IPv4-mapped IPv6 is IPv4 to Trino
])
def test_contains_shim(network: str, address: str, expected: bool) -> None:
    assert trino_contains(network, trino_try_ipaddress(address)) is expected


@pytest.mark.parametrize(("network", "address", "message"), [
    ("10.0.0.1/8", "10.0.0.1", "Invalid CIDR"),  # host bits set
    ("10.0.0.0", "10.0.0.1", "Invalid CIDR"),  # no prefix
    ("10.0.0.1/33", "10.0.0.1", "Prefix length exceeds address length"),
    ("x.x.x.x/1", "10.0.0.1", "Invalid network IP address"),
    ("10.0.0.0/8", "2001:db8::1", "IP address version should be the same"),
    ("2001:db8::/32", "10.0.0.1", "IP address version should be the same"),
])
def test_contains_shim_fails_like_trino(network: str, address: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        trino_contains(network, trino_try_ipaddress(address))


def test_an_invalid_cidr_fails_the_emulated_query() -> None:
    connection = AthenaEmulation({"nodes": {}, "sources": {}}).connection
    ok = to_duckdb("select contains('10.0.0.0/8', try_cast('10.1.1.1' as ipaddress))")
    assert connection.execute(ok).fetchall() == [(True,)]
    assert connection.execute(to_duckdb(
        "select try_cast('10.01.1.1' as ipaddress), try_cast('1.2.3.4 ' as ipaddress)"
    )).fetchall() == [(None, None)]
    with pytest.raises(duckdb.Error, match="Invalid CIDR"):
        connection.execute(to_duckdb(
            "select contains('10.0.0.1/8', try_cast('10.1.1.1' as ipaddress))")).fetchall()


def test_regexp_extract_is_null_without_a_match() -> None:
    connection = AthenaEmulation({"nodes": {}, "sources": {}}).connection
    assert connection.execute(to_duckdb(
        "select regexp_extract('abc', 'x(.)', 1), regexp_extract('axc', 'x(.)', 1)"
    )).fetchall() == [(None, "c")]


# --- the scheduled (incremental) run -------------------------------------------------


def compile_incremental(existing: dict, emulation: AthenaEmulation, target: Path,
                        table: RawTable) -> dict:
    """The project compiled for Athena against a Glue catalog where every relation of
    `existing` exists: incremental models compile their incremental SQL. The queries
    dbt runs to compute each window (the parsed lines' latest delivery day, the event
    days parsed since a model's watermark) are answered by the emulation."""
    relations = [node for node in existing["nodes"].values()
                 if node["resource_type"] in ("model", "seed")]
    relations += [node for node in existing["sources"].values() if node["name"] == "raw_flow_logs"]
    with moto_answering_from(emulation) as endpoint:
        session = boto3.Session(region_name="us-east-1", aws_access_key_id="testing",
                                aws_secret_access_key="testing")
        glue = session.client("glue", endpoint_url=endpoint)
        for schema in sorted({relation_parts(n["relation_name"])[1] for n in relations}):
            glue.create_database(DatabaseInput={"Name": schema})
        for node in relations:
            _, schema, name = relation_parts(node["relation_name"])
            view = node.get("config", {}).get("materialized") == "view"
            glue.create_table(DatabaseName=schema, TableInput={
                "Name": name, "TableType": "VIRTUAL_VIEW" if view else "EXTERNAL_TABLE",
                "StorageDescriptor": {"Columns": [], "Location": f"s3://results/{schema}/{name}/"}})
        run_dbt(["compile", "--select", "resource_type:model", "--target-path", str(target)],
                target="athena", env=aws_env(endpoint),
                vars={"flow_logs_root": S3_ROOT, "flow_logs_accounts": list(table.accounts),
                      "flow_logs_regions": list(table.regions),
                      "flow_logs_start_date": START_DATE.isoformat()})
    return load_manifest(target / "manifest.json")


def incremental_levels(manifest: dict) -> dict[str, int]:
    """Each model's rank among the incremental models it depends on (the parsed lines
    0, int_flows_enriched 1, the marts 2, the findings 3); views and tables take their
    parents' rank. A model's window depends on the watermarks of the ranks below."""
    levels: dict[str, int] = {}
    for node in models_in_dag_order(manifest):
        parents = [levels[manifest["nodes"][key]["name"]] for key in node["depends_on"]["nodes"]
                   if key in manifest["nodes"]
                   and manifest["nodes"][key]["resource_type"] == "model"]
        below = max(parents, default=-1)
        levels[node["name"]] = below + (node["config"]["materialized"] == "incremental")
    return levels


def record_watermarks(emulation: AthenaEmulation, manifest: dict, names: list[str]) -> None:
    """What the post-hook record_watermark leaves after a run in which every model of
    `names` consumed every line parsed so far."""
    base = next(node for node in manifest["nodes"].values()
                if node["name"] == "base_vpc_flow_logs__lines")
    catalog = relation_parts(base["relation_name"])[0]
    relation = f'"{catalog}"."vpc_flow_logs"."incremental_watermarks"'
    emulation._create_schema(relation)
    emulation.connection.execute(f"""create table if not exists {relation} (model_name varchar,
        parsed_after timestamp, parsed_through timestamp, recorded_at timestamp)""")
    for name in names:
        emulation.connection.execute(f"""insert into {relation}
            select ?, (select max(parsed_through) from {relation} where model_name = ?),
                   (select max(parsed_at) from {base["relation_name"]}), current_timestamp""",
                                     [name, name])


def test_scheduled_incremental_run_equals_duckdb(athena_manifest: dict, tmp_path: Path) -> None:
    """Day 4 (with late records of day 3) arrives after a first run over days 1-3: the
    Athena SQL of the scheduled run, with insert_overwrite's partition replacement,
    leaves every model with the rows DuckDB's incremental run leaves. Each rank of
    incremental models is compiled once the ranks below it have run (their
    watermarks decide its window), as dbt compiles each model just before running it."""
    first = date(2024, 6, 1)
    full = tmp_path / "full"
    generate(full, start_date=first, days=4, records=2000, seed=5, late_fraction=0.05)
    root = tmp_path / "logs"
    shutil.copytree(full, root)
    last_day = first + timedelta(days=3)
    held_back = tmp_path / "held_back"
    for folder in sorted(root.glob(f"AWSLogs/*/vpcflowlogs/*/{last_day:%Y/%m/%d}")):
        shutil.move(folder, held_back / folder.relative_to(root))
    build = Build(root=root, database=tmp_path / "incremental.duckdb",
                  vars={"flow_logs_root": str(root)})
    run_dbt(["build", "--resource-type", "seed", "--resource-type", "model"],
            vars=build.vars, duckdb_path=build.database)
    accounts, regions = partitions_of(full)
    table = RawTable(S3_ROOT + "/AWSLogs/", tuple(sorted(accounts)), tuple(sorted(regions)),
                     START_DATE)
    emulation = AthenaEmulation(athena_manifest)
    emulation.load_raw_table(root, table)
    emulation.load_seeds(build.database, duckdb_manifest(build))
    emulation.run_models()
    levels = incremental_levels(athena_manifest)
    record_watermarks(emulation, athena_manifest, [
        node["name"] for node in models_in_dag_order(athena_manifest)
        if node["config"]["materialized"] == "incremental" and levels[node["name"]] > 0])
    assert not compare_all(athena_manifest, emulation, build)
    before = duckdb_rows(build, duckdb_manifest(build))

    shutil.copytree(held_back, root, dirs_exist_ok=True)
    run_dbt(["run"], vars=build.vars, duckdb_path=build.database)
    emulation.load_raw_table(root, table)
    ranks: list[dict] = []
    for level in range(max(levels.values()) + 1):
        incremental = compile_incremental(athena_manifest, emulation, tmp_path / "athena",
                                          table)
        nodes = {key: node for key, node in incremental["nodes"].items()
                 if node["resource_type"] == "model" and levels[node["name"]] == level}
        if level == 0:
            base = next(node for node in nodes.values()
                        if node["name"] == "base_vpc_flow_logs__lines")
            assert "date_partition >= '2024/06/02'" in base["compiled_code"]
            assert '"$path" not in' in base["compiled_code"], "objects parsed once"
        if level == 1:
            [enriched] = [node for node in nodes.values()
                          if node["name"] == "int_flows_enriched"]
            assert "event_date in (cast('2024-06-03' as date), cast('2024-06-04' as date))" \
                in enriched["compiled_code"], "the days that received records"
        ranks.append({"nodes": nodes, "sources": incremental["sources"]})
        emulation.run_models(ranks[-1])
        record_watermarks(emulation, incremental, [
            node["name"] for node in nodes.values()
            if node["config"]["materialized"] == "incremental" and level > 0])
    found = compare_all(incremental, emulation, build)
    assert not found, "\n".join(str(d) for d in found)
    after = duckdb_rows(build, duckdb_manifest(build))
    assert after["fct_traffic_daily"] != before["fct_traffic_daily"]

    # The same SQL again replaces the same partitions: nothing changes.
    for rank in ranks:
        emulation.run_models(rank)
    assert not compare_all(incremental, emulation, build)
    # A deliberate change: appending instead of replacing partitions is reported.
    for rank in ranks:
        appending = copy.deepcopy(rank)
        for node in appending["nodes"].values():
            if node["config"].get("incremental_strategy") == "insert_overwrite":
                node["config"]["incremental_strategy"] = "append"
        emulation.run_models(appending)
    reported = {difference.model for difference in compare_all(incremental, emulation, build)}
    # The parsed lines append by design (each object once): their SQL skips what is parsed.
    assert {"int_flows_enriched", "fct_traffic_daily"} <= reported


def test_insert_overwrite_replaces_the_partitions_of_the_new_rows() -> None:
    emulation = AthenaEmulation({"nodes": {}, "sources": {}})
    emulation.connection.execute("create table t as select * from (values "
                                 "(1, 'a'), (2, 'a'), (3, 'b'), (4, null)) as v(n, day)")
    node = {"name": "t", "relation_name": "t", "config": {
        "incremental_strategy": "insert_overwrite", "partitioned_by": ["day"]}}
    emulation.write_incremental(node, "select * from (values (5, 'b'), (6, null), (7, 'c')) "
                                      "as v(n, day)")
    assert sorted(emulation.rows("t")[1], key=str) == [
        (1, "a"), (2, "a"), (5, "b"), (6, None), (7, "c")]
    with pytest.raises(NotImplementedError, match="merge"):
        emulation.write_incremental({**node, "config": {"incremental_strategy": "merge"}},
                                    "select 1 as n, 'a' as day")


def test_a_division_needs_a_fractional_operand() -> None:
    """Trino divides integers as integers, DuckDB does not: the translation refuses a
    division whose operand types it cannot see."""
    connection = AthenaEmulation({"nodes": {}, "sources": {}}).connection
    assert connection.execute(to_duckdb(
        "select cast(7 as double) / 2, 7 / (2 * cast(1 as decimal(3, 1))), 7 / 2.0"
    )).fetchall()[0][0] == 3.5
    with pytest.raises(NotImplementedError, match="cast an operand"):
        to_duckdb("select sum(a) / count(*) from t")
