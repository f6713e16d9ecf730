"""Generate VPC flow log files exactly as AWS delivers them to S3.

Layout, file names, gzip, header line and `-` for missing values follow AWS::

    <output>/AWSLogs/<account-id>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]
        <account-id>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz

Background traffic (HTTPS egress with responses, DNS, inbound web, internal
database and ICMP traffic, some IPv6, a little rejected internet noise) is mixed
with planted scenarios, on the first account and region unless stated:

ssh_brute_force
    198.51.100.23 sends 120 TCP flows to port 22 of one instance over 30 minutes
    on day 1 (10:00-10:30 UTC): 110 REJECT (at least one in each of those 30
    minutes), 10 ACCEPT.
rdp_probing
    203.0.113.77 probes port 3389 of 6 instances, 3 REJECTs each (day 1, 14:00).
vertical_port_scan
    198.51.100.66 tries 300 distinct ports of one instance within 02:00-02:30 UTC
    of the last day: REJECT except ports 22, 80 and 443.
horizontal_port_scan
    203.0.113.99 tries port 445 on 60 distinct private addresses within 03:00-03:30
    UTC of the last day, all REJECT.
large_egress
    One instance sends 5 flows of 3,000,000,000 bytes each to 203.0.113.200:443
    (day 1, 20:00 UTC).
nodata_skipdata
    One interface writes NODATA every hour of day 1; another writes 3 SKIPDATA
    records.
ipv6
    One interface talks IPv6 (2001:db8:... to 2600:1f18:...) all along.
nacl_asymmetry
    198.51.100.150 opens 5 connections to port 8443 of one instance: requests
    ACCEPTed, responses on the same interface REJECTed (day 1, 16:00 UTC).
malformed (off with --no-malformed)
    Three bad lines in one file of day 1: too few fields, a non-numeric port and
    an unknown action.
late delivery
    A fraction (--late-fraction) of background records is written into a file of
    the NEXT day's folder, as AWS sometimes delivers late.

Background sources never reach 5 destination ports or 5 destination addresses
within an hour, so only the planted scans look like scans.

Usage: python -m scripts.generate_sample_logs --output sample_data --days 3
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

DEFAULT_FORMAT = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
).split()
V3_FIELDS = "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr".split()
V4_FIELDS = "region az-id sublocation-type sublocation-id".split()
V5_FIELDS = "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path".split()
V7_FIELDS = (
    "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id "
    "ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn "
    "ecs-task-arn ecs-task-id"
).split()
V8_FIELDS = ["reject-reason"]
ALL_FIELDS = DEFAULT_FORMAT + V3_FIELDS + V4_FIELDS + V5_FIELDS + V7_FIELDS + V8_FIELDS
FIELD_VERSION = {
    **dict.fromkeys(DEFAULT_FORMAT, 2), **dict.fromkeys(V3_FIELDS, 3),
    **dict.fromkeys(V4_FIELDS, 4), **dict.fromkeys(V5_FIELDS, 5),
    **dict.fromkeys(V7_FIELDS, 7), **dict.fromkeys(V8_FIELDS, 8),
}
FORMATS = {
    "default": DEFAULT_FORMAT,
    "v3": DEFAULT_FORMAT + V3_FIELDS,
    "v5": DEFAULT_FORMAT + V3_FIELDS + V4_FIELDS + V5_FIELDS,
    "all": ALL_FIELDS,
}

SCENARIOS = {
    "ssh_brute_force": {"srcaddr": "198.51.100.23", "dstport": 22, "flows": 120, "rejects": 110,
                        "day_index": 0, "hour": 10, "minutes": 30},
    "rdp_probing": {"srcaddr": "203.0.113.77", "dstport": 3389, "instances": 6,
                    "rejects_per_instance": 3, "day_index": 0, "hour": 14},
    "vertical_port_scan": {"srcaddr": "198.51.100.66", "distinct_ports": 300,
                           "accepted_ports": [22, 80, 443], "day_index": -1, "hour": 2},
    "horizontal_port_scan": {"srcaddr": "203.0.113.99", "dstport": 445, "distinct_addrs": 60,
                             "day_index": -1, "hour": 3},
    "large_egress": {"dstaddr": "203.0.113.200", "dstport": 443, "flows": 5,
                     "bytes_per_flow": 3_000_000_000, "day_index": 0, "hour": 20},
    "nodata_skipdata": {"nodata_records": 24, "skipdata_records": 3, "day_index": 0},
    "ipv6": {"local_prefix": "2001:db8:f00d::", "remote": "2600:1f18:4000:1::1"},
    "nacl_asymmetry": {"client": "198.51.100.150", "server_port": 8443, "connections": 5,
                       "day_index": 0, "hour": 16},
    "malformed": {"lines": 3, "day_index": 0},
}
MALFORMED_LINES = [
    "2 {account} {eni} 10.9.9.9 10.9.9.10 443",
    "2 {account} {eni} 10.9.9.9 10.9.9.10 https 55000 6 3 300 {start} {end} ACCEPT OK",
    "2 {account} {eni} 10.9.9.9 10.9.9.10 443 55000 6 3 300 {start} {end} DROP OK",
]


@dataclass
class Interface:
    """One network interface and its static attributes."""

    account: str
    region: str
    eni: str
    address: str
    instance: str
    vpc: str
    subnet: str
    az: str
    ipv6: str | None = None
    ecs: bool = False


@dataclass
class GenerationSummary:
    """What a generation wrote."""

    files: int = 0
    records: int = 0
    malformed_lines: int = 0
    late_records: int = 0
    bytes_written: int = 0
    scenarios: dict = field(default_factory=dict)


Record = dict[str, str]


def write_flow_log_file(path: Path, fields: list[str], rows: list, *, header: bool = True) -> None:
    """Write one gzip flow log file; rows are token lists or raw lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [" ".join(fields)] if header else []
    lines += [row if isinstance(row, str) else " ".join(row) for row in rows]
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0,
                                                compresslevel=6, filename="") as handle:
        handle.write(data)


