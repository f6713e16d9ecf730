"""Input as real buckets and real users give it, written by hand here (not by the generator).

- A `-` ("no value", as AWS writes it) in any field staging accepts goes through every
  model of the DAG: `dbt build` stays green and the record is counted where it belongs.
- AWS's documented stateless-NACL example (ICMP) is found.
- Absurd `start`/`end` values are quarantined with a reason; the run goes on.
Expected values come from plain Python over the same lines (reference.py, expected_marts.py).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import ipaddress
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.python import expected_marts as expected
from tests.python.dbt_runner import REPO, query, run_dbt
from tests.python.reference import ALL_FIELDS, read_records

ACCOUNT = "111122223333"
REGION = "us-east-1"
START = 1718006400  # 2024-06-10T08:00:00Z
# One valid record carrying every field of versions 2 to 8: an inbound SSH attempt,
# REJECTed, so that it reaches every security mart.
BASELINE = {
    "version": "8", "account-id": ACCOUNT, "interface-id": "eni-0a1b2c3d4e5f60718",
    "srcaddr": "198.51.100.7", "dstaddr": "10.0.0.5", "srcport": "50000", "dstport": "22",
    "protocol": "6", "packets": "3", "bytes": "180", "start": str(START),
    "end": str(START + 20), "action": "REJECT", "log-status": "OK",
    "vpc-id": "vpc-0a1b2c3d4e5f60718", "subnet-id": "subnet-0a1b2c3d4e5f60718",
    "instance-id": "i-0a1b2c3d4e5f60718", "tcp-flags": "2", "type": "IPv4",
    "pkt-srcaddr": "198.51.100.7", "pkt-dstaddr": "10.0.0.5", "region": REGION,
    "az-id": "use1-az1", "sublocation-type": "wavelength", "sublocation-id": "wl-bos-wlz-1",
    "pkt-src-aws-service": "AMAZON", "pkt-dst-aws-service": "EC2", "flow-direction": "ingress",
    "traffic-path": "1",
    "ecs-cluster-arn": "arn:aws:ecs:us-east-1:111122223333:cluster/web",
    "ecs-cluster-name": "web",
    "ecs-container-instance-arn": "arn:aws:ecs:us-east-1:111122223333:container-instance/web/1",
    "ecs-container-instance-id": "0a1b2c3d", "ecs-container-id": "c0ffee01",
    "ecs-second-container-id": "c0ffee02", "ecs-service-name": "api",
    "ecs-task-definition-arn": "arn:aws:ecs:us-east-1:111122223333:task-definition/api:3",
    "ecs-task-arn": "arn:aws:ecs:us-east-1:111122223333:task/web/0a1b2c3d",
    "ecs-task-id": "0a1b2c3d", "reject-reason": "BPA",
}
# AWS's documented example of a stateless network ACL: a ping ACCEPTed inbound, its
# reply REJECTed outbound (VPC User Guide, "Flow log record examples").
NACL_ICMP_EXAMPLE = [
    "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 "
    "1432917027 1432917142 ACCEPT OK",
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 "
    "1432917094 1432917142 REJECT OK",
]
V2 = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes " \
     "start end action log-status"


def key(account: str, day: str, minute: str, name: str) -> str:
    return (f"AWSLogs/{account}/vpcflowlogs/{REGION}/{day}/{account}_vpcflowlogs_{REGION}_"
            f"fl-0123456789abcdef0_{day.replace('/', '')}T{minute}Z_{name}.log.gz")


def write(root: Path, relative: str, lines: list[str]) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    return path


def no_value_variants() -> dict[str, str]:
    """The baseline record, and one copy per field with `-` in that field."""
    variants = {"(none)": " ".join(BASELINE[name] for name in ALL_FIELDS)}
    for field in ALL_FIELDS:
        variants[field] = " ".join("-" if name == field else BASELINE[name]
                                   for name in ALL_FIELDS)
    return variants


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("real_input")
    root = base / "logs"
    variants = no_value_variants()
    write(root, key(ACCOUNT, "2024/06/10", "0810", "nodash00"),
          [" ".join(ALL_FIELDS), *variants.values()])
    write(root, key("123456789010", "2015/05/29", "1640", "naclicmp"), [V2, *NACL_ICMP_EXAMPLE])
    database = base / "real.duckdb"
    dbt_vars = {"flow_logs_root": str(root), "flow_log_fields": " ".join(ALL_FIELDS)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    # Unit tests are left out: some expect the default `flow_log_fields`.
    result = run_dbt(["build", "--exclude", "test_type:unit"], vars=dbt_vars,
                     duckdb_path=database, check=False)
    return {"root": root, "database": database, "variants": variants, "result": result}


def rows(database: Path, sql: str) -> set[tuple]:
    def plain(value):
        return int(value) if isinstance(value, Decimal) else value
    return {tuple(plain(v) for v in row) for row in query(database, sql)}


def test_a_dash_in_any_field_builds_green(build: dict) -> None:
    result = build["result"]
    assert result.returncode == 0, result.stdout[-6000:]
    assert "ERROR=0" in result.stdout


def test_every_dash_record_is_staged_except_a_missing_start(build: dict) -> None:
    staged = Counter(line for (line,) in query(build["database"], """
        select raw_line from main_staging.stg_vpc_flow_logs__malformed"""))
    assert staged == Counter({build["variants"]["start"]: 1})
    reasons = query(build["database"],
                    "select reason from main_staging.stg_vpc_flow_logs__malformed")
    assert reasons == [("missing_start",)]
    # 42 lines: the baseline and 41 variants; only the one without `start` is not staged.
    assert query(build["database"], """
        select count(*) from main_staging.stg_vpc_flow_logs
        where source_file like '%nodash00%'""") == [(len(ALL_FIELDS),)]
    assert query(build["database"], """
        select count(*) from main_intermediate.int_flows_enriched
        where event_date = date '2024-06-10'""") == [(len(ALL_FIELDS),)]


MARTS = {
    "rejects_by_source": """
        select event_date, account_id, srcaddr, rejected_flows, rejected_packets, rejected_bytes,
               distinct_dst_addrs, distinct_dst_ports, first_seen_at, last_seen_at
        from main_marts.fct_rejects_by_source""",
    "bytes_per_ip": """
        select event_date, account_id, ip, bytes_sent, bytes_received, total_bytes,
               packets_sent, packets_received, flows_as_source, flows_as_destination
        from main_marts.fct_bytes_per_ip""",
    "ssh_rdp_activity": """
        select event_date, account_id, interface_id, srcaddr, dstaddr, service_port, is_response,
               action, service, flows, packets, bytes, first_seen_at, last_seen_at,
               is_trusted_source
        from main_marts.fct_ssh_rdp_activity""",
    "https_by_destination": """
        select event_date, account_id, dstaddr, flows, packets, bytes, distinct_sources
        from main_marts.fct_https_traffic_by_destination""",
    "metric_alarms": """
        select filter_name, period_start, account_id, matched_records, threshold, in_alarm
        from main_marts.fct_metric_alarms""",
    "port_scans": """
        select window_start, account_id, srcaddr, distinct_dst_ports, distinct_dst_addrs, flows,
               rejected_flows, scan_type
        from main_marts.fct_port_scans""",
    "flow_log_coverage": """
        select event_date, account_id, interface_id, ok_records, nodata_records,
               skipdata_records, total_records
        from main_marts.fct_flow_log_coverage""",
    "nacl_asymmetric_flows": """
        select event_date, account_id, interface_id, client_addr, server_addr, protocol,
               server_port, distinct_server_ports, connections, accepted_request_flows,
               rejected_response_flows
        from main_marts.fct_nacl_asymmetric_flows""",
    "traffic_daily": """
        select event_date, account_id, region, interface_id, action, protocol, flow_direction,
               flows, packets, bytes
        from main_marts.fct_traffic_daily""",
}


@pytest.mark.parametrize("mart", sorted(MARTS))
def test_every_mart_counts_the_dash_records_where_they_belong(build: dict, mart: str) -> None:
    flows = expected.Flows(build["root"])
    assert rows(build["database"], MARTS[mart]) == getattr(expected, mart)(flows)


def test_dash_keys_are_counted_under_dash(build: dict) -> None:
    """Spot checks written out by hand: where a key is `-`, the mart says `-`."""
    day = date(2024, 6, 10)
    db = build["database"]
    n = len(ALL_FIELDS)
    # Every record but the one without start is a flow record (log-status `-` counts as
    # a flow record, as a format without log-status does); interface `-` has its own row.
    assert query(db, f"""
        select interface_id, sum(flows) from main_marts.fct_traffic_daily
        where event_date = date '{day}' group by interface_id order by interface_id""") == [
        ("-", 1), (BASELINE["interface-id"], n - 1)]
    # REJECTs: every record except the one whose action is `-`; srcaddr `-` has its own row.
    assert query(db, f"""
        select srcaddr, rejected_flows from main_marts.fct_rejects_by_source
        where event_date = date '{day}' order by srcaddr""") == [
        ("-", 1), (BASELINE["srcaddr"], n - 2)]
    # SSH: not the records without protocol or dstport (then not SSH); action `-` kept.
    assert query(db, f"""
        select action, sum(flows) from main_marts.fct_ssh_rdp_activity
        where event_date = date '{day}' group by action order by action""") == [
        ("-", 1), ("REJECT", n - 3)]
    assert query(db, f"""
        select interface_id, total_records from main_marts.fct_flow_log_coverage
        where event_date = date '{day}' order by interface_id""") == [
        ("-", 1), (BASELINE["interface-id"], n - 1)]


def test_aws_icmp_nacl_example_is_found(build: dict) -> None:
    assert query(build["database"], """
        select event_date, account_id, interface_id, client_addr, server_addr, protocol,
               server_port, connections, accepted_request_flows, rejected_response_flows
        from main_marts.fct_nacl_asymmetric_flows""") == [
        (date(2015, 5, 29), "123456789010", "eni-1235b8ca123456789", "203.0.113.12",
         "172.31.16.139", 1, 0, 1, 1, 1)]


def test_absurd_times_are_quarantined_not_fatal(tmp_path: Path) -> None:
    """`end` = 1e16 once failed the whole DuckDB run (INT64 overflow); Trino's timestamps
    end near 2.25e12 s. Both bounds are relative to the delivery day."""
    day = "2024/06/10"
    midnight = 1717977600
    line = "2 111122223333 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 443 50000 6 3 300 {} {} " \
           "ACCEPT OK"
    times = [
        (midnight, 10_000_000_000_000_000),               # end absurd
        (10_000_000_000_000_000, 10_000_000_000_000_000),  # start absurd
        (midnight, 2_250_000_000_000),                     # end past Trino's range
        (midnight, midnight + 2 * 86400 - 1),              # last valid second
        (midnight, midnight + 2 * 86400),                  # first invalid second
        (midnight + 2 * 86400 - 1, midnight + 2 * 86400 - 1),
    ]
    root = tmp_path / "logs"
    write(root, key(ACCOUNT, day, "0010", "absurd00"),
          [V2, *(line.format(start, end) for start, end in times)])
    # Expected, computed here from the rule: start in [2000-01-01, delivery day + 2 days),
    # end < delivery day + 2 days, end >= start.
    bound = midnight + 2 * 86400
    expected_reasons = []
    for start, end in times:
        if end < start:
            expected_reasons.append("end_before_start")
        elif not 946684800 <= start < bound:
            expected_reasons.append("start_out_of_range")
        elif end >= bound:
            expected_reasons.append("end_out_of_range")
        else:
            expected_reasons.append(None)
    assert expected_reasons == [r.reason for r in read_records(root)]
    database = tmp_path / "absurd.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    assert Counter(r for (r,) in query(database, """
        select reason from main_staging.stg_vpc_flow_logs__malformed""")) == Counter(
        r for r in expected_reasons if r)
    assert query(database, """
        select cast(end_time as varchar) from main_staging.stg_vpc_flow_logs
        order by end_time""") == [("2024-06-11 23:59:59",), ("2024-06-11 23:59:59",)]


TRUSTED_CIDRS = [
    "10.0.0.0/8", "172.16.0.0/12", "0.0.0.0/0", "192.0.2.7/32", "2001:db8:1000::/48", "::/0",
    "fd00::/8", "2001:db8::1/128", "10.0.0.0/08",
    # Rows Trino's contains() rejects or DuckDB would silently mask or misread:
    "10.0.0.1/8", "10.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "010.0.0.0/8",
    "2001:db8::1/48", "2001:db8:::/48", "2001:db8::/129", "hello/8", "10.0.0.0/-1", "10.0.0.0/",
    "gggg::/16", "192.168.1.128/25", "192.168.1.129/25",
]


def python_verdict(cidr: str) -> str | None:
    """None when the value is a network written exactly (Python's strict parser), plus
    the project's rule that the prefix length is explicit and IPv6 is written in hex."""
    try:
        network = ipaddress.ip_network(cidr, strict=True)
    except ValueError:
        try:
            network = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return "invalid"
        return f"host bits: {network}"
    if "/" not in cidr or (":" in cidr and "." in cidr):
        return "invalid"
    return None


def test_trusted_cidrs_are_validated_alike_on_both_engines(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(
        ".venv", ".git", "target", "logs", "sample_data", "dbt_packages", "*.duckdb"))
    with open(project / "seeds" / "trusted_cidrs.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["cidr", "description"])
        writer.writerows([cidr, f"row {n}"] for n, cidr in enumerate(TRUSTED_CIDRS))
    database = tmp_path / "cidrs.duckdb"
    args = ["--project-dir", str(project)]
    run_dbt(["seed", "--select", "trusted_cidrs", *args], duckdb_path=database)
    result = run_dbt(["test", "--select", "trusted_cidrs", *args], duckdb_path=database,
                     check=False)
    assert result.returncode == 1
    reported = dict(re.findall(r"trusted_cidrs\.cidr '([^']*)': ([^\n\x1b]*)", result.stdout))
    expected_bad = {c: v for c in TRUSTED_CIDRS if (v := python_verdict(c)) is not None}
    assert set(reported) == set(expected_bad)
    for cidr, verdict in expected_bad.items():
        if verdict.startswith("host bits"):
            meant = reported[cidr].rsplit(" ", 1)[1]
            assert ipaddress.ip_network(meant) == ipaddress.ip_network(cidr, strict=False)
    assert reported["10.0.0.0"].startswith("missing prefix length")
    assert reported["10.0.0.1/8"] == "host bits set beyond /8: the network is 10.0.0.0/8"


def no_credentials_env(tmp_path: Path) -> dict[str, str]:
    """A user's shell with no AWS credentials anywhere (and no instance role)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update({"HOME": str(tmp_path), "AWS_CONFIG_FILE": str(tmp_path / "none"),
                "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
                "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
                "AWS_DEFAULT_REGION": "us-east-1", "DBT_PROFILES_DIR": str(REPO)})
    return env


@pytest.mark.parametrize("command", [
    ["-m", "vpc_flow_logs.report", "--target", "athena", "--output", "{tmp}/report.html"],
    ["-m", "vpc_flow_logs.backfill_partitions", "--location", "s3://flow-logs-bucket/prefix",
     "--database", "vpc_flow_logs", "--table", "raw_flow_logs_classic", "--start",
     "2024-06-01", "--end", "2024-06-02", "--accounts", "111122223333", "--regions",
     "us-east-1"],
    ["-m", "vpc_flow_logs.backfill_models", "--start", "2024-06-01", "--end", "2024-06-01",
     "--target", "athena", "--state-file", "{tmp}/state.json"],
], ids=["report", "backfill_partitions", "backfill_models"])
def test_athena_without_credentials_says_so_in_one_line(tmp_path: Path,
                                                        command: list[str]) -> None:
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    process = subprocess.run([sys.executable, *args], cwd=REPO, env=no_credentials_env(tmp_path),
                             capture_output=True, text=True, timeout=300, check=False)
    assert process.returncode == 2, process.stderr[-3000:]
    assert process.stderr.splitlines() == [
        "error: No AWS credentials found: set AWS_PROFILE, run `aws sso login`, export "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container "
        "role applies."]


def v2_line(account: str = ACCOUNT, start: int = 1717977600 + 60) -> str:
    return (f"2 {account} eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 443 50000 6 3 300 "
            f"{start} {start + 30} ACCEPT OK")


def test_a_mistyped_root_fails_the_run_naming_the_path(tmp_path: Path) -> None:
    typo = tmp_path / "lgos"  # the user meant logs/
    database = tmp_path / "typo.duckdb"
    result = run_dbt(["build"], vars={"flow_logs_root": str(typo)}, duckdb_path=database,
                     check=False)
    assert result.returncode != 0
    assert f"No flow log object found under {typo}/AWSLogs/" in result.stdout
    assert "allow_empty_run" in result.stdout
    # Allowed on purpose: the build is green, and the summary and report say "no data".
    dbt_vars = {"flow_logs_root": str(typo), "allow_empty_run": True}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    manifest = database.with_suffix(".target") / "manifest.json"
    summary = subprocess.run(
        [sys.executable, "-m", "vpc_flow_logs.summary", "--database", str(database),
         "--manifest", str(manifest)],
        capture_output=True, text=True, check=True).stdout
    assert summary.startswith("NO DATA: this database holds no flow log record")
    assert "(none)" not in summary and summary.count("(no data)") >= 8
    report = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "vpc_flow_logs.report", "--database", str(database),
                    "--manifest", str(manifest), "--output", str(report)],
                   capture_output=True, text=True, check=True)
    html = report.read_text(encoding="utf-8")
    assert "No findings" not in html and "NO DATA" in html


def test_objects_with_no_line_fail_the_run_too(tmp_path: Path) -> None:
    """Objects found, but not one line in them (header-only files): no data either."""
    root = tmp_path / "logs"
    write(root, key(ACCOUNT, "2024/06/10", "0010", "onlyhead"), [V2])
    result = run_dbt(["build"], vars={"flow_logs_root": str(root)},
                     duckdb_path=tmp_path / "head.duckdb", check=False)
    assert result.returncode != 0
    assert f"No flow log line (other than headers) was read from {root}/AWSLogs/" in result.stdout


def test_a_database_refuses_another_root(tmp_path: Path) -> None:
    first, second = tmp_path / "demo", tmp_path / "mine"
    write(first, key(ACCOUNT, "2024/06/10", "0010", "first000"), [V2, v2_line(), v2_line()])
    second_lines = [v2_line("444455556666", 1717891200 + 60 * n) for n in range(3)]
    write(second, key("444455556666", "2024/06/09", "0010", "second00"), [V2, *second_lines])
    database = tmp_path / "one.duckdb"
    run_dbt(["seed"], vars={"flow_logs_root": str(first)}, duckdb_path=database)
    run_dbt(["build"], vars={"flow_logs_root": str(first)}, duckdb_path=database)
    result = run_dbt(["build"], vars={"flow_logs_root": str(second)}, duckdb_path=database,
                     check=False)
    assert result.returncode != 0
    assert (f"was built from flow_logs_root '{first}', not '{second}'") in result.stdout
    assert "--full-refresh" in result.stdout and "DBT_DUCKDB_PATH" in result.stdout
    run_dbt(["build", "--full-refresh"], vars={"flow_logs_root": str(second)},
            duckdb_path=database)
    assert query(database, """
        select account_id, count(*) from main_staging.stg_vpc_flow_logs
        group by account_id""") == [("444455556666", len(second_lines))]
    assert query(database, """
        select min(event_date) from main_marts.fct_traffic_daily""") == [(date(2024, 6, 9),)]
    # The same root again is an ordinary incremental run.
    run_dbt(["build"], vars={"flow_logs_root": str(second)}, duckdb_path=database)


def test_every_object_not_read_is_named_with_its_reason(tmp_path: Path) -> None:
    root = tmp_path / "logs"
    day = "AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/06/10"
    good = write(root, key(ACCOUNT, "2024/06/10", "0010", "good0000"), [V2, v2_line()])
    misplaced = {
        f"{day}/222233334444_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20240610T0010Z_acct.log.gz":
            "folder account 111122223333 and file name account 222233334444 disagree",
        f"{day}/111122223333_vpcflowlogs_eu-west-1_fl-0123456789abcdef0_20240610T0010Z_regn.log.gz":
            "folder region us-east-1 and file name region eu-west-1 disagree",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2024/06/10/trail.json.gz":
            "under AWSLogs/111122223333/CloudTrail/: another AWS service's logs",
        f"{day}/111122223333_vpcflowlogs_us-east-1_flowlog.txt":
            "file name does not follow <account>_vpcflowlogs_<region>_",
    }
    for relative in misplaced:
        write(root, relative, [V2, v2_line()])
    database = tmp_path / "named.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    output = run_dbt(["build"], vars=dbt_vars, duckdb_path=database).stdout
    inventory = dict(query(database, "select path, reason from main.raw_flow_logs__files"
                                     " where status = 'not_flow_log'"))
    assert set(inventory) == {str(root / relative) for relative in misplaced}
    for relative, reason in misplaced.items():
        path = str(root / relative)
        assert inventory[path].startswith(reason), path
        assert f"not read, not_flow_log: {path} ({reason}" in output
    assert str(good) not in output.split("Raw flow log files under")[1].split("\n\x1b")[0]


def hadoop_lines(data: bytes) -> list[bytes]:
    """Hadoop's LineRecordReader, byte by byte: a line ends at \\n, at \\r\\n, or at a
    lone \\r; a last line without terminator counts; no empty line after the last one."""
    lines, current, index = [], bytearray(), 0
    while index < len(data):
        byte = data[index:index + 1]
        if byte == b"\n" or byte == b"\r":
            lines.append(bytes(current))
            current = bytearray()
            if data[index:index + 2] == b"\r\n":
                index += 1
        else:
            current += byte
        index += 1
    if current:
        lines.append(bytes(current))
    return lines


def test_lines_and_text_are_what_athena_reads(tmp_path: Path) -> None:
    """Lone CR, mixed line ends, UTF-8 and invalid UTF-8 (a byte 0x80-0x9F once aborted
    DuckDB's whole read): lines split as Hadoop splits them, raw_line decoded as UTF-8
    with U+FFFD, line_length in bytes of that text; every file reconciles."""
    record = v2_line().encode()
    bad_interface = v2_line().replace("eni-0a1b2c3d4e5f60718", "eni-caf\u00e9\u20ac").encode()
    objects = {
        "lonecr00": V2.encode() + b"\n" + record + b"\r" + record + b"\n" + record + b"\r\n"
                    + record + b"\r\r" + record,
        "onlycr00": V2.encode() + b"\r" + record + b"\r" + record + b"\r",
        "utf8text": V2.encode() + b"\n" + bad_interface + b"\n" + record + b"\n",
        "badutf80": V2.encode() + b"\n" + record.replace(b"ACCEPT", b"ACC\xffPT") + b"\n"
                    + record + b"\xe2\x82\n" + b"\x80\x9f\n" + record + b"\n",
    }
    root = tmp_path / "logs"
    paths = {}
    for name, data in objects.items():
        path = root / key(ACCOUNT, "2024/06/10", "0010", name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(data, mtime=0))
        paths[name] = str(path)
    database = tmp_path / "text.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    for name, data in objects.items():
        lines = [line.decode("utf-8", errors="replace") for line in hadoop_lines(data)]
        expected = sorted((line, len(line.encode())) for line in lines[1:])
        rows = query(database, f"""
            select coalesce(raw_line, '<staged>'), line_length
            from main_staging.base_vpc_flow_logs__lines
            where source_file = '{paths[name]}' and not is_header""")
        staged_text = v2_line()
        assert sorted(rows) == sorted(
            ("<staged>" if text == staged_text else text, size) for text, size in expected), name
        assert query(database, f"""
            select lines_read, bytes_read, bytes_accounted, is_reconciled
            from main_marts.fct_file_reconciliation where source_file = '{paths[name]}'""") == [
            (len(lines), sum(len(line.encode()) for line in lines),
             sum(len(line.encode()) for line in lines), True)], name
    # Spot checks written out: the lone-CR file holds 5 records and one empty line.
    assert [line.decode() for line in hadoop_lines(objects["lonecr00"])][1:] == [
        v2_line()] * 4 + ["", v2_line()]
    assert query(database, f"""
        select raw_line from main_staging.stg_vpc_flow_logs__malformed
        where source_file = '{paths['utf8text']}'""") == [(bad_interface.decode(),)]


def strip_ansi(text: str) -> str:
    """dbt's console output without colour codes, its long lines unwrapped."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_a_backfill_window_without_records_fails_the_run(tmp_path: Path) -> None:
    """A forced window whose delivery days hold no record, while other days hold some,
    stops the run naming the root and the window; its previous lines stay."""
    root = tmp_path / "logs"
    days = {"2024/06/10": 1717977600, "2024/06/12": 1718150400}
    written = 0
    for day, midnight in days.items():
        lines = [v2_line(start=midnight + 60 * n) for n in range(3)]
        write(root, key(ACCOUNT, day, "0010", day.replace("/", "")), [V2, *lines])
        written += len(lines)
    database = tmp_path / "window.duckdb"
    select = ["--select", "base_vpc_flow_logs__lines"]
    run_dbt(["run", *select], vars={"flow_logs_root": str(root)}, duckdb_path=database)
    lines_sql = """select delivery_date, count(*) from main_staging.base_vpc_flow_logs__lines
                   where not is_header group by 1 order by 1"""
    before = query(database, lines_sql)
    assert before == [(date(2024, 6, 10), 3), (date(2024, 6, 12), 3)]

    empty_window = {"flow_logs_root": str(root), "backfill_start_date": "2024-06-11",
                    "backfill_end_date": "2024-06-12"}
    result = run_dbt(["run", *select], vars=empty_window, duckdb_path=database, check=False)
    output = strip_ansi(result.stdout)
    assert result.returncode != 0
    assert (f"The backfill window 2024-06-11 .. 2024-06-12 (delivery days, end exclusive) "
            f"holds no flow log record under {root}/AWSLogs/, while the table holds "
            f"{written} lines of other delivery days (last: 2024-06-12)") in output
    assert "allow_empty_run: true" in output
    assert query(database, lines_sql) == before

    # A window over a day that does hold records rebuilds it; the var allows the empty one.
    run_dbt(["run", *select], vars={**empty_window, "backfill_start_date": "2024-06-10"},
            duckdb_path=database)
    allowed = run_dbt(["run", *select], vars={**empty_window, "allow_empty_run": True},
                      duckdb_path=database)
    assert "The backfill window 2024-06-11 .. 2024-06-12" in strip_ansi(allowed.stdout)
    assert query(database, lines_sql) == before

    # The objects of a parsed day removed from the root: a backfill of that day fails and
    # keeps its lines; allowed on purpose, it empties the day.
    (root / key(ACCOUNT, "2024/06/12", "0010", "20240612")).unlink()
    gone = {**empty_window, "backfill_start_date": "2024-06-12",
            "backfill_end_date": "2024-06-13"}
    result = run_dbt(["run", *select], vars=gone, duckdb_path=database, check=False)
    assert result.returncode != 0
    assert (f"The backfill window 2024-06-12 .. 2024-06-13 (delivery days, end exclusive) "
            f"holds no flow log record under {root}/AWSLogs/, while the table holds 3 lines "
            f"of other delivery days (last: 2024-06-10)") in strip_ansi(result.stdout)
    assert query(database, lines_sql) == before
    run_dbt(["run", *select], vars={**gone, "allow_empty_run": True}, duckdb_path=database)
    assert query(database, lines_sql) == [(date(2024, 6, 10), 3)]


def test_a_run_without_new_objects_warns_and_a_stale_feed_fails(tmp_path: Path) -> None:
    """A scheduled run that parses no new object is normal between deliveries: it warns,
    naming the root and the last delivery day seen. Once the previous new object was
    parsed more than stale_feed_error_after_hours before, the run fails."""
    root = tmp_path / "logs"
    write(root, key(ACCOUNT, "2024/06/10", "0010", "first000"), [V2, v2_line()])
    write(root, key(ACCOUNT, "2024/06/11", "0010", "second00"),
          [V2, v2_line(start=1718064000 + 60)])
    database = tmp_path / "stale.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    first = run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    assert "No new flow log object" not in first.stdout
    # The summary says what the data covers: an old last day is not a quiet one.
    summary = subprocess.run(
        [sys.executable, "-m", "vpc_flow_logs.summary", "--database", str(database),
         "--manifest", str(database.with_suffix(".target") / "manifest.json")],
        capture_output=True, text=True, check=True).stdout
    assert summary.startswith(
        "Data: event days 2024-06-10 to 2024-06-11 (UTC), last delivery day 2024-06-11\n")

    quiet = strip_ansi(run_dbt(["build"], vars=dbt_vars, duckdb_path=database).stdout)
    assert (f"No new flow log object under {root}/AWSLogs/ since the previous run (last "
            f"delivery day seen 2024-06-11, last new object parsed ") in quiet
    assert "the run fails once this lasts more than stale_feed_error_after_hours (26.0) hours" \
        in quiet

    # The objects were parsed 30 hours before this run: the feed is stale.
    with duckdb.connect(str(database)) as connection:
        connection.execute("update main_staging.base_vpc_flow_logs__lines "
                           "set parsed_at = parsed_at - interval 30 hour")
    stale = run_dbt(["build"], vars=dbt_vars, duckdb_path=database, check=False)
    output = strip_ansi(stale.stdout)
    assert stale.returncode != 0
    assert (f"No new flow log object under {root}/AWSLogs/ for more than 26.0 hours (last "
            f"delivery day seen 2024-06-11, last new object parsed ") in output
    hours = float(re.search(r"UTC, ([0-9.]+) hours before this run", output).group(1))
    assert 30 <= hours < 31
    assert "stale_feed_error_after_hours" in output and "allow_empty_run: true" in output
    # A longer threshold, or the explicit var, lets the run through (with the warning).
    for relaxed in ({"stale_feed_error_after_hours": 48}, {"allow_empty_run": True}):
        passed = run_dbt(["run", "--select", "base_vpc_flow_logs__lines"],
                         vars={**dbt_vars, **relaxed}, duckdb_path=database)
        assert "No new flow log object under" in strip_ansi(passed.stdout)
    # A new object: an ordinary run again.
    write(root, key(ACCOUNT, "2024/06/12", "0010", "third000"),
          [V2, v2_line(start=1718150400 + 60)])
    fresh = run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    assert "No new flow log object" not in fresh.stdout


def test_findings_carry_the_region_their_records_come_from(tmp_path: Path) -> None:
    """Port scans, metric alarms and SKIPDATA findings name the region of their records
    (from the object key: the v2 format has no region field), NULL when the records of
    one finding span two regions; the finding ids do not depend on the region."""
    hour = 1717999200  # 2024-06-10T06:00:00Z
    a, b = "111122223333", "444455556666"
    # (account, region, interface, srcaddr, dstport, action, log-status, start)
    records = [
        # a vertical scan (3 ports) from one region
        *[(a, "us-east-1", "eni-0aaaaaaaaaaaaaaa1", "203.0.113.5", port, "REJECT", "OK",
           hour + 60 * n) for n, port in enumerate((2000, 2001, 2002))],
        # a scan whose attempts reach two regions in the same window
        (a, "us-east-1", "eni-0aaaaaaaaaaaaaaa1", "203.0.113.9", 3000, "REJECT", "OK", hour + 300),
        (a, "us-east-1", "eni-0aaaaaaaaaaaaaaa1", "203.0.113.9", 3001, "REJECT", "OK", hour + 360),
        (a, "eu-west-1", "eni-0bbbbbbbbbbbbbbb2", "203.0.113.9", 3002, "REJECT", "OK", hour + 420),
        # rejected SSH: account a only in us-east-1, account b in both regions
        (a, "us-east-1", "eni-0aaaaaaaaaaaaaaa1", "198.51.100.1", 22, "REJECT", "OK", hour + 600),
        (b, "us-east-1", "eni-0ccccccccccccccc3", "198.51.100.2", 22, "REJECT", "OK", hour + 600),
        (b, "eu-west-1", "eni-0ddddddddddddddd4", "198.51.100.2", 22, "REJECT", "OK", hour + 900),
        # SKIPDATA of an interface in eu-west-1
        (a, "eu-west-1", "eni-0bbbbbbbbbbbbbbb2", None, None, None, "SKIPDATA", hour + 1200),
    ]
    root = tmp_path / "logs"
    objects: dict[tuple[str, str], list[str]] = {}
    for account, region, eni, src, port, action, status, start in records:
        fields = [account, eni, src or "-", "10.0.0.5" if src else "-", "40000" if src else "-",
                  str(port) if port else "-", "6" if src else "-", "1" if src else "-",
                  "40" if src else "-", str(start), str(start + 30), action or "-", status]
        objects.setdefault((account, region), []).append("2 " + " ".join(fields))
    for (account, region), lines in objects.items():
        write(root, f"AWSLogs/{account}/vpcflowlogs/{region}/2024/06/10/{account}_vpcflowlogs_"
                    f"{region}_fl-0123456789abcdef0_20240610T0620Z_{region[:2]}{account[:6]}.log.gz",
              [V2, *lines])
    database = tmp_path / "regions.duckdb"
    dbt_vars = {"flow_logs_root": str(root), "port_scan_min_distinct_ports": 3,
                "port_scan_min_distinct_addrs": 3}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["run"], vars=dbt_vars, duckdb_path=database)

    def one(regions: set[str]) -> str | None:
        return regions.pop() if len(regions) == 1 else None

    def finding_id(detection: str, *key: object) -> str:
        text = "|".join(str(part) for part in key)
        return hashlib.md5(f"{detection}|{text}".encode(), usedforsecurity=False).hexdigest()

    expected = {}
    scans: dict[tuple, list[tuple]] = {}
    for record in records:
        account, _, _, src, port, _, _, start = record
        if src and port != 22:
            scans.setdefault((account, src, start - start % 3600), []).append(record)
    for (account, src, window), rows in scans.items():
        assert len({row[4] for row in rows}) >= 3
        expected[finding_id("port_scan", account, src, window)] = (
            "port_scan", account, one({row[1] for row in rows}))
    ssh: dict[str, set[str]] = {}
    for account, region, _, _, port, action, _, _ in records:
        if port == 22 and action == "REJECT":
            ssh.setdefault(account, set()).add(region)
    for account, regions in ssh.items():
        expected[finding_id("metric_alarm", "2024-06-10", account, "dest-port-22-rejects")] = (
            "metric_alarm", account, one(regions))
    for account, region, eni, *_, status, _ in records:
        if status == "SKIPDATA":
            expected[finding_id("skipdata", "2024-06-10", account, eni)] = (
                "skipdata", account, region)
    assert sorted(v[2] or "-" for v in expected.values()) == [
        "-", "-", "eu-west-1", "us-east-1", "us-east-1"]
    found = query(database, """
        select finding_id, detection_id, account_id, region
        from main_marts.fct_security_findings
        where detection_id in ('port_scan', 'metric_alarm', 'skipdata')""")
    assert {row[0]: row[1:] for row in found} == expected
