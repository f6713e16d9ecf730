"""Every S3 delivery option AWS offers gives the same marts (DuckDB).

The same records, written here by hand, are delivered four ways: text in the default
layout (daily folders), Parquet under Hive-compatible hourly prefixes, text under
Hive-compatible daily prefixes, and one root mixing the three with Parquet in default
hourly folders. Every mart table must be identical across the four builds, equal to
plain-Python computations from the records (expected_marts.py over the text files),
and every object must reconcile: its lines (for Parquet, a synthetic header and one
line per row) staged or quarantined. Two Parquet edge cases ride along in every
delivery: NULL in a field (`-` in text) and a column AWS may add later.
"""

from __future__ import annotations

import gzip
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.python import expected_marts as expected
from tests.python.dbt_runner import hashable, query, run_dbt

ACCOUNT = "111122223333"
REGION = "us-east-1"
V2 = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
      "bytes start end action log-status").split()
# AWS's Parquet types of the v2 fields (VPC User Guide, "Available fields").
PARQUET_TYPES = {"version": "INTEGER", "srcport": "INTEGER", "dstport": "INTEGER",
                 "protocol": "INTEGER", "packets": "BIGINT", "bytes": "BIGINT",
                 "start": "BIGINT", "end": "BIGINT"}
FUTURE = "future-field"
DAY1 = int(datetime(2024, 6, 10, tzinfo=UTC).timestamp())
DAY2 = DAY1 + 86400
ENI_WEB, ENI_DB, ENI_APP = "eni-0a0000000000000a1", "eni-0b0000000000000b2", \
    "eni-0c0000000000000c3"


def rec(start: int | None, src: str | None, dst: str | None, sport: int | None,
        dport: int | None, proto: int | None = 6, packets: int | None = 3,
        nbytes: int | None = 300, action: str | None = "ACCEPT", status: str = "OK",
        eni: str = ENI_WEB, duration: int = 30) -> dict[str, object]:
    return {"version": 2, "account-id": ACCOUNT, "interface-id": eni, "srcaddr": src,
            "dstaddr": dst, "srcport": sport, "dstport": dport, "protocol": proto,
            "packets": packets, "bytes": nbytes, "start": start,
            "end": None if start is None else start + duration, "action": action,
            "log-status": status}


def objects() -> list[tuple[int, int, list[dict[str, object]], bool]]:
    """(delivery day start, hour, records, has the future column) per object."""
    h = 3600
    ssh = [rec(DAY1 + 8 * h + 60 * i, "198.51.100.7", "10.0.0.5", 50000 + i, 22,
               action="REJECT", eni=ENI_WEB) for i in range(6)]
    rdp = [rec(DAY1 + 9 * h, "10.0.0.9", "10.0.0.5", 49200, 3389, eni=ENI_WEB),
           rec(DAY1 + 9 * h + 5, "10.0.0.5", "10.0.0.9", 3389, 49200, eni=ENI_WEB)]
    https = [rec(DAY1 + 9 * h + 120 * i, f"10.0.0.{20 + i}", "10.0.1.10", 40000 + i, 443,
                 packets=10 + i, nbytes=5000 * (i + 1), eni=ENI_APP) for i in range(5)]
    # A request accepted, its response rejected (a stateless NACL), and a big transfer.
    nacl = [rec(DAY1 + 10 * h, "10.0.0.7", "10.0.2.2", 50500, 443, eni=ENI_DB),
            rec(DAY1 + 10 * h + 1, "10.0.2.2", "10.0.0.7", 443, 50500, action="REJECT",
                eni=ENI_DB),
            rec(DAY1 + 10 * h + 60, "10.0.0.7", "203.0.113.99", 51000, 443,
                packets=2_000_000, nbytes=3_000_000_000, eni=ENI_DB)]
    quiet = [rec(DAY1 + 11 * h, None, None, None, None, None, None, None, None, "NODATA",
                 eni=ENI_DB),
             rec(DAY1 + 11 * h, None, None, None, None, None, None, None, None, "SKIPDATA",
                 eni=ENI_APP)]
    # A vertical scan: one source, 120 ports of one address within the hour.
    scan = [rec(DAY2 + 3 * h + 10 * i, "203.0.113.50", "10.0.0.5", 61000, 1000 + i,
                packets=1, nbytes=60, action="REJECT", eni=ENI_WEB) for i in range(120)]
    # Edge cases: a NULL address (staged, NULL) and a NULL start (quarantined).
    edge = [rec(DAY2 + 4 * h, None, "10.0.0.5", 123, 123, 17, eni=ENI_APP),
            rec(None, "10.0.0.8", "10.0.0.5", 40000, 80, eni=ENI_APP),
            rec(DAY2 + 4 * h + 30, "10.0.0.8", "10.0.0.5", 40001, 80, eni=ENI_APP)]
    return [(DAY1, 8, ssh, False), (DAY1, 9, rdp + https[:2], False),
            (DAY1, 9, https[2:], False), (DAY1, 10, nacl + quiet, False),
            (DAY2, 3, scan[:60], False), (DAY2, 3, scan[60:], False), (DAY2, 4, edge, True)]


