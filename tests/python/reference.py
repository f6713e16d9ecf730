"""An independent, plain-Python reading of flow log files, for tests.

It implements the documented contract (the staging models' YAML, the
`malformed_reason` docs block and DECISIONS.md) from scratch: no SQL, nothing
shared with the dbt models. Tests compare whole tables built by dbt with what this
module computes from the same files.
"""

from __future__ import annotations

import gzip
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

FIELDS_INT = {
    "version": (2, 255),
    "srcport": (0, 65535),
    "dstport": (0, 65535),
    "protocol": (0, 255),
    "tcp-flags": (0, 255),
    "traffic-path": (1, 255),
}
FIELDS_COUNTER = {"packets", "bytes", "start", "end", "packets-lost-no-route",
                  "packets-lost-blackhole", "packets-lost-mtu-exceeded",
                  "packets-lost-ttl-expired"}
FIELDS_ACCOUNT = {"account-id", "tgw-src-vpc-account-id", "tgw-dst-vpc-account-id"}
FIELDS_IP = {"srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"}
FIELDS_ENUM = {
    "action": {"ACCEPT", "REJECT"},
    "log-status": {"OK", "NODATA", "SKIPDATA"},
    "type": {"IPv4", "IPv6", "EFA"},
    "flow-direction": {"ingress", "egress"},
}
ALL_FIELDS = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr "
    "pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service "
    "pkt-dst-aws-service flow-direction traffic-path ecs-cluster-arn ecs-cluster-name "
    "ecs-container-instance-arn ecs-container-instance-id ecs-container-id "
    "ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn "
    "ecs-task-id reject-reason"
).split()
# Transit Gateway flow logs only (version 6), AWS's Transit Gateway field table.
TGW_FIELDS = (
    "resource-type tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id "
    "tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni "
    "tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id packets-lost-no-route "
    "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired"
).split()
KNOWN_FIELDS = ALL_FIELDS + TGW_FIELDS
# Text objects in the default layout or under Hive-compatible prefixes (`key=value`).
KEY = re.compile(
    r"AWSLogs/(?:aws-account-id=)?(\d{12})/(?:aws-service=)?vpcflowlogs/(?:aws-region=)?"
    r"([a-z0-9-]+)/(?:year=)?(\d{4})/(?:month=)?(\d{2})/(?:day=)?(\d{2})/(?:(?:hour=)?(\d{2})/)?"
    r"(\d{12})_vpcflowlogs_([a-z0-9-]+)_fl-[0-9a-zA-Z]+_\d{8}T\d{4}Z_[0-9a-zA-Z]+\.log\.gz$"
)
INT64_MAX = 2**63 - 1


def column_name(aws_field: str) -> str:
    """AWS field name to the staging column name."""
    return {"start": "start_epoch", "end": "end_epoch"}.get(aws_field, aws_field.replace("-", "_"))


@dataclass
class Record:
    """One non-header line, as the contract says it must come out."""

    source_file: str
    account_partition: str
    region_partition: str
    delivery_date: date
    line: str
    reason: str | None
    values: dict[str, object] = field(default_factory=dict)

    def get(self, column: str) -> object:
        return self.values.get(column)


def is_header(line: str) -> bool:
    """Tokens written like field names, at least one of them a known field."""
    tokens = line.split(" ")
    return (bool(line) and all(re.fullmatch(r"[a-z][a-z0-9-]*", token) for token in tokens)
            and any(token in KNOWN_FIELDS for token in tokens))


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _parse_value(aws_field: str, text: str) -> tuple[bool, object]:
    """(valid, typed value) for one field's text (not '-')."""
    if aws_field in FIELDS_INT:
        low, high = FIELDS_INT[aws_field]
        if not re.fullmatch(r"0|[1-9][0-9]*", text):
            return False, None
        value = int(text)
        return low <= value <= high, value
    if aws_field in FIELDS_COUNTER:
        if not re.fullmatch(r"0|[1-9][0-9]*", text):
            return False, None
        value = int(text)
        return value <= INT64_MAX, value
    if aws_field in FIELDS_IP:
        return _valid_ip(text), text
    if aws_field in FIELDS_ENUM:
        return text in FIELDS_ENUM[aws_field], text
    if aws_field in FIELDS_ACCOUNT:
        return bool(re.fullmatch(r"[0-9]{12}", text)), text
    return True, text


def parse_line(line: str, header: str | None, headers_conflict: bool,
               delivery: date) -> tuple[str | None, dict[str, object]]:
    """(malformed reason or None, typed values by column) for one data line."""
    if line == "":
        return "empty_line", {}
    if not re.fullmatch(r"[ -~]*", line):
        return "invalid_characters", {}
    if header is None:
        return "no_header", {}
    if headers_conflict:
        return "conflicting_headers", {}
    names = header.split(" ")
    tokens = line.split(" ")
    if len(tokens) != len(names):
        return "field_count_mismatch", {}
    values: dict[str, object] = {}
    failures = []
    unknown: dict[str, str | None] = {}
    for name, token in zip(names, tokens, strict=True):
        if name not in KNOWN_FIELDS:
            unknown.setdefault(name, None if token == "-" else token)
            continue
        if token == "-":
            values[column_name(name)] = None
            continue
        valid, value = _parse_value(name, token)
        if not valid:
            failures.append(name)
        values[column_name(name)] = value
    values["unknown_fields"] = unknown or None
    for name in KNOWN_FIELDS:  # the order of checks in the model
        if name in failures:
            return "invalid_" + name.replace("-", "_"), {}
    start, end = values.get("start_epoch"), values.get("end_epoch")
    if "start" in names and start is None:
        return "missing_start", {}
    if start is not None and end is not None and end < start:
        return "end_before_start", {}
    day_start = datetime(delivery.year, delivery.month, delivery.day, tzinfo=UTC).timestamp()
    if start is not None and (start < 946684800 or start >= day_start + 2 * 86400):
        return "start_out_of_range", {}
    if end is not None and end >= day_start + 2 * 86400:
        return "end_out_of_range", {}
    return None, values


def read_lines(path: Path) -> list[str]:
    """Lines of a gzip file as Athena reads them: split at \\n, \\r\\n and a lone \\r
    (Hadoop's LineRecordReader; bytes.splitlines splits at exactly these), each decoded
    as UTF-8 with U+FFFD for invalid sequences."""
    data = gzip.decompress(path.read_bytes())
    return [chunk.decode("utf-8", errors="replace") for chunk in data.splitlines()]


def flow_log_files(root: Path) -> Iterator[tuple[Path, re.Match[str]]]:
    for path in sorted((root / "AWSLogs").rglob("*")):
        if path.is_file():
            match = KEY.search(path.as_posix())
            if match:
                yield path, match


def read_records(root: Path) -> list[Record]:
    """Every non-header line of every readable flow log file under root/AWSLogs."""
    records: list[Record] = []
    for path, match in flow_log_files(root):
        try:
            lines = read_lines(path)
        except (OSError, EOFError, gzip.BadGzipFile):
            continue
        delivery = date(int(match[3]), int(match[4]), int(match[5]))
        headers = {line for line in lines if is_header(line)}
        header = min(headers) if headers else None
        for line in lines:
            if is_header(line):
                continue
            reason, values = parse_line(line, header, len(headers) > 1, delivery)
            records.append(Record(str(path), match[1], match[2], delivery, line, reason, values))
    return records


def start_time(record: Record) -> datetime | None:
    start = record.get("start_epoch")
    if start is None:
        return None
    return datetime(1970, 1, 1) + timedelta(seconds=int(start))  # naive UTC
