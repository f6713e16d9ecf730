"""Incremental runs equal a full refresh, take late records, and change nothing on rerun."""

from __future__ import annotations

import gzip
import re
import shutil
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.python.dbt_runner import query, run_dbt, snapshot
from vpc_flow_logs.generate_sample_logs import generate

DAYS = 4
FIRST = date(2024, 6, 1)


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


def delivered_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.log.gz"))


def copy_files(files: list[Path], source: Path, root: Path) -> None:
    for path in files:
        target = root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def event_days_of(files: list[Path]) -> set[date]:
    """UTC days of the `start` field of every record line (header-mapped), in Python."""
    days = set()
    for path in files:
        with gzip.open(path, "rt", encoding="latin-1") as handle:
            header = handle.readline().split()
            position = header.index("start")
            for line in handle:
                start = line.split(" ")[position]
                if start.isdigit():
                    days.add(datetime.fromtimestamp(int(start), UTC).date())
    return days


def line_counts(files: list[Path]) -> dict[str, int]:
    """Lines (header included) of each file, in Python."""
    counts = {}
    for path in files:
        with gzip.open(path, "rt", encoding="latin-1") as handle:
            counts[str(path)] = sum(1 for _ in handle)
    return counts


def compiled_days(database: Path, model: str) -> set[date] | None:
    """The event days a model's last compiled query selected; None for a range."""
    folder = "intermediate" if model.startswith("int_") else "marts"
    compiled = database.with_suffix(".target") / "compiled" / "vpc_flow_logs" / "models"
    sql = next((compiled / folder).rglob(f"{model}.sql")).read_text()
    match = re.search(r"event_date in \((.*)\)$", sql, re.MULTILINE)
    if match:
        return {date.fromisoformat(day) for day in re.findall(r"'(\d{4}-\d{2}-\d{2})'",
                                                                match.group(1))}
    if re.search(r"and false\b", sql):
        return set()
    return None


def test_scheduled_runs_parse_new_objects_once_and_rebuild_their_days(
        tmp_path: Path) -> None:
    """Objects delivered in three batches, the last one late into an old folder: each
    run parses only the objects it has not seen, rebuilds exactly the event days of
    their records, a run without new objects rebuilds nothing, and the result is the
    full refresh."""
    full = tmp_path / "full"
    generate(full, start_date=FIRST, days=DAYS, records=6000, seed=11, late_fraction=0.03,
             malformed=False)
    files = delivered_files(full)
    old_folder = [path for path in files if f"{FIRST:%Y/%m/%d}" in str(path)]
    late_into_old_folder = old_folder[-2:]
    rest = [path for path in files if path not in late_into_old_folder]
    cut = FIRST + timedelta(days=2)
    first_batch = [path for path in rest
                   if date(*map(int, path.parent.parts[-3:])) < cut]
    second_batch = [path for path in rest if path not in first_batch]
    assert first_batch and second_batch and late_into_old_folder

    root = tmp_path / "logs"
    database = tmp_path / "scheduled.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    copy_files(first_batch, full, root)
    run_dbt(["run"], vars=dbt_vars, duckdb_path=database)

    for batch in (second_batch, late_into_old_folder):
        copy_files(batch, full, root)
        run_dbt(["run"], vars=dbt_vars, duckdb_path=database)
        # Parsed once: the run's lines are exactly the new objects' lines.
        parsed = dict(query(database, """
            select source_file, count(*) from main_staging.base_vpc_flow_logs__lines
            where parsed_at = (select max(parsed_at) from main_staging.base_vpc_flow_logs__lines)
            group by source_file"""))
        assert parsed == {str(root / Path(path).relative_to(full)): count
                          for path, count in line_counts(batch).items()}
        assert query(database, """
            select count(*) from (select source_file, count(distinct parsed_at)
                                  from main_staging.base_vpc_flow_logs__lines
                                  group by source_file having count(distinct parsed_at) > 1)
            """) == [(0,)]
        # Changed days drive every day-partitioned model.
        expected_days = event_days_of(batch)
        for model in ("int_flows_enriched", "fct_traffic_daily", "fct_port_scans",
                      "fct_nacl_asymmetric_flows", "fct_metric_alarms"):
            assert compiled_days(database, model) == expected_days, model
    # The data tests of a scheduled run check the days the model's last run rebuilt.
    run_dbt(["test", "--select", "fct_traffic_daily"], vars=dbt_vars, duckdb_path=database)
    tests_folder = (database.with_suffix(".target") / "compiled" / "vpc_flow_logs" / "models"
                    / "marts" / "network" / "_network__models.yml")
    [not_null] = tests_folder.glob("not_null_fct_traffic_daily_account_id*.sql")
    match = re.search(r"where event_date in \((.*)\)\) dbt_subquery", not_null.read_text())
    assert match and {date.fromisoformat(day) for day in re.findall(
        r"'(\d{4}-\d{2}-\d{2})'", match.group(1))} == event_days_of(late_into_old_folder)
    assert late_into_old_folder[0].parent.name == f"{FIRST:%d}"
    assert event_days_of(late_into_old_folder) <= {FIRST, FIRST + timedelta(days=1)}

    delivered = snapshot(database)
    run_dbt(["run"], vars=dbt_vars, duckdb_path=database)
    assert snapshot(database) == delivered, "a run without new objects changes nothing"
    for model in ("int_flows_enriched", "fct_traffic_daily", "fct_bytes_per_ip"):
        assert compiled_days(database, model) == set(), model

    assert_equals_full_refresh(delivered, dbt_vars, tmp_path / "reference.duckdb")


def test_a_rebuilt_window_replaces_days_whose_result_becomes_empty(tmp_path: Path) -> None:
    """Raising the port scan thresholds so that nothing qualifies and rebuilding a
    window removes that window's old scans (and only those); rebuilding every day,
    and days without data beyond, equals a full refresh with the new thresholds."""
    root = tmp_path / "logs"
    generate(root, start_date=FIRST, days=DAYS, records=6000, seed=5)
    database = tmp_path / "window.duckdb"
    # Low thresholds: some sources qualify on every day.
    dbt_vars = {"flow_logs_root": str(root), "port_scan_min_distinct_ports": 3,
                "port_scan_min_distinct_addrs": 3}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["run"], vars=dbt_vars, duckdb_path=database)
    scans_sql = "select event_date, count(*) from main_marts.fct_port_scans group by 1 order by 1"
    before = dict(query(database, scans_sql))
    window_start, window_end = FIRST + timedelta(days=1), FIRST + timedelta(days=3)
    assert any(window_start <= day < window_end for day in before), before
    assert any(not window_start <= day < window_end for day in before), before

    strict = {**dbt_vars, "port_scan_min_distinct_ports": 10**6,
              "port_scan_min_distinct_addrs": 10**6}
    run_dbt(["run", "--select", "fct_port_scans"], duckdb_path=database, vars={
        **strict, "backfill_start_date": str(window_start), "backfill_end_date": str(window_end)})
    assert dict(query(database, scans_sql)) == {
        day: count for day, count in before.items() if not window_start <= day < window_end}

    everything = {**strict, "backfill_start_date": str(FIRST - timedelta(days=2)),
                  "backfill_end_date": str(FIRST + timedelta(days=DAYS + 5))}
    run_dbt(["run"], vars=everything, duckdb_path=database)
    assert query(database, "select count(*) from main_marts.fct_port_scans") == [(0,)]
    assert_equals_full_refresh(snapshot(database), strict, tmp_path / "reference.duckdb")
