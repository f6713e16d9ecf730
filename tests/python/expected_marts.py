"""Each mart computed in plain Python from the files (via reference.py), for tests."""

from __future__ import annotations

import csv
import ipaddress
from collections import defaultdict
from datetime import date, datetime, timedelta

from tests.python.dbt_runner import REPO
from tests.python.reference import Record, read_records

EPOCH = datetime(1970, 1, 1)


def _ts(seconds: int) -> datetime:
    return EPOCH + timedelta(seconds=seconds)


def _sum(values) -> int | None:
    """SQL's sum: NULLs ignored, NULL when every value is NULL."""
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _max(values):
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _seed(name: str) -> list[dict[str, str]]:
    with open(REPO / "seeds" / f"{name}.csv", newline="") as handle:
        return list(csv.DictReader(handle))


class Flows:
    """Valid records with a start time, enriched like int_flows_enriched."""

    def __init__(self, root) -> None:
        networks = [ipaddress.ip_network(row["cidr"]) for row in _seed("trusted_cidrs")]
        services = {(int(r["port"]), int(r["protocol"])) for r in _seed("well_known_ports")}
        self.rows: list[dict] = []
        for record in read_records(root):
            if record.reason is not None or record.get("start_epoch") is None:
                continue
            self.rows.append(self._enrich(record, networks, services))

    @staticmethod
    def _enrich(record: Record, networks: list, services: set) -> dict:
        row = dict(record.values)
        row["account_id"] = row.get("account_id") or record.account_partition
        row["region"] = row.get("region") or record.region_partition
        start = int(row["start_epoch"])
        row["start_time"] = _ts(start)
        row["end_time"] = _ts(int(row["end_epoch"])) if row.get("end_epoch") is not None else None
        row["event_date"] = row["start_time"].date()
        row["is_flow_record"] = row.get("log_status") in ("OK", None)
        src = row.get("srcaddr")
        address = ipaddress.ip_address(src) if src else None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        row["is_trusted_source"] = bool(address) and any(
            address.version == net.version and address in net for net in networks)
        sport, dport, proto = row.get("srcport"), row.get("dstport"), row.get("protocol")
        row["is_likely_response"] = (
            sport is not None and dport is not None
            and ((sport, proto) in services or sport < 1024) and dport >= 1024)
        return row

    def flow_records(self) -> list[dict]:
        return [row for row in self.rows if row["is_flow_record"]]


def rejects_by_source(flows: Flows) -> set[tuple]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in flows.flow_records():
        if row.get("action") == "REJECT":
            groups[(row["event_date"], row["account_id"], row["srcaddr"] or "-")].append(row)
    return {
        (*key, len(rows), _sum(r["packets"] for r in rows), _sum(r["bytes"] for r in rows),
         len({r["dstaddr"] for r in rows if r["dstaddr"]}),
         len({r["dstport"] for r in rows if r["dstport"] is not None}),
         min(r["start_time"] for r in rows), _max(r["end_time"] for r in rows))
        for key, rows in groups.items()
    }


def bytes_per_ip(flows: Flows) -> set[tuple]:
    acc: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for row in flows.flow_records():
        item = acc[(row["event_date"], row["account_id"], row.get("srcaddr") or "-")]
        item[0] += row["bytes"] or 0
        item[2] += row["packets"] or 0
        item[4] += 1
        item = acc[(row["event_date"], row["account_id"], row.get("dstaddr") or "-")]
        item[1] += row["bytes"] or 0
        item[3] += row["packets"] or 0
        item[5] += 1
    return {(*key, s, r, s + r, ps, pr, fs, fd) for key, (s, r, ps, pr, fs, fd) in acc.items()}


def ssh_rdp_activity(flows: Flows) -> set[tuple]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in flows.flow_records():
        if row.get("protocol") != 6:
            continue
        sport, dport = row.get("srcport"), row.get("dstport")
        if dport in (22, 3389):
            service_port, is_response = dport, False
        elif sport in (22, 3389):
            service_port, is_response = sport, True
        else:
            continue
        key = (row["event_date"], row["account_id"], row.get("interface_id") or "-",
               row.get("srcaddr") or "-", row.get("dstaddr") or "-", service_port, is_response,
               row.get("action") or "-")
        groups[key].append(row)
    return {
        (*key, "ssh" if key[5] == 22 else "rdp", len(rows), _sum(r["packets"] for r in rows),
         _sum(r["bytes"] for r in rows), min(r["start_time"] for r in rows),
         _max(r["end_time"] for r in rows), any(r["is_trusted_source"] for r in rows))
        for key, rows in groups.items()
    }


def https_by_destination(flows: Flows) -> set[tuple]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in flows.flow_records():
        if row.get("protocol") == 6 and row.get("dstport") == 443:
            groups[(row["event_date"], row["account_id"], row.get("dstaddr") or "-")].append(row)
    return {
        (*key, len(rows), _sum(r["packets"] for r in rows), _sum(r["bytes"] for r in rows),
         len({r["srcaddr"] for r in rows if r["srcaddr"]}))
        for key, rows in groups.items()
    }


