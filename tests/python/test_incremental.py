"""Incremental runs equal a full refresh, take late records, and change nothing on rerun."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import duckdb

from tests.python.dbt_runner import hashable, query, run_dbt
from vpc_flow_logs.generate_sample_logs import generate

DAYS = 4
FIRST = date(2024, 6, 1)
TABLES_SQL = """
    select table_schema, table_name from information_schema.tables
    where table_schema in ('main_staging', 'main_intermediate', 'main_marts')
    order by 1, 2
"""


def snapshot(database: Path) -> dict[str, Counter]:
    """Every model's rows, as multisets, by table name."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.sql(TABLES_SQL).fetchall()
        return {f"{schema}.{name}": Counter(
            map(hashable, connection.sql(f'select * from "{schema}"."{name}"').fetchall()))
            for schema, name in tables}


def day_folders(root: Path, day: date) -> list[Path]:
    return sorted(root.glob(f"AWSLogs/*/vpcflowlogs/*/{day:%Y/%m/%d}"))


def assert_equals_full_refresh(result: dict[str, Counter], dbt_vars: dict,
                               database: Path) -> None:
    """`result` holds exactly the rows of a full refresh over the same files."""
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["run", "--full-refresh"], vars=dbt_vars, duckdb_path=database)
    reference = snapshot(database)
    assert result.keys() == reference.keys()
    for table in reference:
        assert result[table] == reference[table], table


def test_incremental_equals_full_refresh(tmp_path: Path) -> None:
    full = tmp_path / "full"
    generate(full, start_date=FIRST, days=DAYS, records=8000, seed=5, late_fraction=0.03)
    last_day = FIRST + timedelta(days=DAYS - 1)
    root = tmp_path / "logs"
    shutil.copytree(full, root)
    held_back = tmp_path / "held_back"
    for folder in day_folders(root, last_day):
        target = held_back / folder.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(folder, target)
    assert list(held_back.rglob("*.log.gz")), "the last day has files to deliver later"

    incremental_db = tmp_path / "incremental.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=incremental_db)
    run_dbt(["run"], vars=dbt_vars, duckdb_path=incremental_db)
    before = snapshot(incremental_db)

    shutil.copytree(held_back, root, dirs_exist_ok=True)  # day N, with late records of N-1
    run_dbt(["run"], vars=dbt_vars, duckdb_path=incremental_db)
    after = snapshot(incremental_db)
    assert after != before

    run_dbt(["run"], vars=dbt_vars, duckdb_path=incremental_db)
    assert snapshot(incremental_db) == after, "a rerun without new data changes nothing"

    assert_equals_full_refresh(after, dbt_vars, tmp_path / "reference.duckdb")


def test_daily_runs_with_files_still_arriving_equal_a_full_refresh(tmp_path: Path) -> None:
    """A run after each half-day of delivered files: only the latest folders are re-read
    (var raw_lookback_days), sparse marts rebuild recent days only (var catch_up_days),
    and the end result is still exactly the full refresh."""
    full = tmp_path / "full"
    generate(full, start_date=FIRST, days=DAYS, records=6000, seed=11, late_fraction=0.03)
    root = tmp_path / "logs"
    root.mkdir()
    database = tmp_path / "daily.duckdb"
    # Runs advance int_flows_enriched by at most a day: 1 catch-up day is the least
    # that stays exact (lookback_days 2 as by default).
    dbt_vars = {"flow_logs_root": str(root), "lookback_days": 2, "catch_up_days": 1}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    for offset in range(DAYS):
        files = sorted(path for folder in day_folders(full, FIRST + timedelta(days=offset))
                       for path in folder.rglob("*.log.gz"))
        assert len(files) >= 2
        halves = (files[: len(files) // 2], files[len(files) // 2:])
        for half in halves:
            for path in half:
                target = root / path.relative_to(full)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
            run_dbt(["run"], vars=dbt_vars, duckdb_path=database)
    delivered = snapshot(database)

    # The last run's marts rebuilt recent days only, not their whole history.
    (latest,) = query(database,
                      "select max(event_date) from main_intermediate.int_flows_enriched")[0]
    compiled = database.with_suffix(".target") / "compiled" / "vpc_flow_logs" / "models" / "marts"
    for mart in ("security/fct_port_scans.sql", "security/fct_nacl_asymmetric_flows.sql",
                 "network/fct_traffic_daily.sql"):
        starts = re.findall(r"event_date >= cast\('(\d{4}-\d{2}-\d{2})' as date\)",
                            (compiled / mart).read_text())
        assert starts, mart
        assert date.fromisoformat(starts[0]) >= latest - timedelta(days=3), mart

    assert_equals_full_refresh(delivered, dbt_vars, tmp_path / "reference.duckdb")
