"""Detections on hand-written scenarios: each finding equals a plain-Python reading.

Every detection gets a positive scenario and a benign one just under its threshold
(with the shipped settings of the seed `detections`). The expected findings are
computed below from the records written, by plain Python, not by the SQL under
test; finding ids are MD5 of `detection_id|grain` and must survive a rerun and a
backfill.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import ipaddress
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.python.dbt_runner import REPO, query, run_dbt

ACCOUNT = "111122223333"
REGION = "us-east-1"
ENI = "eni-0a1b2c3d4e5f60718"
HEADER = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
          "bytes start end action log-status")
DAY0 = date(2024, 6, 10)
HISTORY_DAYS = 7
PRIVATE = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
    "169.254.0.0/16", "fc00::/7", "fe80::/10")]
INTEL = [("203.0.113.128/25", "test-feed")]
FINDINGS_SQL = """
    select finding_id, detection_id, severity, mitre_technique_id, srcaddr, dstaddr,
           dstport, flows, bytes, evidence
    from main_marts.fct_security_findings
"""


@dataclass(frozen=True)
class Rec:
    src: str | None
    dst: str | None
    sport: int | None
    dport: int | None
    proto: int | None
    packets: int | None
    nbytes: int | None
    start: int
    action: str | None
    status: str = "OK"
    eni: str = ENI

    def line(self) -> str:
        def text(value: object) -> str:
            return "-" if value is None else str(value)
        return " ".join(text(v) for v in (
            2, ACCOUNT, self.eni, self.src, self.dst, self.sport, self.dport, self.proto,
            self.packets, self.nbytes, self.start, self.start + 20, self.action, self.status))

    @property
    def day(self) -> date:
        return datetime.fromtimestamp(self.start, UTC).date()


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> int:
    return int(datetime(day.year, day.month, day.day, hour, minute, second,
                        tzinfo=UTC).timestamp())


def scenario_records() -> list[Rec]:
    records: list[Rec] = []
    add = records.append
    # Brute force (threshold 20 distinct source ports per hour, max_packets 3).
    for n in range(20):  # positive: 20 rejected SSH attempts in one hour
        add(Rec("198.51.100.10", "10.0.0.10", 40000 + n, 22, 6, 2, 120, at(DAY0, 10, n),
                "REJECT"))
    for n in range(19):  # benign: 19 attempts, each recorded twice (two interfaces) ...
        for eni in (ENI, "eni-0ffffffffffffffff"):
            add(Rec("198.51.100.11", "10.0.0.10", 41000 + n, 22, 6, 1, 60,
                    at(DAY0, 10, n, 30), "REJECT", eni=eni))
    add(Rec("198.51.100.11", "10.0.0.10", 41500, 22, 6, 2, 120, at(DAY0, 11, 0),
            "REJECT"))  # ... and the 20th in the next hour
    for n in range(20):  # success: 20 attempts, then a long ACCEPTed RDP session
        add(Rec("198.51.100.12", "10.0.0.11", 42000 + n, 3389, 6, 3 if n % 2 else 1, 150,
                at(DAY0, 12, n), "ACCEPT" if n % 2 else "REJECT"))
    add(Rec("198.51.100.12", "10.0.0.11", 42100, 3389, 6, 400, 90000, at(DAY0, 12, 40),
            "ACCEPT"))
    # Not a success: the long session came before the first attempt.
    add(Rec("198.51.100.13", "10.0.0.11", 43100, 3389, 6, 400, 90000, at(DAY0, 13, 0),
            "ACCEPT"))
    for n in range(20):
        add(Rec("198.51.100.13", "10.0.0.11", 43000 + n, 3389, 6, 2, 100, at(DAY0, 13, 5 + n),
                "REJECT"))
    # Exposure: a public source ACCEPTed on PostgreSQL; benign: the trusted office on
    # SSH, a REJECTed MySQL attempt, a server's response from 5432.
    add(Rec("203.0.113.5", "10.0.0.20", 50000, 5432, 6, 10, 900, at(DAY0, 8), "ACCEPT"))
    add(Rec("10.0.0.20", "203.0.113.5", 5432, 50000, 6, 10, 900, at(DAY0, 8), "ACCEPT"))
    add(Rec("192.0.2.50", "10.0.0.20", 50001, 22, 6, 30, 5000, at(DAY0, 8), "ACCEPT"))
    add(Rec("203.0.113.6", "10.0.0.20", 50002, 3306, 6, 1, 60, at(DAY0, 8), "REJECT"))
    # Port scan (vars: 100 distinct ports per hour): 100 ports positive, 99 benign.
    for port in range(1, 101):
        add(Rec("198.51.100.66", "10.0.0.50", 61000, port, 6, 1, 44, at(DAY0, 2, port % 60),
                "REJECT"))
    for port in range(1, 100):
        add(Rec("198.51.100.67", "10.0.0.50", 61000, port, 6, 1, 44, at(DAY0, 3, port % 60),
                "REJECT"))
    # Egress (baseline 7 days, k = 3, floor 100 MB): two hosts send 500 MB at 09:00 on
    # each history day; on day 0 at 09:00 the 7 windows are in the baseline: threshold
    # 20,833,333 + 3 x 99,913,150 = 320,572,783 bytes.
    for offset in range(HISTORY_DAYS, 0, -1):
        day = DAY0 - timedelta(days=offset)
        for host in ("10.0.1.11", "10.0.1.12"):
            add(Rec(host, "198.18.0.1", 51000, 443, 6, 400000, 500_000_000, at(day, 9),
                    "ACCEPT"))
    add(Rec("10.0.1.11", "198.18.0.1", 51001, 443, 6, 300000, 321_000_000, at(DAY0, 9),
            "ACCEPT"))  # positive: just over its baseline
    add(Rec("10.0.1.12", "198.18.0.1", 51001, 443, 6, 300000, 320_000_000, at(DAY0, 9),
            "ACCEPT"))  # benign: above the floor, just under its baseline
    add(Rec("10.0.1.13", "198.18.0.1", 51002, 443, 6, 70000, 100_000_001, at(DAY0, 16),
            "ACCEPT"))  # cold start, just over the floor
    add(Rec("10.0.1.14", "198.18.0.1", 51003, 443, 6, 70000, 99_999_999, at(DAY0, 16),
            "ACCEPT"))  # cold start, just under the floor
    add(Rec("10.0.1.15", "10.0.2.15", 51004, 443, 6, 70000, 900_000_000, at(DAY0, 16),
            "ACCEPT"))  # internal traffic is not egress
    # Unusual protocols: GRE positive; ICMPv6 and ESP with NODATA status benign.
    add(Rec("10.0.0.30", "10.0.0.31", None, None, 47, 5, 500, at(DAY0, 6), "ACCEPT"))
    add(Rec("fd00::30", "fd00::31", None, None, 58, 5, 500, at(DAY0, 6), "ACCEPT"))
    # Threat intel (203.0.113.128/25 loaded by the test): .200 inside, .127 just outside.
    add(Rec("10.0.0.40", "203.0.113.200", 52000, 443, 6, 5, 500, at(DAY0, 7), "ACCEPT"))
    add(Rec("10.0.0.41", "203.0.113.127", 52001, 443, 6, 5, 500, at(DAY0, 7), "ACCEPT"))
    # SKIPDATA (informational) and NODATA (nothing).
    add(Rec(None, None, None, None, None, None, None, at(DAY0, 5), None, "SKIPDATA",
            eni="eni-0aaaaaaaaaaaaaaaa"))
    add(Rec(None, None, None, None, None, None, None, at(DAY0, 5), None, "NODATA",
            eni="eni-0bbbbbbbbbbbbbbbb"))
    return records


def write_logs(root: Path, records: list[Rec]) -> None:
    by_day: dict[date, list[str]] = defaultdict(list)
    for record in records:
        by_day[record.day].append(record.line())
    for day, lines in by_day.items():
        name = (f"{ACCOUNT}_vpcflowlogs_{REGION}_fl-0123456789abcdef0_{day:%Y%m%d}T0000Z_"
                f"{day:%m%d}abcd.log.gz")
        path = root / f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/{day:%Y/%m/%d}/{name}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(("\n".join([HEADER, *lines]) + "\n").encode(), mtime=0))


# ------------------------------------------------------------------ plain-Python reference


def seed(name: str) -> list[dict[str, str]]:
    with (REPO / "seeds" / f"{name}.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip.version == net.version and ip in net for net in PRIVATE)


def in_any(address: str | None, networks: list[str]) -> bool:
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip.version == net.version and ip in net
               for net in map(ipaddress.ip_network, networks))


def finding_id(detection_id: str, *key: object) -> str:
    text = "|".join("-" if part is None else str(part) for part in key)
    # An id, not a secret: MD5 as the models compute it.
    return hashlib.md5(f"{detection_id}|{text}".encode(), usedforsecurity=False).hexdigest()


def expected_findings(records: list[Rec], intel: list[str]) -> dict[str, tuple]:
    """finding_id -> (detection_id, srcaddr, dstaddr, dstport, flows, bytes)."""
    settings = {row["detection_id"]: row for row in seed("detections")}
    ports = {(int(r["port"]), int(r["protocol"])): r for r in seed("well_known_ports")}
    trusted = [row["cidr"] for row in seed("trusted_cidrs")]
    flows = [r for r in records if r.status == "OK"]
    found: dict[str, tuple] = {}

    def likely_response(r: Rec) -> bool:
        if r.sport is None or r.dport is None:
            return False
        return ((r.sport, r.proto) in ports or r.sport < 1024) and r.dport >= 1024

    # port_scan (vars port_scan_*: 60 minutes, 100 ports, 50 addresses)
    scans: dict[tuple, list[Rec]] = defaultdict(list)
    for r in flows:
        if not likely_response(r) and r.src is not None:
            scans[(r.src, r.start - r.start % 3600)].append(r)
    for (src, window), rs in scans.items():
        if len({r.dport for r in rs}) >= 100 or len({r.dst for r in rs}) >= 50:
            found[finding_id("port_scan", ACCOUNT, src, window)] = (
                "port_scan", src, None, None, len(rs), None)

    # ssh_rdp_brute_force(_success)
    brute = settings["ssh_rdp_brute_force"]
    minutes, threshold, max_packets = (int(brute[k]) for k in
                                       ("window_minutes", "threshold", "max_packets"))
    groups: dict[tuple, list[Rec]] = defaultdict(list)
    for r in flows:
        if r.proto == 6 and r.dport in (22, 3389):
            groups[(r.src, r.dst, r.dport, r.start - r.start % (minutes * 60))].append(r)
    for (src, dst, port, window), rs in groups.items():
        attempts = [r for r in rs if r.action == "REJECT" or r.packets <= max_packets]
        if len({r.sport for r in attempts}) < threshold:
            continue
        first = min(r.start for r in attempts)
        success = any(r.action == "ACCEPT" and r not in attempts and r.start > first
                      for r in rs)
        detection = "ssh_rdp_brute_force_success" if success else "ssh_rdp_brute_force"
        found[finding_id(detection, ACCOUNT, src, dst, port, window)] = (
            detection, src, dst, port, len(rs), sum(r.nbytes for r in rs))

    # exposed_admin_port / exposed_database_port
    exposed: dict[tuple, list[Rec]] = defaultdict(list)
    for r in flows:
        port = ports.get((r.dport, r.proto))
        if (r.action == "ACCEPT" and port and port["category"] in ("admin", "database")
                and not is_private(r.src) and not in_any(r.src, trusted)
                and not likely_response(r)):
            exposed[(f"exposed_{port['category']}_port", r.day, r.src, r.dst, r.dport,
                     r.proto)].append(r)
    for (detection, day, src, dst, port, proto), rs in exposed.items():
        if len(rs) >= int(settings[detection]["threshold"]):
            found[finding_id(detection, day, ACCOUNT, src, dst, port, proto)] = (
                detection, src, dst, port, len(rs), sum(r.nbytes for r in rs))

    # egress_volume_anomaly
    egress = settings["egress_volume_anomaly"]
    minutes, days = int(egress["window_minutes"]), int(egress["baseline_days"])
    k, floor = float(egress["stddev_factor"]), int(egress["floor_bytes"])
    windows: dict[tuple, list[Rec]] = defaultdict(list)
    for r in flows:
        if r.action == "ACCEPT" and is_private(r.src) and not is_private(r.dst):
            windows[(r.src, r.start - r.start % (minutes * 60))].append(r)
    count = days * 1440 / minutes
    for (src, window), rs in windows.items():
        history = [sum(x.nbytes for x in hs) for (s, w), hs in windows.items()
                   if s == src and window - days * 86400 <= w < window]
        mean = sum(history) / count
        variance = max(sum(h * h for h in history) / count - mean * mean, 0.0)
        total = sum(r.nbytes for r in rs)
        if total > max(mean + k * variance ** 0.5, floor):
            found[finding_id("egress_volume_anomaly", ACCOUNT, src, window)] = (
                "egress_volume_anomaly", src, None, None, len(rs), total)

    # unusual_ip_protocol
    unusual: dict[tuple, list[Rec]] = defaultdict(list)
    for r in flows:
        if r.proto is not None and r.proto not in (1, 6, 17, 58):
            unusual[(r.day, r.src, r.dst, r.proto)].append(r)
    for (day, src, dst, proto), rs in unusual.items():
        found[finding_id("unusual_ip_protocol", day, ACCOUNT, src, dst, proto)] = (
            "unusual_ip_protocol", src, dst, None, len(rs), sum(r.nbytes for r in rs))

    # threat_intel_match
    listed: dict[tuple, list[Rec]] = defaultdict(list)
    for r in flows:
        if in_any(r.src, intel) or in_any(r.dst, intel):
            listed[(r.day, r.src, r.dst)].append(r)
    for (day, src, dst), rs in listed.items():
        found[finding_id("threat_intel_match", day, ACCOUNT, src, dst)] = (
            "threat_intel_match", src, dst, None, len(rs), sum(r.nbytes for r in rs))

    # metric_alarm: filters of the seed metric_filters, per day
    comparisons = {">=": int.__ge__, ">": int.__gt__, "<=": int.__le__, "<": int.__lt__,
                   "=": int.__eq__}
    for f in seed("metric_filters"):
        conditions = {name: f[name] for name in ("dstport", "srcport", "protocol", "action",
                                                 "log_status") if f[name]}
        periods: dict[int, list[Rec]] = defaultdict(list)
        for r in records:
            values = {"dstport": str(r.dport), "srcport": str(r.sport),
                      "protocol": str(r.proto), "action": r.action, "log_status": r.status}
            if all(values[name] == value for name, value in conditions.items()):
                seconds = int(f["period_minutes"]) * 60
                periods[r.start - r.start % seconds].append(r)
        alarm_days: dict[date, int] = defaultdict(int)
        for period, rs in periods.items():
            if comparisons[f["comparison"]](len(rs), int(f["threshold"])):
                alarm_days[datetime.fromtimestamp(period, UTC).date()] += len(rs)
        for day, matched in alarm_days.items():
            found[finding_id("metric_alarm", day, ACCOUNT, f["filter_name"])] = (
                "metric_alarm", None, None, None, matched, None)

    # skipdata
    skipped: dict[tuple, int] = defaultdict(int)
    for r in records:
        if r.status == "SKIPDATA":
            skipped[(r.day, r.eni)] += 1
    for (day, eni), n in skipped.items():
        found[finding_id("skipdata", day, ACCOUNT, eni)] = ("skipdata", None, None, None, n,
                                                             None)
    return {key: value for key, value in found.items()
            if settings[value[0]]["enabled"] == "true"}


# ------------------------------------------------------------------------------- the build


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("detections")
    records = scenario_records()
    write_logs(base / "logs", records)
    database = base / "detections.duckdb"
    dbt_vars = {"flow_logs_root": str(base / "logs")}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["build", "--exclude", "test_type:unit"], vars=dbt_vars, duckdb_path=database)
    first = findings(database)
    run_dbt(["run"], vars=dbt_vars, duckdb_path=database)
    rerun = findings(database)
    backfill_vars = {**dbt_vars, "backfill_start_date": str(DAY0),
                     "backfill_end_date": str(DAY0 + timedelta(days=1))}
    run_dbt(["run"], vars=backfill_vars, duckdb_path=database)
    backfill = findings(database)
    # Threat intel: load one feed range into the seed's table, rebuild its detection.
    with duckdb.connect(str(database)) as connection:
        connection.executemany("insert into main_reference.threat_intel_cidrs values (?, ?, ?)",
                               [(cidr, source, "test") for cidr, source in INTEL])
    run_dbt(["run", "--full-refresh", "-s", "fct_detection_threat_intel_matches+"],
            vars=dbt_vars, duckdb_path=database)
    return {"records": records, "first": first, "rerun": rerun, "backfill": backfill,
            "with_intel": findings(database)}


def findings(database: Path) -> dict[str, tuple]:
    return {row[0]: row[1:] for row in query(database, FINDINGS_SQL)}


def comparable(found: dict[str, tuple]) -> dict[str, tuple]:
    """finding_id -> (detection_id, srcaddr, dstaddr, dstport, flows, bytes)."""
    return {key: (row[0], row[3], row[4], row[5], row[6],
                  None if row[7] is None else int(row[7]))
            for key, row in found.items()}


def test_findings_equal_the_plain_python_reading(build: dict) -> None:
    assert comparable(build["first"]) == expected_findings(build["records"], [])


def test_threat_intel_findings_once_the_feed_has_ranges(build: dict) -> None:
    expected = expected_findings(build["records"], [cidr for cidr, _ in INTEL])
    assert comparable(build["with_intel"]) == expected
    intel = {v[1:3] for v in expected.values() if v[0] == "threat_intel_match"}
    assert intel == {("10.0.0.40", "203.0.113.200")}  # .127 is just outside the /25


def test_each_scenario_is_found_and_each_benign_case_is_not(build: dict) -> None:
    """The scenarios' intent, by hand: positives present, near-threshold cases absent."""
    seen = {(row[0], row[3], row[4]) for row in build["first"].values()}
    by_source = {(row[0], row[3]) for row in build["first"].values()}
    assert ("ssh_rdp_brute_force", "198.51.100.10", "10.0.0.10") in seen
    assert not any(src == "198.51.100.11" for _, src in by_source)
    assert ("ssh_rdp_brute_force_success", "198.51.100.12", "10.0.0.11") in seen
    assert ("ssh_rdp_brute_force", "198.51.100.13", "10.0.0.11") in seen
    assert ("exposed_database_port", "203.0.113.5", "10.0.0.20") in seen
    assert not any(src in ("192.0.2.50", "203.0.113.6", "10.0.0.20") and d.startswith("exp")
                   for d, src in by_source)
    assert ("port_scan", "198.51.100.66") in by_source
    assert ("port_scan", "198.51.100.67") not in by_source
    egress = {(row[3], row[7]) for row in build["first"].values()
              if row[0] == "egress_volume_anomaly"}
    assert {("10.0.1.11", Decimal(321_000_000)), ("10.0.1.13", Decimal(100_000_001))} <= egress
    assert ("10.0.1.12", Decimal(320_000_000)) not in egress
    assert not {src for src, _ in egress} & {"10.0.1.14", "10.0.1.15"}
    assert ("unusual_ip_protocol", "10.0.0.30", "10.0.0.31") in seen
    assert not any(d == "unusual_ip_protocol" and src == "fd00::30" for d, src in by_source)
    assert sum(1 for row in build["first"].values() if row[0] == "skipdata") == 1
    assert not any(row[0] == "threat_intel_match" for row in build["first"].values())


def test_every_finding_has_severity_technique_and_evidence(build: dict) -> None:
    settings = {row["detection_id"]: row for row in seed("detections")}
    for detection_id, severity, technique, *_rest, evidence in build["first"].values():
        assert severity == settings[detection_id]["severity"]
        assert technique == (settings[detection_id]["mitre_technique_id"] or None)
        assert evidence and evidence.endswith(".")
    assert {row[0] for row in build["first"].values()} == {
        "port_scan", "ssh_rdp_brute_force", "ssh_rdp_brute_force_success",
        "exposed_admin_port", "exposed_database_port", "egress_volume_anomaly",
        "unusual_ip_protocol", "metric_alarm", "skipdata"}


def test_finding_ids_survive_a_rerun_and_a_backfill(build: dict) -> None:
    assert build["rerun"] == build["first"]
    assert build["backfill"] == build["first"]
