"""Staging on DuckDB equals an independent plain-Python reading of the same files."""

from __future__ import annotations

from collections import Counter

from tests.python.conftest import Build
from tests.python.dbt_runner import query
from tests.python.reference import read_records, start_time


def test_every_line_is_staged_or_quarantined_exactly_once(sample_build: Build) -> None:
    expected = Counter(
        (r.source_file, r.reason) for r in read_records(sample_build.root)
    )
    staged = query(
        sample_build.database,
        "select source_file, count(*) from main_staging.stg_vpc_flow_logs group by 1",
    )
    malformed = query(
        sample_build.database,
        "select source_file, reason, count(*) "
        "from main_staging.stg_vpc_flow_logs__malformed group by 1, 2",
    )
    actual = Counter()
    for source_file, count in staged:
        actual[(source_file, None)] += count
    for source_file, reason, count in malformed:
        actual[(source_file, reason)] += count
    assert actual == expected


def test_staged_values_match_the_files(sample_build: Build) -> None:
    columns = ["version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport",
               "dstport", "protocol", "packets", "bytes", "action", "log_status"]
    expected = Counter()
    for record in read_records(sample_build.root):
        if record.reason is None:
            expected[(*(record.get(c) for c in columns), start_time(record))] += 1
    rows = query(
        sample_build.database,
        f"select {', '.join(columns)}, start_time from main_staging.stg_vpc_flow_logs",
    )
    assert Counter(rows) == expected


def test_malformed_lines_keep_the_raw_text(sample_build: Build) -> None:
    expected = Counter(
        (r.line, r.reason) for r in read_records(sample_build.root) if r.reason is not None
    )
    rows = query(
        sample_build.database,
        "select raw_line, reason from main_staging.stg_vpc_flow_logs__malformed",
    )
    assert expected, "the sample data plants malformed lines"
    assert Counter(rows) == expected


def test_every_field_of_versions_2_to_8_in_the_hourly_layout(tmp_path) -> None:
    """A custom format with all fields, delivered in hourly folders, staged exactly."""
    from tests.python.dbt_runner import run_dbt
    from tests.python.reference import column_name
    from vpc_flow_logs.generate_sample_logs import ALL_FIELDS, generate

    root = tmp_path / "logs"
    generate(root, days=2, records=3000, seed=3, fields="all", hourly=True)
    assert list(root.glob("AWSLogs/*/vpcflowlogs/*/2024/06/01/[0-2][0-9]/*.log.gz"))
    database = tmp_path / "all.duckdb"
    dbt_vars = {"flow_logs_root": str(root), "flow_logs_layout": "hourly",
                "flow_log_fields": " ".join(ALL_FIELDS)}
    run_dbt(["run", "--select", "+stg_vpc_flow_logs"], vars=dbt_vars, duckdb_path=database)
    columns = [column_name(name) for name in ALL_FIELDS]
    expected = Counter()
    for record in read_records(root):
        assert record.reason is None or record.reason == "field_count_mismatch" or \
            record.reason.startswith("invalid_")
        if record.reason is None:
            hour = record.source_file.split("/")[-2]
            expected[(hour, *(record.get(c) for c in columns))] += 1
    rows = query(database, f"select hour_partition, {', '.join(columns)}, header_matches_config "
                           "from main_staging.stg_vpc_flow_logs")
    assert all(row[-1] for row in rows)
    assert Counter(row[:-1] for row in rows) == expected