@dataclass(frozen=True)
class Delivery:
    file_format: str  # text | parquet
    hive: bool
    hourly: bool


TEXT_DEFAULT_DAILY = Delivery("text", hive=False, hourly=False)
PARQUET_HIVE_HOURLY = Delivery("parquet", hive=True, hourly=True)
TEXT_HIVE_DAILY = Delivery("text", hive=True, hourly=False)
PARQUET_DEFAULT_HOURLY = Delivery("parquet", hive=False, hourly=True)
MIX = (TEXT_DEFAULT_DAILY, PARQUET_HIVE_HOURLY, TEXT_HIVE_DAILY, PARQUET_DEFAULT_HOURLY)


def object_key(delivery: Delivery, day: int, hour: int, number: int) -> str:
    when = datetime.fromtimestamp(day, UTC)
    y, m, d, hh = f"{when:%Y}", f"{when:%m}", f"{when:%d}", f"{hour:02d}"
    if delivery.hive:
        folder = (f"AWSLogs/aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/aws-region={REGION}/"
                  f"year={y}/month={m}/day={d}/" + (f"hour={hh}/" if delivery.hourly else ""))
    else:
        folder = f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/{y}/{m}/{d}/" + \
            (f"{hh}/" if delivery.hourly else "")
    suffix = "log.parquet" if delivery.file_format == "parquet" else "log.gz"
    return (folder + f"{ACCOUNT}_vpcflowlogs_{REGION}_fl-0123456789abcdef0_"
            f"{y}{m}{d}T{hh}{number:02d}Z_{number:08x}.{suffix}")


def text_line(record: dict[str, object], fields: list[str]) -> str:
    return " ".join("-" if record.get(name) is None else str(record[name]) for name in fields)


def write_object(path: Path, delivery: Delivery, records: list[dict[str, object]],
                 future: bool) -> None:
    fields = V2 + ([FUTURE] if future else [])
    rows = [{**record, FUTURE: "later"} if future else record for record in records]
    path.parent.mkdir(parents=True, exist_ok=True)
    if delivery.file_format == "text":
        text = "\n".join([" ".join(fields)] + [text_line(row, fields) for row in rows]) + "\n"
        path.write_bytes(gzip.compress(text.encode(), mtime=0))
        return
    # Parquet as AWS writes it: columns named after the fields with `_`, AWS's types.
    columns = [name.replace("-", "_") for name in fields]
    with duckdb.connect() as connection:
        connection.execute("create table t (" + ", ".join(
            f'"{column}" {PARQUET_TYPES.get(name, "VARCHAR")}'
            for name, column in zip(fields, columns, strict=True)) + ")")
        connection.executemany(
            "insert into t values (" + ", ".join("?" for _ in fields) + ")",
            [[row.get(name) for name in fields] for row in rows])
        connection.execute(f"copy t to '{path}' (format parquet, compression gzip)")


def deliver(root: Path, choose) -> tuple[dict[str, int], dict[str, str | None]]:
    """Write every object under root, the delivery of object i chosen by choose(i);
    returns each object's expected line count (its records and one header) and hour
    partition (None in daily folders)."""
    lines, hours = {}, {}
    for number, (day, hour, records, future) in enumerate(objects()):
        delivery = choose(number)
        path = root / object_key(delivery, day, hour, number)
        write_object(path, delivery, records, future)
        lines[str(path)] = len(records) + 1
        hours[str(path)] = f"{hour:02d}" if delivery.hourly else None
    return lines, hours