def metric_alarms(flows: Flows) -> set[tuple]:
    out: dict[tuple, int] = defaultdict(int)
    filters = _seed("metric_filters")
    for row in flows.rows:
        for spec in filters:
            conditions = [("dstport", int), ("srcport", int), ("protocol", int),
                          ("action", str), ("log_status", str)]
            if all(spec[name] == "" or row.get(name) == cast(spec[name])
                   for name, cast in conditions):
                period = int(spec["period_minutes"]) * 60
                start = int(row["start_epoch"])
                out[(spec["filter_name"], _ts(start - start % period), row["account_id"])] += 1
    result = set()
    by_name = {spec["filter_name"]: spec for spec in filters}
    for (name, period_start, account), matched in out.items():
        spec = by_name[name]
        threshold = int(spec["threshold"])
        in_alarm = {">=": matched >= threshold, ">": matched > threshold,
                    "<=": matched <= threshold, "<": matched < threshold,
                    "=": matched == threshold}[spec["comparison"]]
        result.add((name, period_start, account, matched, threshold, in_alarm))
    return result


def port_scans(flows: Flows, window_minutes: int = 60, min_ports: int = 100,
               min_addrs: int = 50) -> set[tuple]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    seconds = window_minutes * 60
    for row in flows.flow_records():
        if row["is_likely_response"] or not row.get("srcaddr"):
            continue
        start = int(row["start_epoch"])
        groups[(_ts(start - start % seconds), row["account_id"], row["srcaddr"])].append(row)
    out = set()
    for key, rows in groups.items():
        ports = len({r["dstport"] for r in rows if r["dstport"] is not None})
        addrs = len({r["dstaddr"] for r in rows if r["dstaddr"]})
        vertical, horizontal = ports >= min_ports, addrs >= min_addrs
        if not (vertical or horizontal):
            continue
        kind = "mixed" if vertical and horizontal else "vertical" if vertical else "horizontal"
        rejected = sum(1 for r in rows if r["action"] == "REJECT")
        out.add((*key, ports, addrs, len(rows), rejected, kind))
    return out


def flow_log_coverage(flows: Flows) -> set[tuple]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in flows.rows:
        groups[(row["event_date"], row["account_id"], row.get("interface_id") or "-")].append(row)
    out = set()
    for key, rows in groups.items():
        statuses = [r.get("log_status") for r in rows]
        out.add((*key, statuses.count("OK"), statuses.count("NODATA"),
                 statuses.count("SKIPDATA"), len(rows)))
    return out


def nacl_asymmetric_flows(flows: Flows) -> set[tuple]:
    accepted: dict[tuple, list[dict]] = defaultdict(list)
    rejected: dict[tuple, list[dict]] = defaultdict(list)
    for row in flows.flow_records():
        if row.get("protocol") not in (1, 6, 17, 58):
            continue
        # ICMP and ICMPv6 have no ports: their records pair by addresses alone.
        icmp = row["protocol"] in (1, 58)
        sport, dport = (0, 0) if icmp else (row["srcport"], row["dstport"])
        if None in (row.get("interface_id"), row.get("srcaddr"), row.get("dstaddr"), sport, dport):
            continue  # a NULL never pairs
        if row["action"] == "ACCEPT":
            key = (row["event_date"], row["account_id"], row["interface_id"], row["srcaddr"],
                   row["dstaddr"], sport, dport, row["protocol"])
            accepted[key].append(row)
        elif row["action"] == "REJECT":
            key = (row["event_date"], row["account_id"], row["interface_id"], row["dstaddr"],
                   row["srcaddr"], dport, sport, row["protocol"])
            rejected[key].append(row)
    grouped: dict[tuple, list[tuple]] = defaultdict(list)
    for key, requests in accepted.items():
        if key in rejected:
            day, account, eni, client, server, _client_port, server_port, proto = key
            grouped[(day, account, eni, client, server, proto)].append(
                (server_port, len(requests), len(rejected[key])))
    return {
        (*key, min(p for p, _, _ in pairs), len({p for p, _, _ in pairs}), len(pairs),
         sum(a for _, a, _ in pairs), sum(r for _, _, r in pairs))
        for key, pairs in grouped.items()
    }


def traffic_daily(flows: Flows) -> set[tuple]:
    acc: dict[tuple, list] = defaultdict(lambda: [0, [], []])
    for row in flows.flow_records():
        key = (row["event_date"], row["account_id"], row["region"],
               row.get("interface_id") or "-", row.get("action"), row.get("protocol"),
               row.get("flow_direction"))
        acc[key][0] += 1
        acc[key][1].append(row["packets"])
        acc[key][2].append(row["bytes"])
    return {(*key, count, _sum(packets), _sum(nbytes))
            for key, (count, packets, nbytes) in acc.items()}


def as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