def account_ids(count: int) -> list[str]:
    return [f"{111122223333 + index * 111111111:012d}" for index in range(count)]


def _interfaces(rng: random.Random, account_index: int, account: str, region_index: int,
                region: str) -> list[Interface]:
    interfaces = []
    for index in range(8):
        token = hashlib.sha256(f"{account}{region}{index}".encode()).hexdigest()
        interfaces.append(Interface(
            account=account, region=region, eni=f"eni-{token[:17]}",
            address=f"10.{account_index}.{region_index * 16 + index // 4}.{10 + index}",
            instance="-" if index == 7 else f"i-{token[17:34]}",
            vpc=f"vpc-{token[34:51]}", subnet=f"subnet-{token[40:57]}",
            az=f"{region[:2]}{region.split('-')[1][0]}{region[-1]}-az{index % 3 + 1}",
            ipv6=(f"2001:db8:f00d:{account_index}{region_index}::{index + 10}"
                  if index == 5 else None),
            ecs=index == 6,
        ))
    return interfaces


def _record(iface: Interface, src: str, dst: str, sport: int, dport: int, proto: int,
            packets: int, nbytes: int, start: int, action: str, *, flags: int = 0,
            direction: str = "egress", status: str = "OK") -> Record:
    end = start + (start % 47)
    return {
        "account-id": iface.account, "interface-id": iface.eni, "srcaddr": src, "dstaddr": dst,
        "srcport": str(sport), "dstport": str(dport), "protocol": str(proto),
        "packets": str(packets), "bytes": str(nbytes), "start": str(start), "end": str(end),
        "action": action, "log-status": status, "tcp-flags": str(flags) if proto == 6 else "0",
        "type": "IPv6" if ":" in src else "IPv4", "pkt-srcaddr": src, "pkt-dstaddr": dst,
        "flow-direction": direction,
        "traffic-path": ("1" if dst.startswith("10.") else "8") if direction == "egress" else "-",
        "pkt-dst-aws-service": "S3" if dst.startswith("52.") else "-",
        "reject-reason": "-",
    }


