"""Background traffic: one function a kind of conversation, picked by weight
(:data:`BACKGROUND`), plus internet noise kept at a share of the records."""

from __future__ import annotations

import bisect
from collections.abc import Callable

from vpc_flow_logs.generate_sample_logs.traffic import (
    API_REQ,
    API_RESP,
    BACKEND_REQ,
    BACKEND_RESP,
    DB_REQ,
    DB_RESP,
    DNS_REQ,
    DNS_RESP,
    DOWNLOAD_REQ,
    DOWNLOAD_RESP,
    HTTPS_REQ,
    HTTPS_RESP,
    ICMP,
    LOGS_REQ,
    LOGS_RESP,
    NOISE_OCTETS,
    NOISE_TCP_PORTS,
    NOISE_UDP_PORTS,
    NTP,
    SSH_REQ,
    SSH_RESP,
    UPLOAD_REQ,
    UPLOAD_RESP,
    Traffic,
)


def client_to_elb(traffic: Traffic) -> None:
    elb = traffic.topo.role["elb"]
    client = traffic.public_client()
    port = 443 if traffic.rng.random() < 0.92 else 80
    sport = traffic.rng.randrange(1024, 65536)
    traffic.conversation([(elb, False, client, elb.address, sport, port, client, elb.address,
                        elb.igw_path)], 6, traffic.start_time(3), traffic.intervals(3),
                      HTTPS_REQ, HTTPS_RESP)


def monitor_to_elb(traffic: Traffic) -> None:
    elb, monitor = traffic.topo.role["elb"], traffic.topo.monitor
    sport = traffic.rng.randrange(1024, 65536)
    traffic.conversation([(elb, False, monitor, elb.address, sport, 443, monitor, elb.address,
                        elb.igw_path)], 6, traffic.start_time(1), 1, HTTPS_REQ, HTTPS_RESP)


def elb_to_backend(traffic: Traffic) -> None:
    role = traffic.topo.role
    target = (role["web-1"], role["web-2"], role["ecs-ec2"], role["ecs-fargate"])[
        traffic.rng.randrange(4)]
    port = 8080 if target.role.startswith("ecs") else 80
    traffic.internal(role["elb"], target, port, 6, traffic.rng.randint(1, 6), BACKEND_REQ,
                  BACKEND_RESP)


def web_to_app(traffic: Traffic) -> None:
    role = traffic.topo.role
    web = (role["web-1"], role["web-2"], role["ipv6-web"])[traffic.rng.randrange(3)]
    traffic.internal(web, role["app-1"], 8080, 6, traffic.intervals(4), BACKEND_REQ, BACKEND_RESP)


def app_to_db(traffic: Traffic) -> None:
    client = traffic.db_clients[traffic.rng.randrange(len(traffic.db_clients))]
    traffic.internal(client, traffic.topo.role["db"], 5432, 6, traffic.rng.randint(2, 10), DB_REQ,
                  DB_RESP)


def dns_query(traffic: Traffic) -> None:
    client = traffic.dns_clients[traffic.rng.randrange(len(traffic.dns_clients))]
    traffic.internal(client, traffic.topo.role["dns"], 53, 17, 1, DNS_REQ, DNS_RESP)


def dns_forward(traffic: Traffic) -> None:
    forwarder = traffic.topo.forwarders[traffic.rng.randrange(2)]
    traffic.through_nat(traffic.topo.role["dns"], forwarder, 53, 17, 1, DNS_REQ, DNS_RESP)


def ntp(traffic: Traffic) -> None:
    client = traffic.ntp_clients[traffic.rng.randrange(len(traffic.ntp_clients))]
    server = traffic.topo.ntp
    traffic.conversation([(client, True, client.address, server, traffic.eph(), 123,
                        client.address, server, client.igw_path)],
                      17, traffic.start_time(1), 1, NTP, NTP)


def api_through_nat(traffic: Traffic) -> None:
    client, api = traffic.nat_clients[traffic.rng.randrange(len(traffic.nat_clients))]
    traffic.through_nat(client, api, 443, 6, traffic.intervals(3), API_REQ, API_RESP)


def gateway_endpoint(traffic: Traffic) -> None:
    role, rng = traffic.topo.role, traffic.rng
    choice = rng.randrange(4)
    if choice == 0:
        client, remote, request, response = (role["app-1"], traffic.topo.dynamodb, API_REQ,
                                             API_RESP)
    elif choice == 1:
        client, remote, request, response = (role["ecs-fargate"], traffic.topo.dynamodb,
                                             API_REQ, API_RESP)
    elif choice == 2:
        client, remote, request, response = (role["db"], traffic.topo.s3[0], UPLOAD_REQ,
                                             UPLOAD_RESP)
    else:
        client, remote, request, response = (role["batch"], traffic.topo.s3[rng.randrange(3)],
                                             DOWNLOAD_REQ, DOWNLOAD_RESP)
    sport = traffic.eph()
    intervals = traffic.intervals(4)
    traffic.conversation([(client, True, client.address, remote, sport, 443, client.address,
                        remote, client.endpoint_path)],
                      6, traffic.start_time(intervals), intervals, request, response)


def ipv6_client(traffic: Traffic) -> None:
    web = traffic.topo.role["ipv6-web"]
    assert web.ipv6 is not None
    client = traffic.public_client_v6()
    sport = traffic.rng.randrange(1024, 65536)
    intervals = traffic.intervals(3)
    traffic.conversation([(web, False, client, web.ipv6, sport, 443, client, web.ipv6,
                        web.igw_path)], 6, traffic.start_time(intervals), intervals,
                      HTTPS_REQ, HTTPS_RESP)


