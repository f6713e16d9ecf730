"""The planted scenarios: their constants (:data:`SCENARIOS`, which tests and docs
read), one function a scenario and the registry that runs them (:data:`PLANTED`),
and the malformed lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vpc_flow_logs.generate_sample_logs.formats import line_template
from vpc_flow_logs.generate_sample_logs.topology import (
    Topology,
    account_ids,
    build_topology,
    static_values,
    vpc_ipv4,
)
from vpc_flow_logs.generate_sample_logs.traffic import (
    DAY,
    DB_REQ,
    DB_RESP,
    SSH_REQ,
    SSH_RESP,
    Traffic,
)


def _scenario_constants() -> dict[str, dict[str, Any]]:
    topo = build_topology(account_ids(1)[0], "us-east-1", 0, 0)
    role = topo.role
    app_subnet = [iface for iface in topo.interfaces if iface.subnet == 1]
    common = {"account_id": topo.account, "region_index": 0}
    return {
        "ssh_brute_force": {
            **common, "srcaddr": "198.51.100.23", "dstaddr": role["bastion"].address,
            "interface_id": role["bastion"].eni, "dstport": 22, "protocol": 6,
            "flows": 120, "accepts": 10, "rejects": 110, "minutes": 30,
            "day_index": 0, "hour": 10, "first_reject_minute": 3, "last_minute": 32,
        },
        "rdp_probing": {
            **common, "srcaddr": "203.0.113.77", "dstport": 3389, "instances": 4,
            "rejects_per_instance": 3,
            "dstaddrs": [role[name].address for name in ("bastion", "web-1", "web-2",
                                                           "ipv6-web")],
            "interface_ids": [role[name].eni for name in ("bastion", "web-1", "web-2",
                                                            "ipv6-web")],
            "day_index": 0, "hour": 14,
        },
        "vertical_port_scan": {
            **common, "srcaddr": "198.51.100.66", "srcport": 61000,
            "dstaddr": role["web-1"].address, "interface_id": role["web-1"].eni,
            "distinct_ports": 300, "accepted_ports": [80, 443], "day_index": -1, "hour": 2,
            "minutes": 25,
        },
        "horizontal_port_scan": {
            **common, "srcaddr": role["legacy"].address, "interface_id": role["legacy"].eni,
            "dstport": 445, "distinct_addrs": 60,
            "dstaddrs": [vpc_ipv4(0, 1, host) for host in range(4, 64)],
            "rejecting_interface_ids": [iface.eni for iface in app_subnet],
            "day_index": -1, "hour": 3, "minutes": 25,
        },
        "large_egress": {
            **common, "srcaddr": role["batch"].address, "interface_id": role["batch"].eni,
            "dstaddr": "203.0.113.200", "dstport": 443, "flows": 5,
            "bytes_per_flow": 3_000_000_000, "day_index": 0, "hour": 20,
        },
        "nodata_skipdata": {
            **common, "nodata_interface_id": role["standby"].eni, "nodata_records": 24,
            "skipdata_interface_id": role["elb"].eni, "skipdata_records": 3,
            "skipdata_hours": [6, 7, 8], "day_index": 0,
        },
        "ipv6": {
            **common, "interface_id": role["ipv6-web"].eni, "address": role["ipv6-web"].ipv6,
            "ula": role["ipv6-web"].ula, "peer_ula": role["db"].ula,
            "peer_interface_id": role["db"].eni, "peer_port": 5432,
            "connections_per_day": 24, "office_admin": "2001:db8:1000::25",
            "admin_port": 22, "admin_hour": 9, "day_index": "every day",
        },
        "nacl_asymmetry": {
            **common, "client": "198.51.100.150", "server": role["web-2"].address,
            "interface_id": role["web-2"].eni, "server_port": 8443, "connections": 5,
            "day_index": 0, "hour": 16,
        },
        "malformed": {
            **common, "lines": 3, "kinds": ["too_few_fields", "non_numeric_port",
                                            "unknown_action"],
            "day_index": 0, "hour": 5,
        },
        "late_delivery": {"default_fraction": 0.01, "max_delay_seconds": DAY,
                          "background_only": True, "last_day_never_late": True},
    }


SCENARIOS: dict[str, dict[str, Any]] = _scenario_constants()


def ssh_brute_force(traffic: Traffic, spec: dict[str, Any]) -> None:
    """Accepted SSH logins, then bursts of REJECTed attempts every minute."""
    rng = traffic.rng
    role = traffic.topo.role
    emit = traffic.emit
    day = traffic.day_start
    bastion, attacker = role["bastion"], spec["srcaddr"]
    at = day + spec["hour"] * 3600
    for number in range(spec["accepts"]):  # password guessing while still allowed
        start = at + number * 17
        traffic.conversation([(bastion, False, attacker, bastion.address, 40000 + number, 22,
                               attacker, bastion.address, bastion.igw_path)],
                             6, start, 1, ((10, 22), (60, 200)), ((10, 20), (80, 300)))
    per_minute = [1] * spec["minutes"]
    for minute in rng.sample(range(spec["minutes"]), 8):
        per_minute[minute] += 10
    assert sum(per_minute) == spec["rejects"]
    port = 40100
    for offset, count in enumerate(per_minute):
        minute_start = at + (spec["first_reject_minute"] + offset) * 60
        for second in sorted(rng.sample(range(60), count)):
            packets = rng.randint(1, 2)
            start = minute_start + second
            emit(bastion, attacker, bastion.address, port, 22, 6, packets, packets * 60,
                 start, min(start + packets - 1, minute_start + 59), "REJECT", 2, "ingress",
                 "-", attacker, bastion.address)
            port += 1


def rdp_probing(traffic: Traffic, spec: dict[str, Any]) -> None:
    """REJECTed RDP attempts on the public instances."""
    role = traffic.topo.role
    emit = traffic.emit
    day = traffic.day_start
    for number, target_name in enumerate(("bastion", "web-1", "web-2", "ipv6-web")):
        target = role[target_name]
        for attempt in range(spec["rejects_per_instance"]):
            start = day + spec["hour"] * 3600 + number * 120 + attempt * 20
            emit(target, spec["srcaddr"], target.address, 50000 + number * 10 + attempt,
                 3389, 6, 2, 104, start, start + 1, "REJECT", 2, "ingress", "-",
                 spec["srcaddr"], target.address)


def vertical_port_scan(traffic: Traffic, spec: dict[str, Any]) -> None:
    """One source probing hundreds of ports of one instance."""
    rng = traffic.rng
    role = traffic.topo.role
    emit = traffic.emit
    day = traffic.day_start
    web, scanner, sport = role["web-1"], spec["srcaddr"], spec["srcport"]
    accepted = spec["accepted_ports"]
    ports = rng.sample([p for p in range(1, 1025) if p not in accepted],
                       spec["distinct_ports"] - len(accepted)) + accepted
    rng.shuffle(ports)
    for number, port in enumerate(ports):
        start = day + spec["hour"] * 3600 + number * spec["minutes"] * 60 // len(ports)
        if port in accepted:  # SYN, SYN-ACK, RST: flags 2|4 on the probe
            emit(web, scanner, web.address, sport, port, 6, 2, 84, start, start, "ACCEPT",
                 6, "ingress", "-", scanner, web.address)
            emit(web, web.address, scanner, port, sport, 6, 1, 44, start, start, "ACCEPT",
                 18, "egress", web.igw_path, web.address, scanner)
        else:
            emit(web, scanner, web.address, sport, port, 6, 1, 44, start, start, "REJECT",
                 2, "ingress", "-", scanner, web.address)


def horizontal_port_scan(traffic: Traffic, spec: dict[str, Any]) -> None:
    """A worm inside the VPC sweeping one port over the app subnet."""
    topo = traffic.topo
    role = traffic.topo.role
    emit = traffic.emit
    day = traffic.day_start
    worm = role["legacy"]
    by_address = {iface.address: iface for iface in topo.interfaces}
    targets = [vpc_ipv4(topo.pair, 1, host) for host in range(4, 4 + spec["distinct_addrs"])]
    for number, address in enumerate(targets):
        start = day + spec["hour"] * 3600 + number * spec["minutes"] * 60 // len(targets)
        sport = 49200 + number * 7
        emit(worm, worm.address, address, sport, 445, 6, 2, 104, start, start + 1,
             "ACCEPT", 2, "egress", 1, worm.address, address)
        victim = by_address.get(address)
        if victim is not None and victim.role not in traffic.idle_roles:
            emit(victim, worm.address, address, sport, 445, 6, 2, 104, start, start + 1,
                 "REJECT", 2, "ingress", "-", worm.address, address)


def large_egress(traffic: Traffic, spec: dict[str, Any]) -> None:
    """Records over 2**31 bytes to one external address."""
    role = traffic.topo.role
    emit = traffic.emit
    day = traffic.day_start
    batch, remote = role["batch"], spec["dstaddr"]
    at = day + spec["hour"] * 3600
    flows = spec["flows"]
    for step in range(flows):
        start = at + step * 60
        flags = 2 if step == 0 else 1 if step == flows - 1 else 0
        nbytes = spec["bytes_per_flow"]
        packets = nbytes // 1448 + 1
        emit(batch, batch.address, remote, 51515, 443, 6, packets, nbytes, start, start + 59,
             "ACCEPT", flags, "egress", batch.igw_path, batch.address, remote)
        acks = packets // 2
        emit(batch, remote, batch.address, 443, 51515, 6, acks, acks * 52, start, start + 59,
             "ACCEPT", 18 if step == 0 else flags, "ingress", "-", remote, batch.address)


def nodata_skipdata(traffic: Traffic, spec: dict[str, Any]) -> None:
    """An idle interface (NODATA every hour) and SKIPDATA records."""
    role = traffic.topo.role
    day = traffic.day_start
    for hour in range(spec["nodata_records"]):
        traffic.status_record(role["standby"], day + hour * 3600, "NODATA")
    for hour in spec["skipdata_hours"]:
        traffic.status_record(role["elb"], day + hour * 3600, "SKIPDATA")


def ipv6(traffic: Traffic, spec: dict[str, Any]) -> None:
    """ULA database traffic and an SSH session from an IPv6 office address."""
    role = traffic.topo.role
    day = traffic.day_start
    web, db = role["ipv6-web"], role["db"]
    assert web.ula and db.ula and web.ipv6
    for hour in range(spec["connections_per_day"]):
        start = day + hour * 3600 + 900 + (hour * 7) % 60
        traffic.internal(web, db, spec["peer_port"], 6, 2, DB_REQ, DB_RESP,
                         client_addr=web.ula, server_addr=db.ula, start=start)
    admin = spec["office_admin"]
    traffic.conversation([(web, False, admin, web.ipv6, 50022, spec["admin_port"], admin,
                           web.ipv6, web.igw_path)],
                         6, day + spec["admin_hour"] * 3600, 10, SSH_REQ, SSH_RESP)


def nacl_asymmetry(traffic: Traffic, spec: dict[str, Any]) -> None:
    """Accepted requests whose responses a stateless network ACL rejects."""
    role = traffic.topo.role
    emit = traffic.emit
    day = traffic.day_start
    web, client = role["web-2"], spec["client"]
    for number in range(spec["connections"]):
        start = day + spec["hour"] * 3600 + number * 30
        sport = 51000 + number
        emit(web, client, web.address, sport, spec["server_port"], 6, 3, 180, start,
             start + 6, "ACCEPT", 2, "ingress", "-", client, web.address)
        emit(web, web.address, client, spec["server_port"], sport, 6, 3, 180, start,
             start + 6, "REJECT", 18, "egress", web.igw_path, web.address, client)


# The planted scenarios, in the order they are generated.
PLANTED: dict[str, Callable[[Traffic, dict[str, Any]], None]] = {
    "ssh_brute_force": ssh_brute_force,
    "rdp_probing": rdp_probing,
    "vertical_port_scan": vertical_port_scan,
    "horizontal_port_scan": horizontal_port_scan,
    "large_egress": large_egress,
    "nodata_skipdata": nodata_skipdata,
    "ipv6": ipv6,
    "nacl_asymmetry": nacl_asymmetry,
}


def plant(traffic: Traffic, name: str, day_index: int, days: int) -> None:
    """Write the records of one planted scenario into traffic.out (if due that day)."""
    spec = SCENARIOS[name]
    wanted = spec.get("day_index", 0)
    if isinstance(wanted, int) and day_index != (wanted if wanted >= 0 else days + wanted):
        return
    PLANTED[name](traffic, spec)


def malformed_lines(topo: Topology, fields: list[str], version: str, day: int,
                     picker: Callable[[tuple], tuple]) -> list[tuple[int, str]]:
    """(start, line) for each planted malformed line the format allows."""
    bastion, dns = topo.role["bastion"], topo.role["dns"]
    template = line_template(fields, static_values(topo, bastion, version))
    out: list[tuple[int, str]] = []
    for number, kind in enumerate(SCENARIOS["malformed"]["kinds"]):
        start = day + SCENARIOS["malformed"]["hour"] * 3600 + number * 600 + 30
        values = (bastion.address, dns.address, 41000 + number, 53, 17, 1, 74, start, start + 1,
                  "ACCEPT", "OK", 0, "IPv4", bastion.address, dns.address, "-", "-", "egress",
                  1, "-")
        tokens = (template % picker(values)).split(" ")
        if kind == "too_few_fields":
            if len(tokens) < 2:
                continue
            tokens = tokens[: len(tokens) // 2]
        elif kind == "non_numeric_port":
            port = "dstport" if "dstport" in fields else "srcport"
            if port not in fields:
                continue
            tokens[fields.index(port)] = "dns"
        else:
            if "action" not in fields:
                continue
            tokens[fields.index("action")] = "DROP"
        out.append((start, " ".join(tokens)))
    return out
