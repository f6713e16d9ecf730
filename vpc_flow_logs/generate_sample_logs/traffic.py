"""Flow records of one account, region and day: timing, addresses, ports and the
records of a conversation on every interface that sees it."""

from __future__ import annotations

import bisect
import ipaddress
import random
from collections.abc import Callable, Sequence

from vpc_flow_logs.generate_sample_logs.topology import Interface, Topology

DAY = 86_400


# UTC hour weights: more traffic in business hours.
HOUR_WEIGHTS = (3, 2, 2, 2, 2, 3, 4, 6, 8, 9, 10, 10, 10, 10, 10, 10, 9, 8, 7, 6, 5, 5, 4, 3)


CLIENT_OCTETS = (
    24, 31, 37, 41, 46, 49, 58, 62, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 81,
    82, 83, 84, 85, 86, 87, 88, 90, 93, 94, 95, 96, 97, 98, 99, 101, 102, 105, 106, 109, 110,
    111, 112, 114, 115, 116, 117, 118, 119, 121, 122, 124, 125, 136, 138, 146, 147, 148, 154,
    158, 173, 174, 175, 176, 177, 180, 181, 182, 186, 187, 188, 189, 190, 191, 197, 200, 201,
    212, 213, 217, 219, 220,
)


NOISE_OCTETS = (45, 80, 89, 91, 92, 103, 107, 141, 159, 167, 178, 179, 183, 185, 193, 194, 195,
                205, 209, 218, 221, 222, 223)


NOISE_TCP_PORTS = (21, 22, 23, 25, 81, 110, 135, 139, 445, 1433, 1521, 2375, 3306, 3389, 5432,
                   5900, 5985, 6379, 7547, 8000, 8080, 8088, 8443, 8888, 9200, 11211, 27017)


NOISE_UDP_PORTS = (53, 123, 161, 1900, 5060, 5353, 11211)


# Request/response sizes per interval: ((min, max) packets, (min, max) bytes per packet).
Profile = tuple[tuple[int, int], tuple[int, int]]


HTTPS_REQ: Profile = ((4, 30), (60, 600))


HTTPS_RESP: Profile = ((4, 60), (300, 1448))


BACKEND_REQ: Profile = ((2, 20), (80, 900))


BACKEND_RESP: Profile = ((2, 40), (200, 1448))


DB_REQ: Profile = ((2, 40), (60, 400))


DB_RESP: Profile = ((2, 80), (100, 1448))


DNS_REQ: Profile = ((1, 1), (60, 90))


DNS_RESP: Profile = ((1, 1), (90, 400))


NTP: Profile = ((1, 1), (76, 76))


API_REQ: Profile = ((5, 40), (80, 800))


API_RESP: Profile = ((5, 120), (500, 1448))


DOWNLOAD_REQ: Profile = ((10, 400), (52, 120))


DOWNLOAD_RESP: Profile = ((20, 4000), (1200, 1448))


UPLOAD_REQ: Profile = ((500, 20000), (1200, 1448))


UPLOAD_RESP: Profile = ((200, 8000), (52, 60))


SSH_REQ: Profile = ((5, 200), (52, 300))


SSH_RESP: Profile = ((5, 300), (52, 1448))


ICMP: Profile = ((1, 4), (84, 84))


LOGS_REQ: Profile = ((10, 300), (400, 1448))


LOGS_RESP: Profile = ((5, 40), (60, 300))


# An observation of one conversation on one interface: (interface, the interface is on
# the client side, srcaddr, dstaddr, srcport, dstport, pkt-srcaddr, pkt-dstaddr, the
# traffic-path of whatever this interface sends) -- all for the request direction.
Observation = tuple["Interface", bool, str, str, int, int, str, str, int]


Item = tuple[int, str]  # (start, rendered line)