ROOTS = {
    "text_default_daily": lambda i: TEXT_DEFAULT_DAILY,
    "parquet_hive_hourly": lambda i: PARQUET_HIVE_HOURLY,
    "text_hive_daily": lambda i: TEXT_HIVE_DAILY,
    "mix": lambda i: MIX[i % len(MIX)],
}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    result = {}
    for name, choose in ROOTS.items():
        base = tmp_path_factory.mktemp(name)
        root = base / "logs"
        lines, hours = deliver(root, choose)
        database = base / "build.duckdb"
        dbt_vars = {"flow_logs_root": str(root)}
        run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
        run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
        result[name] = {"root": root, "database": database, "lines": lines, "hours": hours}
    return result


def mart_tables(database: Path) -> dict[str, Counter]:
    """Every mart's rows as a multiset (nested values made hashable), except the
    per-file reconciliation, whose rows name the objects."""
    with duckdb.connect(str(database), read_only=True) as connection:
        names = [row[0] for row in connection.sql(
            "select table_name from information_schema.tables "
            "where table_schema = 'main_marts' order by 1").fetchall()]
        return {name: Counter(map(hashable, connection.sql(
                    f'select * from main_marts."{name}"').fetchall()))
                for name in names if name != "fct_file_reconciliation"}


def test_every_delivery_gives_the_same_marts(builds: dict) -> None:
    reference = mart_tables(builds["text_default_daily"]["database"])
    assert len(reference) >= 10
    assert sum(len(rows) for rows in reference.values()) > 0
    for name in ("parquet_hive_hourly", "text_hive_daily", "mix"):
        tables = mart_tables(builds[name]["database"])
        assert tables.keys() == reference.keys(), name
        for table, rows in reference.items():
            assert tables[table] == rows, (name, table)


def plain(rows: list[tuple]) -> set[tuple]:
    return {tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in rows}


@pytest.mark.parametrize("name", list(ROOTS))
def test_marts_equal_the_plain_python_reading(builds: dict, name: str) -> None:
    flows = expected.Flows(builds["text_default_daily"]["root"])
    database = builds[name]["database"]
    assert plain(query(database, """
        select event_date, account_id, srcaddr, rejected_flows, rejected_packets, rejected_bytes,
               distinct_dst_addrs, distinct_dst_ports, first_seen_at, last_seen_at
        from main_marts.fct_rejects_by_source""")) == expected.rejects_by_source(flows)
    assert plain(query(database, """
        select event_date, account_id, ip, bytes_sent, bytes_received, total_bytes,
               packets_sent, packets_received, flows_as_source, flows_as_destination
        from main_marts.fct_bytes_per_ip""")) == expected.bytes_per_ip(flows)
    assert plain(query(database, """
        select window_start, account_id, srcaddr, distinct_dst_ports, distinct_dst_addrs, flows,
               rejected_flows, scan_type
        from main_marts.fct_port_scans""")) == expected.port_scans(flows)
    assert plain(query(database, """
        select event_date, account_id, interface_id, ok_records, nodata_records,
               skipdata_records, total_records
        from main_marts.fct_flow_log_coverage""")) == expected.flow_log_coverage(flows)
    assert plain(query(database, """
        select event_date, account_id, region, interface_id, action, protocol, flow_direction,
               flows, packets, bytes
        from main_marts.fct_traffic_daily""")) == expected.traffic_daily(flows)
    # The records hold what the marts need: the scan, the NACL pair, the big transfer.
    assert any(row[7] == "vertical" for row in expected.port_scans(flows))
    assert expected.nacl_asymmetric_flows(flows)