def _nodata(iface: Interface, start: int, status: str) -> Record:
    record = dict.fromkeys((name for name in ALL_FIELDS if name != "version"), "-")
    record.update({"account-id": iface.account, "interface-id": iface.eni,
                   "start": str(start), "end": str(start + 59), "log-status": status})
    return record


def _line(record: Record, iface: Interface, fields: list[str], version: str) -> str:
    values = []
    for name in fields:
        value = record.get(name)
        if value is None:
            value = _static(name, record, iface, version)
        values.append(value)
    return " ".join(values)


def _static(name: str, record: Record, iface: Interface, version: str) -> str:
    if record.get("log-status", "OK") != "OK" and name not in ("version",):
        return "-"
    if name == "version":
        return version
    if name == "vpc-id":
        return iface.vpc
    if name == "subnet-id":
        return iface.subnet
    if name == "instance-id":
        return iface.instance
    if name == "region":
        return iface.region
    if name == "az-id":
        return iface.az
    if name.startswith("ecs-") and iface.ecs:
        cluster = f"arn:aws:ecs:{iface.region}:{iface.account}:cluster/web"
        return {
            "ecs-cluster-arn": cluster, "ecs-cluster-name": "web",
            "ecs-container-instance-arn": f"{cluster}/container-instance/0a1b2c",
            "ecs-container-instance-id": "0a1b2c", "ecs-container-id": "4f8e9d7c6b5a",
            "ecs-second-container-id": "-", "ecs-service-name": "frontend",
            "ecs-task-definition-arn": f"arn:aws:ecs:{iface.region}:{iface.account}:"
                                       "task-definition/frontend:3",
            "ecs-task-arn": f"arn:aws:ecs:{iface.region}:{iface.account}:task/web/9a8b7c",
            "ecs-task-id": "9a8b7c",
        }[name]
    return "-"


class _Day:
    """Records of one account/region/day, bucketed by delivery file window."""

    def __init__(self) -> None:
        self.files: dict[int, list[tuple[Record | str, Interface | None]]] = defaultdict(list)


def _background(rng: random.Random, interfaces: list[Interface], day_start: int, count: int,
                clients: list[str]) -> list[tuple[Record, Interface]]:
    out: list[tuple[Record, Interface]] = []
    peers = {iface.eni: [f"52.{rng.randrange(1, 250)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
                         for _ in range(3)] for iface in interfaces}
    while len(out) < count:
        iface = rng.choice(interfaces[:7])
        start = day_start + rng.randrange(86400 - 120)
        kind = rng.random()
        eph = rng.randrange(32768, 61000)
        if iface.ipv6 and kind < 0.5:
            remote = SCENARIOS["ipv6"]["remote"]
            out.append((_record(iface, iface.ipv6, remote, eph, 443, 6, 10, 2400, start, "ACCEPT",
                                flags=3), iface))
            out.append((_record(iface, remote, iface.ipv6, 443, eph, 6, 12, 9000, start, "ACCEPT",
                                flags=19, direction="ingress"), iface))
        elif kind < 0.45:
            peer = rng.choice(peers[iface.eni])
            out.append((_record(iface, iface.address, peer, eph, 443, 6, rng.randrange(5, 40),
                                rng.randrange(500, 40000), start, "ACCEPT", flags=3), iface))
            out.append((_record(iface, peer, iface.address, 443, eph, 6, rng.randrange(5, 60),
                                rng.randrange(2000, 900000), start, "ACCEPT", flags=19,
                                direction="ingress"), iface))
        elif kind < 0.6:
            resolver = iface.address.rsplit(".", 1)[0] + ".2"
            out.append((_record(iface, iface.address, resolver, eph, 53, 17, 1, 70, start,
                                "ACCEPT"), iface))
            out.append((_record(iface, resolver, iface.address, 53, eph, 17, 1, 180, start,
                                "ACCEPT", direction="ingress"), iface))
        elif kind < 0.78:
            client = rng.choice(clients)
            port = 443 if iface.eni[-1] in "01234567" else 80
            out.append((_record(iface, client, iface.address, eph, port, 6, rng.randrange(3, 20),
                                rng.randrange(300, 5000), start, "ACCEPT", flags=2,
                                direction="ingress"), iface))
            out.append((_record(iface, iface.address, client, port, eph, 6, rng.randrange(3, 30),
                                rng.randrange(1000, 200000), start, "ACCEPT", flags=18), iface))
        elif kind < 0.86:
            other = interfaces[(interfaces.index(iface) + 1) % 7]
            out.append((_record(iface, iface.address, other.address, eph, 5432, 6,
                                rng.randrange(4, 30), rng.randrange(400, 20000), start, "ACCEPT",
                                flags=3), iface))
        elif kind < 0.9:
            other = interfaces[(interfaces.index(iface) + 2) % 7]
            out.append((_record(iface, other.address, iface.address, 0, 0, 1, 4, 336, start,
                                "ACCEPT", direction="ingress"), iface))
        elif kind < 0.93:
            out.append((_record(iface, iface.address, "169.254.169.123", eph, 123, 17, 1, 76,
                                start, "ACCEPT"), iface))
        else:
            noise = f"{rng.choice([45, 89, 185, 193])}.{rng.randrange(256)}." \
                    f"{rng.randrange(256)}.{rng.randrange(1, 255)}"
            port = rng.choice([23, 445, 1433, 3306, 8080, 6379])
            out.append((_record(iface, noise, iface.address, rng.randrange(1024, 65535), port, 6,
                                1, 44, start, "REJECT", flags=2, direction="ingress"), iface))
    return out[:count]