def ipv6_egress(traffic: Traffic) -> None:
    web, remote = traffic.topo.role["ipv6-web"], traffic.topo.ipv6_api
    assert web.ipv6 is not None
    intervals = traffic.intervals(2)
    traffic.conversation([(web, True, web.ipv6, remote, traffic.eph(), 443, web.ipv6, remote,
                        web.igw_path)], 6, traffic.start_time(intervals), intervals,
                      API_REQ, API_RESP)


def admin_ssh(traffic: Traffic) -> None:
    bastion = traffic.topo.role["bastion"]
    admin = traffic.topo.admins[traffic.rng.randrange(len(traffic.topo.admins))]
    intervals = traffic.rng.randint(2, 20)
    traffic.conversation([(bastion, False, admin, bastion.address, traffic.eph(), 22, admin,
                        bastion.address, bastion.igw_path)],
                      6, traffic.start_time(intervals), intervals, SSH_REQ, SSH_RESP)


def bastion_ssh(traffic: Traffic) -> None:
    role = traffic.topo.role
    target = (role["web-1"], role["app-1"], role["db"])[traffic.rng.randrange(3)]
    traffic.internal(role["bastion"], target, 22, 6, traffic.rng.randint(2, 15), SSH_REQ,
                  SSH_RESP)


def icmp(traffic: Traffic) -> None:
    role = traffic.topo.role
    bastion = role["bastion"]
    target = (role["web-1"], role["db"])[traffic.rng.randrange(2)]
    src, dst = bastion.address, target.address
    traffic.conversation([(bastion, True, src, dst, 0, 0, src, dst, 1),
                       (target, False, src, dst, 0, 0, src, dst, 1)],
                      1, traffic.start_time(1), 1, ICMP, ICMP)


def log_shipping(traffic: Traffic) -> None:
    if not traffic.extras:
        return
    client = traffic.extras[traffic.rng.randrange(len(traffic.extras))]
    remote = traffic.topo.logging
    intervals = traffic.intervals(3)
    traffic.conversation([(client, True, client.address, remote, traffic.eph(), 9200,
                        client.address, remote, 4)],
                      6, traffic.start_time(intervals), intervals, LOGS_REQ, LOGS_RESP)


def standby(traffic: Traffic) -> None:
    if "standby" in traffic.idle_roles:
        return
    traffic.internal(traffic.topo.role["standby"], traffic.topo.role["dns"], 53, 17, 1, DNS_REQ,
                  DNS_RESP)


def noise(traffic: Traffic) -> None:
    """Internet background radiation, REJECTed by security groups (or by BPA)."""
    rng = traffic.rng
    target = traffic.noise_targets[rng.randrange(len(traffic.noise_targets))]
    source, dst = traffic.public_client(NOISE_OCTETS), target.address
    reject = "BPA" if target.role == "batch" and traffic.topo.bpa else "-"
    start = traffic.start_time(5)
    kind = rng.random()
    if kind < 0.68:  # SYN probes of one to three ports
        sport = rng.randrange(1024, 65536)
        count = (1, 1, 1, 2, 3)[rng.randrange(5)]
        for port in rng.sample(NOISE_TCP_PORTS, count):
            packets = (1, 1, 2)[rng.randrange(3)]
            traffic.emit(target, source, dst, sport, port, 6, packets,
                      packets * (40, 44, 60)[rng.randrange(3)], start,
                      start + packets - 1, "REJECT", 2, "ingress", "-", source, dst, reject)
            start += rng.randrange(1, 90)
    elif kind < 0.8:  # UDP probe
        port = NOISE_UDP_PORTS[rng.randrange(len(NOISE_UDP_PORTS))]
        traffic.emit(target, source, dst, rng.randrange(1024, 65536), port, 17, 1,
                  rng.randrange(40, 120), start, start, "REJECT", 0, "ingress", "-",
                  source, dst, reject)
    elif kind < 0.9:  # backscatter of someone else's spoofed SYN flood
        sport = (80, 443)[rng.randrange(2)]
        for _ in range(rng.randint(1, 2)):
            flags = (18, 4)[rng.randrange(2)]
            traffic.emit(target, source, dst, sport, rng.randrange(1024, 65536), 6, 1,
                      44 if flags == 18 else 40, start, start, "REJECT", flags, "ingress",
                      "-", source, dst, reject)
            start += rng.randrange(1, 60)
    else:  # ping
        packets = rng.randint(1, 3)
        traffic.emit(target, source, dst, 0, 0, 1, packets, packets * 84, start,
                  start + packets - 1, "REJECT", 0, "ingress", "-", source, dst, reject)


# (weight, kind): how often each kind of conversation is picked.
BACKGROUND: tuple[tuple[float, Callable[[Traffic], None]], ...] = (
    (20, client_to_elb),
    (1, monitor_to_elb),
    (9, elb_to_backend),
    (7, web_to_app),
    (8, app_to_db),
    (12, dns_query),
    (4, dns_forward),
    (3, ntp),
    (6, api_through_nat),
    (5, gateway_endpoint),
    (5, ipv6_client),
    (2, ipv6_egress),
    (1.5, admin_ssh),
    (1.5, bastion_ssh),
    (2, icmp),
    (3, log_shipping),
    (0.5, standby),
)
_CUMULATIVE = [sum(weight for weight, _ in BACKGROUND[: k + 1])
               for k in range(len(BACKGROUND))]


def add_background(traffic: Traffic) -> None:
    """Add one background conversation (or one noise source's probes)."""
    if traffic.noise_records < traffic.noise_share * len(traffic.out):
        before = len(traffic.out)
        noise(traffic)
        traffic.noise_records += len(traffic.out) - before
        return
    pick = traffic.rng.random() * _CUMULATIVE[-1]
    BACKGROUND[bisect.bisect_right(_CUMULATIVE, pick)][1](traffic)