@pytest.mark.parametrize("name", list(ROOTS))
def test_every_object_reconciles_and_every_line_is_accounted_for(builds: dict,
                                                                 name: str) -> None:
    build = builds[name]
    files = {row[0]: row[1:] for row in query(build["database"], """
        select source_file, status, lines_read, lines_accounted, header_lines, staged_records,
               malformed_lines, is_reconciled
        from main_marts.fct_file_reconciliation""")}
    assert set(files) == set(build["lines"])
    records = [record for _, _, rows, _ in objects() for record in rows]
    missing_start = sum(record["start"] is None for record in records)
    for path, lines in build["lines"].items():
        status, read, accounted, headers, staged, malformed, reconciled = files[path]
        assert (status, read, accounted, headers, reconciled) == ("ok", lines, lines, 1, True)
        assert staged + malformed == lines - 1, path
    assert sum(row[4] for row in files.values()) == len(records) - missing_start
    assert sum(row[5] for row in files.values()) == missing_start == 1
    assert query(build["database"], """
        select reason, count(*) from main_staging.stg_vpc_flow_logs__malformed
        group by reason""") == [("missing_start", 1)]


@pytest.mark.parametrize("name", list(ROOTS))
def test_inventory_reads_format_and_layout_from_each_key(builds: dict, name: str) -> None:
    rows = query(builds[name]["database"], """
        select path, file_format, key_layout from main.raw_flow_logs__files""")
    assert len(rows) == len(objects())
    for path, file_format, key_layout in rows:
        assert file_format == ("parquet" if path.endswith(".log.parquet") else "text")
        assert key_layout == ("hive" if "/aws-account-id=" in path else "default")
    hours = query(builds[name]["database"], """
        select distinct source_file, hour_partition from main_staging.base_vpc_flow_logs__lines""")
    assert dict(hours) == builds[name]["hours"]


def test_parquet_nulls_and_future_columns_are_read_like_text(builds: dict) -> None:
    """A NULL in a Parquet field is AWS's `-`: a NULL address is staged as NULL, a NULL
    start quarantined as missing_start; a column the project does not know is kept in
    `unknown_fields` under its field name, as a text header's unknown field is."""
    expected_rows = {
        (None, 123, datetime(2024, 6, 11, 4, 0), "later"),
        ("10.0.0.8", 80, datetime(2024, 6, 11, 4, 0, 30), "later"),
    }
    for name in ROOTS:
        assert set(query(builds[name]["database"], """
            select srcaddr, dstport, start_time, unknown_fields['future-field']
            from main_staging.stg_vpc_flow_logs
            where interface_id = 'eni-0c0000000000000c3' and event_date = date '2024-06-11'
            """)) == expected_rows, name
    parquet = builds["parquet_hive_hourly"]["database"]
    assert query(parquet, """
        select fields from main.raw_flow_logs__files where fields like '%future-field'""") == [
        (" ".join(V2 + [FUTURE]),)]


def test_a_parquet_object_delivered_later_is_parsed_once(builds: dict) -> None:
    """The scheduled run after a new Parquet object lands (here in the mixed root, in a
    day folder parsed before): its lines are appended once, the objects parsed before
    are not read again, and every object still reconciles. Runs last: it adds to the
    mixed root."""
    build = builds["mix"]
    late = [rec(DAY2 + 5 * 3600 + 10 * i, "198.51.100.20", "10.0.0.5", 40000 + i, 443,
                eni=ENI_APP) for i in range(4)]
    path = build["root"] / object_key(PARQUET_HIVE_HOURLY, DAY2, 5, 40)
    write_object(path, PARQUET_HIVE_HOURLY, late, future=False)
    before = dict(query(build["database"], """
        select source_file, count(*) from main_staging.base_vpc_flow_logs__lines group by 1"""))
    run_dbt(["build"], vars={"flow_logs_root": str(build["root"])},
            duckdb_path=build["database"])
    after = dict(query(build["database"], """
        select source_file, count(*) from main_staging.base_vpc_flow_logs__lines group by 1"""))
    assert after == {**before, str(path): len(late) + 1}
    assert query(build["database"], """
        select count(*), count(*) filter (where is_reconciled)
        from main_marts.fct_file_reconciliation""") == [(len(objects()) + 1,) * 2]
    assert query(build["database"], """
        select count(*) from main_staging.stg_vpc_flow_logs where srcaddr = '198.51.100.20'
        """) == [(len(late),)]