def _scenarios(interfaces: list[Interface], day_index: int, days: int, day_start: int,
               rng: random.Random) -> list[tuple[Record, Interface]]:
    out: list[tuple[Record, Interface]] = []

    def at(hour: int, second: int = 0) -> int:
        return day_start + hour * 3600 + second

    def on(name: str) -> bool:
        wanted = SCENARIOS[name]["day_index"]
        return day_index == (wanted if wanted >= 0 else days + wanted)

    if on("ssh_brute_force"):
        spec, target = SCENARIOS["ssh_brute_force"], interfaces[0]
        for index in range(spec["flows"]):
            action = "REJECT" if index < spec["rejects"] else "ACCEPT"
            minute = index % spec["minutes"]
            out.append((_record(target, spec["srcaddr"], target.address, 40000 + index, 22, 6,
                                1 if action == "REJECT" else 12, 60 if action == "REJECT" else 3100,
                                at(spec["hour"], minute * 60 + index % 50), action, flags=2,
                                direction="ingress"), target))
    if on("rdp_probing"):
        spec = SCENARIOS["rdp_probing"]
        for number, target in enumerate(interfaces[: spec["instances"]]):
            for attempt in range(spec["rejects_per_instance"]):
                out.append((_record(target, spec["srcaddr"], target.address,
                                    50000 + number * 10 + attempt, 3389, 6, 2, 104,
                                    at(spec["hour"], number * 120 + attempt * 7), "REJECT",
                                    flags=2, direction="ingress"), target))
    if on("vertical_port_scan"):
        spec, target = SCENARIOS["vertical_port_scan"], interfaces[1]
        for port in range(1, spec["distinct_ports"] + 1):
            action = "ACCEPT" if port in spec["accepted_ports"] else "REJECT"
            out.append((_record(target, spec["srcaddr"], target.address, 61000, port, 6, 1, 44,
                                at(spec["hour"], port * 5), action, flags=2,
                                direction="ingress"), target))
    if on("horizontal_port_scan"):
        spec = SCENARIOS["horizontal_port_scan"]
        for number in range(spec["distinct_addrs"]):
            target = interfaces[number % 7]
            address = f"10.{interfaces[0].address.split('.')[1]}.200.{number + 1}"
            out.append((_record(target, spec["srcaddr"], address, 62000 + number, spec["dstport"],
                                6, 1, 44, at(spec["hour"], number * 20), "REJECT", flags=2,
                                direction="ingress"), target))
    if on("large_egress"):
        spec, source = SCENARIOS["large_egress"], interfaces[2]
        for number in range(spec["flows"]):
            out.append((_record(source, source.address, spec["dstaddr"], 45000 + number, 443, 6,
                                2_100_000, spec["bytes_per_flow"], at(spec["hour"], number * 60),
                                "ACCEPT", flags=27), source))
    if on("nodata_skipdata"):
        spec = SCENARIOS["nodata_skipdata"]
        for hour in range(spec["nodata_records"]):
            out.append((_nodata(interfaces[3], at(hour), "NODATA"), interfaces[3]))
        for number in range(spec["skipdata_records"]):
            out.append((_nodata(interfaces[4], at(6 + number), "SKIPDATA"), interfaces[4]))
    if on("nacl_asymmetry"):
        spec, server = SCENARIOS["nacl_asymmetry"], interfaces[4]
        for number in range(spec["connections"]):
            client_port = 51000 + number
            start = at(spec["hour"], number * 30)
            out.append((_record(server, spec["client"], server.address, client_port,
                                spec["server_port"], 6, 3, 180, start, "ACCEPT", flags=2,
                                direction="ingress"), server))
            out.append((_record(server, server.address, spec["client"], spec["server_port"],
                                client_port, 6, 3, 180, start, "REJECT", flags=18), server))
    return out


