"""The report and the summary read the tables dbt's manifest names, wherever they are.

The project is parsed with another target schema (`analytics`) and another
`raw_flow_logs_table`; the sample build's tables are copied to the relations that
manifest names (nothing stays in `main_*`), and the report and the summary must give
exactly what they give on the sample build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.python.dbt_runner import run_dbt
from vpc_flow_logs import summary
from vpc_flow_logs.common import Relation, in_catalog, load_manifest, project_relations
from vpc_flow_logs.queries import REPORT, SUMMARY, Query, referenced, render
from vpc_flow_logs.report import DuckDBBackend, collect, main

PROFILE = """
vpc_flow_logs:
  target: local
  outputs:
    local:
      type: duckdb
      path: "{path}"
      schema: analytics
      plugins:
        - module: vpc_flow_logs.duckdb_plugin
"""


@pytest.fixture(scope="module")
def moved(sample_build: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample build copied to the relations of a manifest with schema `analytics`."""
    base = tmp_path_factory.mktemp("analytics")
    database = base / "analytics.duckdb"
    (base / "profiles.yml").write_text(PROFILE.format(path=database))
    run_dbt(["parse", "--target-path", str(base / "target")],
            vars={**sample_build.vars, "raw_flow_logs_table": "flow_lines"},
            env={"DBT_PROFILES_DIR": str(base), "DBT_LOG_PATH": str(base / "logs")})
    manifest = base / "target" / "manifest.json"
    before = project_relations(load_manifest(sample_build.manifest))
    after = project_relations(load_manifest(manifest))
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"attach '{sample_build.database}' as built (read_only)")
        existing = {Relation(schema, name) for schema, name in connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'built'").fetchall()}
        # The file is named like the schema (catalog `analytics`, schema `analytics`):
        # unqualified names would be ambiguous, so the tools qualify them with the catalog.
        for name, relation in in_catalog(after, "analytics").items():
            if before[name] in existing:
                connection.execute(
                    f'create schema if not exists "{relation.catalog}"."{relation.schema}"')
                connection.execute(f"create table {relation} as "
                                   f"select * from {in_catalog(before, 'built')[name]}")
        schemas = {schema for (schema,) in connection.execute(
            "select distinct table_schema from information_schema.tables "
            "where table_catalog = 'analytics'").fetchall()}
    return {"database": database, "manifest": manifest, "before": before, "after": after,
            "schemas": schemas}


def test_the_manifest_names_other_relations(moved: dict[str, Any]) -> None:
    after = moved["after"]
    assert after["fct_traffic_daily"] == Relation("analytics_marts", "fct_traffic_daily")
    assert after["stg_vpc_flow_logs__malformed"] == Relation(
        "analytics_staging", "stg_vpc_flow_logs__malformed")
    assert after["vpc_flow_logs.raw_flow_log_files"] == Relation("analytics", "flow_lines__files")
    assert moved["before"]["fct_traffic_daily"] == Relation("main_marts", "fct_traffic_daily")
    assert moved["schemas"] == {"analytics", "analytics_intermediate", "analytics_marts",
                                "analytics_reference", "analytics_staging"}
    for query in [*REPORT.values(), *SUMMARY.values()]:
        sql = render(query, after)
        assert "main_" not in sql and "analytics" in sql


def test_report_reads_the_relations_of_the_manifest(sample_build: Any, moved: dict[str, Any],
                                                    tmp_path: Path) -> None:
    original = DuckDBBackend(sample_build.database, moved["before"])
    copy = DuckDBBackend(moved["database"], moved["after"])
    try:
        expected, found = collect(original), collect(copy)
    finally:
        original.close()
        copy.close()
    assert all(expected[name] for name in REPORT)
    assert found == expected

    output = tmp_path / "report.html"
    assert main(["--database", str(moved["database"]), "--manifest", str(moved["manifest"]),
                 "--output", str(output)]) == 0
    assert "No findings" not in output.read_text(encoding="utf-8")
    # The sample build's own manifest names tables the copy does not have.
    assert main(["--database", str(moved["database"]), "--manifest", str(sample_build.manifest),
                 "--output", str(tmp_path / "wrong.html")]) == 2


def test_summary_reads_the_relations_of_the_manifest(sample_build: Any,
                                                     moved: dict[str, Any]) -> None:
    expected = summary.summarize(sample_build.database, sample_build.manifest)
    found = summary.summarize(moved["database"], moved["manifest"])
    expected_period, expected = expected.split("\n\n", 1)
    found_period, found = found.split("\n\n", 1)
    assert found_period == expected_period
    assert found_period.startswith("Data: event days ")
    expected_counts, expected_findings = expected.split("\n\n", 1)
    found_counts, found_findings = found.split("\n\n", 1)
    assert found_findings == expected_findings
    assert "not available" not in found_findings

    def counts(text: str, schema: str) -> dict[str, str]:
        rows = [line.split() for line in text.splitlines()[3:]]  # after title and header
        return {row[0].removeprefix(schema): row[-1] for row in rows}

    assert counts(found_counts, "analytics") == counts(expected_counts, "main")
    assert len(expected_counts.splitlines()) > 15


def test_a_table_the_manifest_lacks_is_one_clear_error() -> None:
    query = Query("select * from {{ ref('fct_traffic_daily') }} join {{ ref('not_a_model') }}")
    assert referenced(query.sql) == ["fct_traffic_daily", "not_a_model"]
    with pytest.raises(ValueError, match=r"^the dbt manifest has no not_a_model: "):
        render(query, {"fct_traffic_daily": Relation("s", "t")})