class Traffic:
    """Records of one account/region/day, rendered to lines as they are made: the
    primitives (one record, one conversation seen on every interface it crosses) the
    background kinds (:mod:`.background`) and the scenarios (:mod:`.scenarios`) use."""

    def __init__(self, topo: Topology, rng: random.Random, day_start: int,
                 templates: list[str], nodata_templates: list[str],
                 picker: Callable[[tuple], tuple], used: set[str],
                 idle_roles: frozenset[str] = frozenset()) -> None:
        self.topo = topo
        self.rng = rng
        self.day_start = day_start
        self.day_end = day_start + DAY
        self.templates = templates
        self.nodata_templates = nodata_templates
        self.pick = picker
        self.used = used
        self.idle_roles = idle_roles
        self.out: list[Item] = []
        self.services = topo.services
        self._hours = list(HOUR_WEIGHTS)
        self._cumulative = [sum(HOUR_WEIGHTS[: hour + 1]) for hour in range(24)]
        role = topo.role
        self.extras = [iface for iface in topo.interfaces if iface.role.startswith("app-")
                       and iface.role != "app-1"]
        self.db_clients = [role["app-1"], role["ecs-ec2"], *self.extras]
        self.dns_clients = [iface for iface in topo.interfaces
                            if iface.role not in ("elb", "nat", "dns", "standby")]
        self.ntp_clients = [role[name] for name in ("bastion", "web-1", "web-2", "ipv6-web")]
        self.noise_targets = [role[name] for name in ("bastion", "elb", "web-1", "web-2",
                                                      "ipv6-web", "batch")]
        self.nat_clients = [(role["app-1"], topo.apis[0]), (role["ecs-ec2"], topo.apis[1]),
                            (role["ecs-fargate"], topo.apis[2]), (role["legacy"], topo.apis[2]),
                            *((iface, topo.apis[2]) for iface in self.extras)]
        # Internet noise is kept at a share of the records that varies by day (3.5-7 %).
        self.noise_share = 0.035 + 0.035 * rng.random()
        self.noise_records = 0

    # ----------------------------------------------------------------- primitives

    def emit(self, iface: Interface, src: str, dst: str, sport: int, dport: int, proto: int,
             packets: int, nbytes: int, start: int, end: int, action: str, flags: int,
             direction: str, path: int | str, psrc: str, pdst: str,
             reject: str = "-") -> None:
        services = self.services
        values = (src, dst, sport, dport, proto, packets, nbytes, start, end, action, "OK",
                  flags, "IPv6" if ":" in src else "IPv4", psrc, pdst,
                  services.get(psrc, "-"), services.get(pdst, "-"), direction, path, reject)
        self.out.append((start, self.templates[iface.index] % self.pick(values)))

    def status_record(self, iface: Interface, start: int, status: str) -> None:
        """A NODATA or SKIPDATA record: '-' except version, account, interface, times."""
        values = ("-",) * 7 + (start, start + 59, "-", status) + ("-",) * 9
        self.out.append((start, self.nodata_templates[iface.index] % self.pick(values)))

    def start_time(self, intervals: int) -> int:
        rand = self.rng.random
        hour = bisect.bisect_right(self._cumulative, rand() * self._cumulative[-1])
        start = self.day_start + min(hour, 23) * 3600 + int(rand() * 3600)
        latest = self.day_end - 60 * intervals - 240
        return start if start <= latest else latest - int(rand() * 1800)

    def public_client(self, octets: Sequence[int] = CLIENT_OCTETS) -> str:
        rand, used = self.rng.random, self.used
        while True:
            address = (f"{octets[int(rand() * len(octets))]}.{int(rand() * 256)}."
                       f"{int(rand() * 256)}.{1 + int(rand() * 254)}")
            if address not in used:
                used.add(address)
                return address

    def public_client_v6(self) -> str:
        rng, used = self.rng, self.used
        while True:
            value = (0x20010DB8 << 96) | (rng.randrange(0xC000, 0xF000) << 80)
            address = str(ipaddress.IPv6Address(value | rng.getrandbits(80)))
            if address not in used:
                used.add(address)
                return address

    def eph(self) -> int:
        """A Linux ephemeral port (32768-60999)."""
        return 32768 + int(self.rng.random() * 28232)

    def conversation(self, observations: Sequence[Observation], proto: int, start: int,
                     intervals: int, request: Profile, response: Profile, *,
                     request_action: str = "ACCEPT", response_action: str = "ACCEPT") -> None:
        """One connection: per 60 s interval a request and a response record on every
        interface that sees it, with TCP flags as AWS ORs them per interval."""
        rand, emit = self.rng.random, self.emit  # random() is much faster than randint()
        (qp_lo, qp_hi), (qb_lo, qb_hi) = request
        (rp_lo, rp_hi), (rb_lo, rb_hi) = response
        qp_span, qb_span = qp_hi - qp_lo + 1, qb_hi - qb_lo + 1
        rp_span, rb_span = rp_hi - rp_lo + 1, rb_hi - rb_lo + 1
        for step in range(intervals):
            first = start if step == 0 else start + 60 * step + int(rand() * 3)
            if intervals == 1:
                last = first + int(rand() * 20)
            elif step < intervals - 1:
                last = first + 55 + int(rand() * 3)
            else:
                last = first + int(rand() * 50)
            if proto != 6:
                req_flags = resp_flags = 0
            elif intervals == 1:
                req_flags, resp_flags = 3, 19
            elif step == 0:
                req_flags, resp_flags = 2, 18
            elif step == intervals - 1:
                req_flags = resp_flags = 1
            else:
                req_flags = resp_flags = 0
            req_packets = qp_lo + int(rand() * qp_span)
            req_bytes = req_packets * (qb_lo + int(rand() * qb_span))
            resp_packets = rp_lo + int(rand() * rp_span)
            resp_bytes = resp_packets * (rb_lo + int(rand() * rb_span))
            for iface, client, src, dst, sport, dport, psrc, pdst, path in observations:
                if client:
                    emit(iface, src, dst, sport, dport, proto, req_packets, req_bytes, first,
                         last, request_action, req_flags, "egress", path, psrc, pdst)
                    emit(iface, dst, src, dport, sport, proto, resp_packets, resp_bytes, first,
                         last, response_action, resp_flags, "ingress", "-", pdst, psrc)
                else:
                    emit(iface, src, dst, sport, dport, proto, req_packets, req_bytes, first,
                         last, request_action, req_flags, "ingress", "-", psrc, pdst)
                    emit(iface, dst, src, dport, sport, proto, resp_packets, resp_bytes, first,
                         last, response_action, resp_flags, "egress", path, pdst, psrc)

    def internal(self, client: Interface, server: Interface, port: int, proto: int,
                 intervals: int, request: Profile, response: Profile,
                 client_addr: str | None = None, server_addr: str | None = None,
                 start: int | None = None) -> None:
        """A connection inside the VPC, seen on both interfaces."""
        src = client_addr or client.address
        dst = server_addr or server.address
        sport = self.eph()
        self.conversation(
            [(client, True, src, dst, sport, port, src, dst, 1),
             (server, False, src, dst, sport, port, src, dst, 1)],
            proto, self.start_time(intervals) if start is None else start, intervals,
            request, response)

    def through_nat(self, client: Interface, remote: str, port: int, proto: int,
                    intervals: int, request: Profile, response: Profile) -> None:
        """Private instance to the internet through the NAT gateway (AWS's example)."""
        nat = self.topo.role["nat"]
        sport, nat_port = self.eph(), self.rng.randrange(1024, 65536)
        src = client.address
        self.conversation(
            [(client, True, src, remote, sport, port, src, remote, 1),
             (nat, False, src, nat.address, sport, port, src, remote, 1),
             (nat, True, nat.address, remote, nat_port, port, nat.address, remote,
              nat.igw_path)],
            proto, self.start_time(intervals), intervals, request, response)

    def intervals(self, most: int) -> int:
        """1..most, mostly short."""
        return 1 + int(most * self.rng.random() ** 2)