def parse_format(text: str) -> list[str]:
    """A preset name or a space-separated field list; raises ValueError when invalid."""
    if text in FORMATS:
        return list(FORMATS[text])
    fields = text.split()
    unknown = [name for name in fields if name not in ALL_FIELDS]
    if not fields or unknown:
        raise ValueError(f"unknown flow log field(s) {' '.join(unknown) or '(none given)'}; "
                         f"use a preset ({', '.join(FORMATS)}) or AWS field names")
    return fields


def generate(output: Path | str = "sample_data", *, start_date: str | date = "2024-06-01",
             days: int = 3, accounts: int = 2, regions: tuple[str, ...] | list[str] = (
                 "us-east-1", "eu-west-1"), records: int = 50_000, seed: int = 7,
             fields: list[str] | str = "default", hourly: bool = False, scenarios: bool = True,
             malformed: bool = True, late_fraction: float = 0.01,
             file_minutes: int = 60) -> GenerationSummary:
    """Write the sample files; returns what was written."""
    output = Path(output)
    fields = parse_format(fields) if isinstance(fields, str) else list(fields)
    version = str(max(FIELD_VERSION[name] for name in fields))
    first = start_date if isinstance(start_date, date) else date.fromisoformat(start_date)
    rng = random.Random(seed)
    summary = GenerationSummary(scenarios=SCENARIOS if scenarios else {})
    ids = account_ids(accounts)
    pairs = [(a, ai, r, ri) for ai, a in enumerate(ids) for ri, r in enumerate(regions)]
    per_day = max(1, records // (days * len(pairs)))
    clients = [f"{rng.choice([73, 81, 98, 174])}.{rng.randrange(256)}.{rng.randrange(256)}."
               f"{rng.randrange(1, 255)}" for _ in range(400)]
    window = file_minutes * 60
    for account, account_index, region, region_index in pairs:
        interfaces = _interfaces(rng, account_index, account, region_index, region)
        flow_log_id = "fl-" + hashlib.sha256(f"{account}{region}".encode()).hexdigest()[:17]
        buckets: dict[int, list[tuple[Record | str, Interface]]] = defaultdict(list)
        for day_index in range(days):
            day_start = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp())
            day_start += day_index * 86400
            rows = _background(rng, interfaces, day_start, per_day, clients)
            if scenarios and account_index == 0 and region_index == 0:
                rows += _scenarios(interfaces, day_index, days, day_start, rng)
            for record, iface in rows:
                start = int(record["start"])
                delivered = start - start % window + window - 60
                if (late_fraction and record.get("log-status") == "OK"
                        and day_index < days - 1 and rng.random() < late_fraction):
                    delivered = day_start + 86400 + rng.randrange(0, 3) * window
                    summary.late_records += 1
                buckets[delivered].append((record, iface))
            if malformed and scenarios and account_index == 0 and region_index == 0 and \
                    day_index == SCENARIOS["malformed"]["day_index"]:
                iface = interfaces[0]
                start = day_start + 5 * 3600
                for template in MALFORMED_LINES:
                    buckets[start - start % window + window - 60].append((template.format(
                        account=account, eni=iface.eni, start=start, end=start + 30), iface))
                summary.malformed_lines += len(MALFORMED_LINES)
        for delivered, rows in sorted(buckets.items()):
            moment = datetime.fromtimestamp(delivered, UTC)
            folder = output / "AWSLogs" / account / "vpcflowlogs" / region / moment.strftime(
                "%Y/%m/%d")
            if hourly:
                folder = folder / moment.strftime("%H")
            stamp = moment.strftime("%Y%m%dT%H%MZ")
            digest = hashlib.sha256(f"{seed}{account}{region}{stamp}".encode()).hexdigest()[:8]
            path = folder / f"{account}_vpcflowlogs_{region}_{flow_log_id}_{stamp}_{digest}.log.gz"
            rows.sort(key=lambda item: int(item[0]["start"]) if isinstance(item[0], dict) else 0)
            lines = [row if isinstance(row, str) else _line(row, iface, fields, version)
                     for row, iface in rows]
            write_flow_log_file(path, fields, lines)
            summary.files += 1
            summary.records += sum(1 for row, _ in rows if isinstance(row, dict))
            summary.bytes_written += path.stat().st_size
    return summary


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.generate_sample_logs",
        description="Write sample VPC flow log files laid out exactly as AWS delivers them "
                    "to S3, with planted security scenarios (see the module docstring).")
    parser.add_argument("--output", default="sample_data",
                        help="folder that will contain AWSLogs/ (default: sample_data)")
    parser.add_argument("--start-date", default="2024-06-01", help="first day, YYYY-MM-DD")
    parser.add_argument("--days", type=int, default=3, help="number of days (default 3)")
    parser.add_argument("--accounts", type=int, default=2, help="number of accounts (default 2)")
    parser.add_argument("--regions", default="us-east-1,eu-west-1", help="comma-separated regions")
    parser.add_argument("--records", type=int, default=50_000,
                        help="background records over all days (default 50000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--format", default="default",
                        help="preset (default, v3, v5, all) or space-separated AWS field names")
    parser.add_argument("--hourly", action="store_true", help="hourly folders (.../DD/HH/)")
    parser.add_argument("--file-minutes", type=int, default=60,
                        help="minutes of records per file (default 60)")
    parser.add_argument("--no-scenarios", action="store_true", help="background traffic only")
    parser.add_argument("--no-malformed", action="store_true", help="no planted malformed lines")
    parser.add_argument("--late-fraction", type=float, default=0.01,
                        help="share of records delivered a day late (default 0.01)")
    parser.add_argument("--force", action="store_true",
                        help="write even when <output>/AWSLogs already exists")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        fields = parse_format(args.format)
        date.fromisoformat(args.start_date)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.days < 1 or args.accounts < 1 or args.records < 0:
        print("error: --days and --accounts must be at least 1 and --records not negative.",
              file=sys.stderr)
        return 2
    if not 0 <= args.late_fraction < 1 or args.file_minutes not in (5, 10, 15, 20, 30, 60):
        print("error: --late-fraction must be in [0, 1) and --file-minutes one of "
              "5, 10, 15, 20, 30, 60.", file=sys.stderr)
        return 2
    regions = [region.strip() for region in args.regions.split(",") if region.strip()]
    if not regions:
        print("error: --regions needs at least one region.", file=sys.stderr)
        return 2
    if (Path(args.output) / "AWSLogs").exists() and not args.force:
        print(f"Sample data already present in {args.output}/AWSLogs (use --force to rewrite).")
        return 0
    summary = generate(args.output, start_date=args.start_date, days=args.days,
                       accounts=args.accounts, regions=regions, records=args.records,
                       seed=args.seed, fields=fields, hourly=args.hourly,
                       scenarios=not args.no_scenarios, malformed=not args.no_malformed,
                       late_fraction=args.late_fraction, file_minutes=args.file_minutes)
    print(f"Wrote {summary.files} files, {summary.records} records "
          f"({summary.late_records} delivered late, {summary.malformed_lines} malformed lines), "
          f"{summary.bytes_written / 1e6:.1f} MB under {args.output}/AWSLogs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
