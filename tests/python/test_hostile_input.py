"""Hostile input: nothing aborts the run, every line is accounted for with a reason."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.python import hostile_corpus
from tests.python.dbt_runner import query, run_dbt, snapshot
from tests.python.reference import read_records


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "logs"
    cases = hostile_corpus.build(root)
    database = base / "hostile.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    result = run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    return {"root": root, "cases": cases, "database": database, "vars": dbt_vars,
            "output": result.stdout}


def test_every_object_has_its_status_and_every_line_its_reason(corpus: dict) -> None:
    files = {row[0]: row[1:] for row in query(corpus["database"], """
        select source_file, status, header_lines, staged_records, malformed_lines,
               is_reconciled
        from main_marts.fct_file_reconciliation""")}
    reasons = Counter(query(corpus["database"], """
        select source_file, reason from main_staging.stg_vpc_flow_logs__malformed"""))
    assert set(files) == set(corpus["cases"])
    for path, case in corpus["cases"].items():
        status, header_lines, staged, malformed, reconciled = files[path]
        assert status == case.status, case.name
        assert reconciled, case.name
        assert header_lines == case.header_lines, case.name
        assert staged == case.reasons.count(None), case.name
        expected = Counter(reason for reason in case.reasons if reason is not None)
        actual = Counter({reason: n for (file, reason), n in reasons.items() if file == path})
        assert actual == expected, case.name
        assert malformed == sum(expected.values()), case.name


def test_staging_equals_the_independent_reading(corpus: dict) -> None:
    expected = Counter((r.source_file, r.reason) for r in read_records(corpus["root"]))
    staged = query(corpus["database"], """
        select source_file, cast(null as varchar), count(*) from main_staging.stg_vpc_flow_logs
        group by source_file
        union all
        select source_file, reason, count(*) from main_staging.stg_vpc_flow_logs__malformed
        group by source_file, reason""")
    assert Counter({(f, r): n for f, r, n in staged}) == expected


def test_counters_keep_full_precision(corpus: dict) -> None:
    path = str(Path(corpus["root"]) / hostile_corpus.key("a9counts", 10))
    rows = query(corpus["database"], f"""
        select packets, bytes from main_staging.stg_vpc_flow_logs
        where source_file = '{path}' order by bytes, packets""")
    assert rows == [(9223372036854775807, 300), (3, 2147483648), (3, 9223372036854775807)]


def test_unreadable_objects_are_reported_by_name(corpus: dict) -> None:
    for path, case in corpus["cases"].items():
        if case.status == "unreadable":
            assert Path(path).name in corpus["output"], case.name


def test_objects_not_read_are_named(corpus: dict) -> None:
    reasons = dict(query(corpus["database"], """
        select source_file, reason from main_marts.fct_file_reconciliation
        where status <> 'ok'"""))
    by_case = {case.name: reasons[path] for path, case in corpus["cases"].items()
               if case.status != "ok"}
    assert by_case["broken parquet"].startswith("not a readable Parquet object (")
    assert by_case["foreign object"] == (
        "file name does not follow <account>_vpcflowlogs_<region>_<flow-log-id>_"
        "<YYYYMMDDTHHmmZ>_<hash>.log.gz (or .log.parquet)")


def test_reruns_and_duplicate_deliveries_change_nothing(corpus: dict) -> None:
    def models() -> dict:
        tables = snapshot(corpus["database"])
        return {name: rows for name, rows in tables.items()
                if not name.endswith(("fct_file_reconciliation", "stg_vpc_flow_logs__files"))}

    before = models()
    run_dbt(["build"], vars=corpus["vars"], duckdb_path=corpus["database"])
    assert models() == before
    copy = hostile_corpus.add_duplicate(corpus["root"])
    run_dbt(["build"], vars=corpus["vars"], duckdb_path=corpus["database"])
    assert models() == before
    rows = query(corpus["database"], f"""
        select is_duplicate, lines_accounted, is_reconciled from main_marts.fct_file_reconciliation
        where source_file = '{copy}'""")
    assert rows == [(True, 0, True)]
