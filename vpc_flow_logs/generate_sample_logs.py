"""Generate VPC flow log files exactly as AWS delivers them to Amazon S3.

Usage::

    python -m vpc_flow_logs.generate_sample_logs --output sample_data --days 3

Layout, names and content follow AWS::

    <output>/AWSLogs/<account-id>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]
        <account-id>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz

* One file per account, region and delivery window (``--file-minutes``, 5 or 10).
  The time in the name is the start of the window; every record of a file starts
  inside that window, except late deliveries (below). Empty windows get no file.
* gzip text, ``\\n`` line ends, one space between fields, a header line naming the
  fields in order, ``-`` for "no value". ``--format`` picks a preset of ``FORMATS``
  or any space-separated list of AWS field names (versions 2 to 8); the ``version``
  value is the highest version among the chosen fields, as AWS writes it.
* Same arguments and seed give byte-identical files (gzip mtime 0, seeded RNGs).

Topology
    Each account/region has one VPC (10.x.0.0/16 or 172.16-31.x.0/20, IPv6
    2001:db8:a0xx::/48 and ULA fd00:ec2:xx::/48) with 14 to 20 network interfaces:
    bastion, load balancer (requester-managed, ``instance-id`` ``-``), two web
    servers, NAT gateway (requester-managed, ``pkt-srcaddr``/``pkt-dstaddr`` differ
    from ``srcaddr``/``dstaddr`` as in AWS's NAT gateway example), a dual-stack web
    server, app server, DNS forwarder, database, batch worker, an ECS task on EC2
    and one on Fargate (ECS fields filled, ``-`` elsewhere), a standby instance, a
    legacy Windows server and 0-6 extra app servers. In every second VPC one extra
    server sits in a Local Zone (``sublocation-*``) and VPC Block Public Access
    rejects internet traffic to the batch subnet (``reject-reason`` ``BPA``).
    Interface ids and addresses depend on the account and region position only,
    not on the seed, so ``SCENARIOS`` can name them.

Background traffic
    Requests with their responses on the same interface (addresses and ports
    swapped, the response comes from the service port): internet clients to the
    load balancer on 443/80 and balancer to web/ECS backends, web to app on 8080,
    app/ECS to PostgreSQL 5432, DNS (UDP 53) to the in-VPC forwarder and from it
    through the NAT gateway, NTP (UDP 123), HTTPS to a few external APIs through
    the NAT gateway, S3/DynamoDB through gateway endpoints (``pkt-*-aws-service``),
    IPv6 clients to the dual-stack server, admin SSH from the office range
    192.0.2.0/24, bastion SSH and ICMP (ports 0) inside the VPC, log shipping to a
    peered VPC. Long connections give one record per 60 s aggregation interval
    (``end - start`` <= 60) with OR'ed ``tcp-flags`` (2 SYN, 18 SYN-ACK, 3, 19, 1
    FIN, 4 RST, 0). 3.5-7 % of the records (by day) are REJECTed internet noise (SYN
    probes of 1-3 ports, UDP probes, SYN-ACK/RST backscatter, pings).
    No background source contacts more than 5 destination addresses or ports
    (responses aside): every instance talks to a fixed handful of peers and every
    internet client or noise source is used once.

Planted scenarios (first account, first region; all off with ``--no-scenarios``)
    Day indexes count from ``--start-date``; -1 is the last day. ``SCENARIOS``
    holds the addresses, interface ids, ports, times and counts of each;
    ``generate()`` returns them with absolute dates in ``GenerationSummary``.

    1. ssh_brute_force: 198.51.100.23 opens 10 ACCEPTed SSH connections to the
       bastion (day 0, 10:00-10:03 UTC); then a network ACL blocks it and its 110
       further attempts are REJECTed, at least one in every minute from 10:03 to
       10:32 (30 minutes), in bursts.
    2. rdp_probing: 203.0.113.77 tries TCP 3389 three times on each of 4 public
       instances (day 0, 14:00), all REJECTed.
    3. vertical_port_scan: 198.51.100.66 (source port 61000) probes 300 distinct
       ports of web-1 in 02:00-02:25 of the last day; REJECT except 80 and 443,
       which answer with SYN-ACK.
    4. horizontal_port_scan: the legacy server (a worm, inside the VPC) sweeps TCP
       445 on 60 addresses of the app subnet in 03:00-03:25 of the last day: ACCEPT
       egress records on its own interface, REJECTs on the targets that exist.
    5. large_egress: the batch worker sends 5 records of 3,000,000,000 bytes (one
       TLS connection, > 2**31 per record) to 203.0.113.200:443 (day 0, 20:00).
    6. nodata_skipdata: the standby interface is idle on day 0 and writes a NODATA
       record every hour; the load balancer writes 3 SKIPDATA records (06-08:00).
    7. ipv6: every day the dual-stack server talks to the database over ULA
       addresses (24 connections) and takes an SSH session from the office
       address 2001:db8:1000::25 (09:00).
    8. nacl_asymmetry: 198.51.100.150 opens 5 connections to web-2:8443 (day 0,
       16:00): requests ACCEPTed, the responses (same interface, addresses and
       ports swapped) REJECTed by a stateless network ACL.
    9. malformed (also off with ``--no-malformed``): three bad lines in three files
       of day 0 (05:00-05:30): too few fields, a non-numeric port (``dstport``
       ``dns``) and an unknown action (``DROP``). A kind is skipped when the format
       lacks its field.
    10. late delivery: a fraction (``--late-fraction``, default 0.01) of the
        background records of every day but the last is written into a file of the
        next day's folder, at most one day after their start.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import hashlib
import ipaddress
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from vpc_flow_logs.common import is_region, parse_date

V2_FIELDS = (
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
DEFAULT_FORMAT: list[str] = list(V2_FIELDS)
ALL_FIELDS: list[str] = V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS + V7_FIELDS + V8_FIELDS
FIELD_VERSION: dict[str, int] = {
    **dict.fromkeys(V2_FIELDS, 2), **dict.fromkeys(V3_FIELDS, 3),
    **dict.fromkeys(V4_FIELDS, 4), **dict.fromkeys(V5_FIELDS, 5),
    **dict.fromkeys(V7_FIELDS, 7), **dict.fromkeys(V8_FIELDS, 8),
}
FORMATS: dict[str, list[str]] = {
    "default": DEFAULT_FORMAT,
    "v3": V2_FIELDS + V3_FIELDS,
    "v5": V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS,
    "all": ALL_FIELDS,
}

# Fields whose value changes per record, in the order of the value tuples below.
# Every other field is a property of the network interface (or of the run: version).
DYNAMIC_FIELDS = (
    "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end",
    "action", "log-status", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
    "reject-reason",
)
_DYNAMIC_INDEX = {name: index for index, name in enumerate(DYNAMIC_FIELDS)}

DAY = 86_400
MAX_PAIRS = 64  # account x region combinations (each gets its own VPC address range)
FILE_MINUTES = (5, 10)
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


# --------------------------------------------------------------------------- helpers


def _hex(*parts: object, length: int = 17) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:length]


def _aws_id(prefix: str, *parts: object) -> str:
    """An AWS-style resource id: prefix, '0' and 16 hex digits (eni-0a1b...)."""
    return f"{prefix}-0{_hex(prefix, *parts, length=16)}"


def account_ids(count: int) -> list[str]:
    """The deterministic 12-digit account ids of the sample (111122223333, ...)."""
    return [f"{111122223333 + index * 111111111:012d}" for index in range(count)]


def flow_log_id(account: str, region: str) -> str:
    """The flow log id of an account/region (fl- and 17 hex digits)."""
    return "fl-" + _hex("flow-log", account, region)


def az_prefix(region: str) -> str:
    """AWS's short region code used in AZ ids: us-east-1 -> use1, ap-southeast-2 -> apse2."""
    short = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
             "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
             "gov": "g"}
    parts = region.split("-")
    return parts[0] + "".join(short.get(part, part[:1]) for part in parts[1:-1]) + parts[-1]


def _ipv4(pair: int, subnet: int, host: int) -> str:
    group = pair // 2
    if pair % 2 == 0:
        return f"10.{group}.{subnet}.{host}"
    return f"172.{16 + group % 16}.{(group // 16) * 8 + subnet}.{host}"


def _ipv6(text: str) -> str:
    return str(ipaddress.IPv6Address(text))


def _day_start(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _write_gzip(path: Path, lines: Sequence[str]) -> int:
    """Write lines as one gzip member (mtime 0, level 6); return the file size."""
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6,
                           mtime=0) as handle:
            handle.write(data)
        return raw.tell()


def write_flow_log_file(path: Path, fields: list[str], rows: list[list[str]] | list[str], *,
                        header: bool = True) -> None:
    """Write one flow log object as AWS does: gzip text, header line, `\\n` line ends.

    `rows` are token lists (joined with one space) or raw lines written as given, so
    tests can craft any content, malformed lines included.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [" ".join(fields)] if header else []
    lines += [row if isinstance(row, str) else " ".join(row) for row in rows]
    _write_gzip(path, lines)


def parse_format(text: str | Sequence[str]) -> list[str]:
    """A preset name, a space-separated field list or a list of fields, validated.

    Raises ValueError with one sentence when a field is unknown or repeated.
    """
    if isinstance(text, str):
        if text.strip() in FORMATS:
            return list(FORMATS[text.strip()])
        fields = text.split()
    else:
        fields = list(text)
    if not fields:
        raise ValueError("--format needs a preset (" + ", ".join(FORMATS) + ") or at least "
                         "one AWS flow log field name.")
    unknown = [name for name in fields if name not in FIELD_VERSION]
    if unknown:
        raise ValueError(f"--format has unknown field(s) {', '.join(unknown)}: use a preset "
                         f"({', '.join(FORMATS)}) or AWS field names such as "
                         "'srcaddr dstaddr action'.")
    repeated = sorted({name for name in fields if fields.count(name) > 1})
    if repeated:
        raise ValueError(f"--format repeats field(s) {', '.join(repeated)}: AWS allows each "
                         "field once.")
    return fields


def format_version(fields: Sequence[str]) -> int:
    """The `version` AWS writes for a format: the highest version among its fields."""
    return max(FIELD_VERSION[name] for name in fields)


# --------------------------------------------------------------------------- topology


@dataclass
class Interface:
    """One network interface and its static attributes."""

    index: int
    role: str
    eni: str
    instance_id: str
    subnet: int
    subnet_id: str
    az_id: str
    address: str
    public: bool
    managed: bool  # requester-managed or not Nitro: traffic-path 2 instead of 7/8
    ipv6: str | None = None
    ula: str | None = None
    sublocation: tuple[str, str] = ("-", "-")
    ecs: dict[str, str] | None = None

    @property
    def igw_path(self) -> int:
        return 2 if self.managed else 8

    @property
    def endpoint_path(self) -> int:
        return 2 if self.managed else 7


@dataclass
class Topology:
    """One account/region: its VPC, interfaces and the external peers they talk to."""

    account: str
    region: str
    region_index: int
    pair: int
    vpc_id: str
    interfaces: list[Interface]
    role: dict[str, Interface]
    ntp: str
    forwarders: tuple[str, ...]
    apis: tuple[str, ...]
    s3: tuple[str, ...]
    dynamodb: str
    monitor: str
    logging: str
    ipv6_api: str
    admins: tuple[str, ...]
    services: dict[str, str]
    bpa: bool

    @property
    def flow_log_id(self) -> str:
        return flow_log_id(self.account, self.region)


# role, subnet, host, has a public IP, requester-managed
_ROLES = (
    ("bastion", 0, 10, True, False),
    ("elb", 0, 20, True, True),
    ("web-1", 0, 31, True, False),
    ("web-2", 0, 32, True, False),
    ("nat", 0, 40, True, True),
    ("ipv6-web", 0, 50, True, False),
    ("app-1", 1, 10, False, False),
    ("ecs-ec2", 1, 20, False, False),
    ("ecs-fargate", 1, 21, False, True),
    ("standby", 1, 30, False, False),
    ("db", 2, 10, False, False),
    ("dns", 2, 20, False, False),
    ("legacy", 2, 30, False, False),
    ("batch", 3, 10, True, False),
)
_S3_PREFIX = {"us-east-1": "52.216", "us-east-2": "52.219", "us-west-2": "52.92",
              "eu-west-1": "52.218", "eu-central-1": "52.219"}
_LOCAL_ZONE = {"us-east-1": "bos1", "us-west-2": "lax1", "eu-central-1": "ham1"}


def _ecs_attributes(role: str, account: str, region: str, region_index: int,
                    ec2_instance: str) -> dict[str, str]:
    cluster = "shop-prod"
    base = f"arn:aws:ecs:{region}:{account}"
    task_id = _hex("task", account, region_index, role, length=32)
    if role == "ecs-ec2":
        container_instance = _hex("container-instance", account, region_index, length=32)
        return {
            "instance-id": ec2_instance,
            "ecs-cluster-arn": f"{base}:cluster/{cluster}", "ecs-cluster-name": cluster,
            "ecs-container-instance-arn":
                f"{base}:container-instance/{cluster}/{container_instance}",
            "ecs-container-instance-id": container_instance,
            "ecs-container-id": _hex("container", task_id, 1, length=64),
            "ecs-second-container-id": _hex("container", task_id, 2, length=64),
            "ecs-service-name": "checkout",
            "ecs-task-definition-arn": f"{base}:task-definition/checkout:42",
            "ecs-task-arn": f"{base}:task/{cluster}/{task_id}", "ecs-task-id": task_id,
        }
    return {  # Fargate: no container instance, runtime ids are <task-id>-<number>
        "instance-id": "-",
        "ecs-cluster-arn": f"{base}:cluster/{cluster}", "ecs-cluster-name": cluster,
        "ecs-container-instance-arn": "-", "ecs-container-instance-id": "-",
        "ecs-container-id": f"{task_id}-{int(_hex('runtime', task_id, length=8), 16)}",
        "ecs-second-container-id": "-", "ecs-service-name": "worker",
        "ecs-task-definition-arn": f"{base}:task-definition/worker:7",
        "ecs-task-arn": f"{base}:task/{cluster}/{task_id}", "ecs-task-id": task_id,
    }


def build_topology(account: str, region: str, region_index: int, pair: int) -> Topology:
    """The VPC of one account/region. Ids depend on account and region position only."""
    prefix = az_prefix(region)
    subnet_ids = [_aws_id("subnet", account, region_index, number) for number in range(5)]
    extras = int(_hex("extras", account, region_index), 16) % 7
    roles = list(_ROLES) + [(f"app-{2 + k}", 1, 40 + k, False, False) for k in range(extras)]
    interfaces: list[Interface] = []
    for index, (role, subnet, host, public, managed) in enumerate(roles):
        az = f"{prefix}-az{1 if subnet in (0, 2) else 2}"
        sublocation = ("-", "-")
        if pair % 2 == 1 and extras and index == len(roles) - 1:  # a Local Zone server
            subnet = 4
            zone = f"{prefix}-{_LOCAL_ZONE.get(region, 'lz1')}-az1"
            az, sublocation = zone, ("localzone", zone)
        instance = "-" if managed else _aws_id("i", account, region_index, role)
        iface = Interface(
            index=index, role=role, eni=_aws_id("eni", account, region_index, role),
            instance_id=instance, subnet=subnet, subnet_id=subnet_ids[subnet], az_id=az,
            address=_ipv4(pair, subnet, host), public=public, managed=managed,
            sublocation=sublocation,
        )
        if role.startswith("ecs-"):
            iface.ecs = _ecs_attributes(role, account, region, region_index,
                                        _aws_id("i", account, region_index, "ecs-host"))
            iface.instance_id = iface.ecs.pop("instance-id")
        if role == "ipv6-web":
            iface.ipv6 = _ipv6(f"2001:db8:{0xa000 + pair:x}:{subnet:x}00::{host:x}")
        if role in ("ipv6-web", "db"):
            iface.ula = _ipv6(f"fd00:ec2:{pair:x}:{subnet:x}::{host:x}")
        interfaces.append(iface)

    def number(name: str, modulo: int, offset: int = 0) -> int:
        return int(_hex(name, account, region_index, length=8), 16) % modulo + offset

    s3_prefix = _S3_PREFIX.get(region, "3.5")
    apis = (f"104.18.{number('api0', 200, 1)}.{number('api0h', 254, 1)}",
            f"151.101.{number('api1', 200, 1)}.{number('api1h', 254, 1)}",
            f"52.94.{number('api2', 24, 224)}.{number('api2h', 254, 1)}")
    s3 = tuple(f"{s3_prefix}.{number(f's3-{k}', 250, 1)}.{number(f's3h-{k}', 254, 1)}"
               for k in range(3))
    dynamodb = f"52.94.{number('ddb', 8)}.{number('ddbh', 254, 1)}"
    monitor = f"54.{number('mon', 150, 80)}.{number('mon2', 256)}.{number('mon3', 254, 1)}"
    services = {apis[2]: "AMAZON", dynamodb: "DYNAMODB", monitor: "EC2",
                **dict.fromkeys(s3, "S3")}
    ntp_servers = ("129.6.15.28", "162.159.200.123", "216.239.35.0", "132.163.96.1",
                   "194.58.202.20", "17.253.14.251")
    return Topology(
        account=account, region=region, region_index=region_index, pair=pair,
        vpc_id=_aws_id("vpc", account, region_index), interfaces=interfaces,
        role={iface.role: iface for iface in interfaces},
        ntp=ntp_servers[pair % len(ntp_servers)], forwarders=("1.1.1.1", "8.8.8.8"),
        apis=apis, s3=s3, dynamodb=dynamodb, monitor=monitor, logging="10.250.0.10",
        ipv6_api="2001:db8:feed::10",
        admins=tuple(f"192.0.2.{10 + pair * 3 + k}" for k in range(3)),
        services=services, bpa=pair % 2 == 1,
    )


def _static_values(topo: Topology, iface: Interface, version: str) -> dict[str, str]:
    values = {
        "version": version, "account-id": topo.account, "interface-id": iface.eni,
        "vpc-id": topo.vpc_id, "subnet-id": iface.subnet_id, "instance-id": iface.instance_id,
        "region": topo.region, "az-id": iface.az_id,
        "sublocation-type": iface.sublocation[0], "sublocation-id": iface.sublocation[1],
    }
    for name in V7_FIELDS:
        values[name] = iface.ecs[name] if iface.ecs else "-"
    return values


def _template(fields: Sequence[str], static: dict[str, str]) -> str:
    return " ".join("%s" if name in _DYNAMIC_INDEX else static[name].replace("%", "%%")
                    for name in fields)


def _picker(fields: Sequence[str]) -> Callable[[tuple], tuple]:
    positions = [_DYNAMIC_INDEX[name] for name in fields if name in _DYNAMIC_INDEX]
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return itemgetter(*positions)


# --------------------------------------------------------------------------- scenarios


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
            "dstaddrs": [_ipv4(0, 1, host) for host in range(4, 64)],
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


# --------------------------------------------------------------------------- traffic


class _Traffic:
    """Records of one account/region/day, rendered to lines as they are made."""

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
        self.kinds: list[Callable[[], None]] = []
        weights: list[float] = []
        for weight, kind in (
            (20, self.client_to_elb), (1, self.monitor_to_elb), (9, self.elb_to_backend),
            (7, self.web_to_app), (8, self.app_to_db), (12, self.dns_query),
            (4, self.dns_forward), (3, self.ntp), (6, self.api_through_nat),
            (5, self.gateway_endpoint), (5, self.ipv6_client), (2, self.ipv6_egress),
            (1.5, self.admin_ssh), (1.5, self.bastion_ssh), (2, self.icmp),
            (3, self.log_shipping), (0.5, self.standby),
        ):
            weights.append(weight)
            self.kinds.append(kind)
        self._kind_cumulative = [sum(weights[: k + 1]) for k in range(len(weights))]
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

    # ----------------------------------------------------------------- background kinds

    def random_kind(self) -> None:
        """Add one background conversation (or one noise source's probes)."""
        if self.noise_records < self.noise_share * len(self.out):
            before = len(self.out)
            self.noise()
            self.noise_records += len(self.out) - before
            return
        pick = self.rng.random() * self._kind_cumulative[-1]
        self.kinds[bisect.bisect_right(self._kind_cumulative, pick)]()

    def client_to_elb(self) -> None:
        elb = self.topo.role["elb"]
        client = self.public_client()
        port = 443 if self.rng.random() < 0.92 else 80
        sport = self.rng.randrange(1024, 65536)
        self.conversation([(elb, False, client, elb.address, sport, port, client, elb.address,
                            elb.igw_path)], 6, self.start_time(3), self.intervals(3),
                          HTTPS_REQ, HTTPS_RESP)

    def monitor_to_elb(self) -> None:
        elb, monitor = self.topo.role["elb"], self.topo.monitor
        sport = self.rng.randrange(1024, 65536)
        self.conversation([(elb, False, monitor, elb.address, sport, 443, monitor, elb.address,
                            elb.igw_path)], 6, self.start_time(1), 1, HTTPS_REQ, HTTPS_RESP)

    def elb_to_backend(self) -> None:
        role = self.topo.role
        target = (role["web-1"], role["web-2"], role["ecs-ec2"], role["ecs-fargate"])[
            self.rng.randrange(4)]
        port = 8080 if target.role.startswith("ecs") else 80
        self.internal(role["elb"], target, port, 6, self.rng.randint(1, 6), BACKEND_REQ,
                      BACKEND_RESP)

    def web_to_app(self) -> None:
        role = self.topo.role
        web = (role["web-1"], role["web-2"], role["ipv6-web"])[self.rng.randrange(3)]
        self.internal(web, role["app-1"], 8080, 6, self.intervals(4), BACKEND_REQ, BACKEND_RESP)

    def app_to_db(self) -> None:
        client = self.db_clients[self.rng.randrange(len(self.db_clients))]
        self.internal(client, self.topo.role["db"], 5432, 6, self.rng.randint(2, 10), DB_REQ,
                      DB_RESP)

    def dns_query(self) -> None:
        client = self.dns_clients[self.rng.randrange(len(self.dns_clients))]
        self.internal(client, self.topo.role["dns"], 53, 17, 1, DNS_REQ, DNS_RESP)

    def dns_forward(self) -> None:
        forwarder = self.topo.forwarders[self.rng.randrange(2)]
        self.through_nat(self.topo.role["dns"], forwarder, 53, 17, 1, DNS_REQ, DNS_RESP)

    def ntp(self) -> None:
        client = self.ntp_clients[self.rng.randrange(len(self.ntp_clients))]
        server = self.topo.ntp
        self.conversation([(client, True, client.address, server, self.eph(), 123,
                            client.address, server, client.igw_path)],
                          17, self.start_time(1), 1, NTP, NTP)

    def api_through_nat(self) -> None:
        client, api = self.nat_clients[self.rng.randrange(len(self.nat_clients))]
        self.through_nat(client, api, 443, 6, self.intervals(3), API_REQ, API_RESP)

    def gateway_endpoint(self) -> None:
        role, rng = self.topo.role, self.rng
        choice = rng.randrange(4)
        if choice == 0:
            client, remote, request, response = (role["app-1"], self.topo.dynamodb, API_REQ,
                                                 API_RESP)
        elif choice == 1:
            client, remote, request, response = (role["ecs-fargate"], self.topo.dynamodb,
                                                 API_REQ, API_RESP)
        elif choice == 2:
            client, remote, request, response = (role["db"], self.topo.s3[0], UPLOAD_REQ,
                                                 UPLOAD_RESP)
        else:
            client, remote, request, response = (role["batch"], self.topo.s3[rng.randrange(3)],
                                                 DOWNLOAD_REQ, DOWNLOAD_RESP)
        sport = self.eph()
        intervals = self.intervals(4)
        self.conversation([(client, True, client.address, remote, sport, 443, client.address,
                            remote, client.endpoint_path)],
                          6, self.start_time(intervals), intervals, request, response)

    def ipv6_client(self) -> None:
        web = self.topo.role["ipv6-web"]
        assert web.ipv6 is not None
        client = self.public_client_v6()
        sport = self.rng.randrange(1024, 65536)
        intervals = self.intervals(3)
        self.conversation([(web, False, client, web.ipv6, sport, 443, client, web.ipv6,
                            web.igw_path)], 6, self.start_time(intervals), intervals,
                          HTTPS_REQ, HTTPS_RESP)

    def ipv6_egress(self) -> None:
        web, remote = self.topo.role["ipv6-web"], self.topo.ipv6_api
        assert web.ipv6 is not None
        intervals = self.intervals(2)
        self.conversation([(web, True, web.ipv6, remote, self.eph(), 443, web.ipv6, remote,
                            web.igw_path)], 6, self.start_time(intervals), intervals,
                          API_REQ, API_RESP)

    def admin_ssh(self) -> None:
        bastion = self.topo.role["bastion"]
        admin = self.topo.admins[self.rng.randrange(len(self.topo.admins))]
        intervals = self.rng.randint(2, 20)
        self.conversation([(bastion, False, admin, bastion.address, self.eph(), 22, admin,
                            bastion.address, bastion.igw_path)],
                          6, self.start_time(intervals), intervals, SSH_REQ, SSH_RESP)

    def bastion_ssh(self) -> None:
        role = self.topo.role
        target = (role["web-1"], role["app-1"], role["db"])[self.rng.randrange(3)]
        self.internal(role["bastion"], target, 22, 6, self.rng.randint(2, 15), SSH_REQ,
                      SSH_RESP)

    def icmp(self) -> None:
        role = self.topo.role
        bastion = role["bastion"]
        target = (role["web-1"], role["db"])[self.rng.randrange(2)]
        src, dst = bastion.address, target.address
        self.conversation([(bastion, True, src, dst, 0, 0, src, dst, 1),
                           (target, False, src, dst, 0, 0, src, dst, 1)],
                          1, self.start_time(1), 1, ICMP, ICMP)

    def log_shipping(self) -> None:
        if not self.extras:
            return
        client = self.extras[self.rng.randrange(len(self.extras))]
        remote = self.topo.logging
        intervals = self.intervals(3)
        self.conversation([(client, True, client.address, remote, self.eph(), 9200,
                            client.address, remote, 4)],
                          6, self.start_time(intervals), intervals, LOGS_REQ, LOGS_RESP)

    def standby(self) -> None:
        if "standby" in self.idle_roles:
            return
        self.internal(self.topo.role["standby"], self.topo.role["dns"], 53, 17, 1, DNS_REQ,
                      DNS_RESP)

    def noise(self) -> None:
        """Internet background radiation, REJECTed by security groups (or by BPA)."""
        rng = self.rng
        target = self.noise_targets[rng.randrange(len(self.noise_targets))]
        source, dst = self.public_client(NOISE_OCTETS), target.address
        reject = "BPA" if target.role == "batch" and self.topo.bpa else "-"
        start = self.start_time(5)
        kind = rng.random()
        if kind < 0.68:  # SYN probes of one to three ports
            sport = rng.randrange(1024, 65536)
            count = (1, 1, 1, 2, 3)[rng.randrange(5)]
            for port in rng.sample(NOISE_TCP_PORTS, count):
                packets = (1, 1, 2)[rng.randrange(3)]
                self.emit(target, source, dst, sport, port, 6, packets,
                          packets * (40, 44, 60)[rng.randrange(3)], start,
                          start + packets - 1, "REJECT", 2, "ingress", "-", source, dst, reject)
                start += rng.randrange(1, 90)
        elif kind < 0.8:  # UDP probe
            port = NOISE_UDP_PORTS[rng.randrange(len(NOISE_UDP_PORTS))]
            self.emit(target, source, dst, rng.randrange(1024, 65536), port, 17, 1,
                      rng.randrange(40, 120), start, start, "REJECT", 0, "ingress", "-",
                      source, dst, reject)
        elif kind < 0.9:  # backscatter of someone else's spoofed SYN flood
            sport = (80, 443)[rng.randrange(2)]
            for _ in range(rng.randint(1, 2)):
                flags = (18, 4)[rng.randrange(2)]
                self.emit(target, source, dst, sport, rng.randrange(1024, 65536), 6, 1,
                          44 if flags == 18 else 40, start, start, "REJECT", flags, "ingress",
                          "-", source, dst, reject)
                start += rng.randrange(1, 60)
        else:  # ping
            packets = rng.randint(1, 3)
            self.emit(target, source, dst, 0, 0, 1, packets, packets * 84, start,
                      start + packets - 1, "REJECT", 0, "ingress", "-", source, dst, reject)


# --------------------------------------------------------------------------- planted


def _planted(traffic: _Traffic, name: str, day_index: int, days: int) -> None:
    """Write the records of one planted scenario into traffic.out (if due that day)."""
    spec = SCENARIOS[name]
    wanted = spec.get("day_index", 0)
    if isinstance(wanted, int) and day_index != (wanted if wanted >= 0 else days + wanted):
        return
    topo, rng = traffic.topo, traffic.rng
    role = topo.role
    emit = traffic.emit
    day = traffic.day_start
    if name == "ssh_brute_force":
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
    elif name == "rdp_probing":
        for number, target_name in enumerate(("bastion", "web-1", "web-2", "ipv6-web")):
            target = role[target_name]
            for attempt in range(spec["rejects_per_instance"]):
                start = day + spec["hour"] * 3600 + number * 120 + attempt * 20
                emit(target, spec["srcaddr"], target.address, 50000 + number * 10 + attempt,
                     3389, 6, 2, 104, start, start + 1, "REJECT", 2, "ingress", "-",
                     spec["srcaddr"], target.address)
    elif name == "vertical_port_scan":
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
    elif name == "horizontal_port_scan":
        worm = role["legacy"]
        by_address = {iface.address: iface for iface in topo.interfaces}
        targets = [_ipv4(topo.pair, 1, host) for host in range(4, 4 + spec["distinct_addrs"])]
        for number, address in enumerate(targets):
            start = day + spec["hour"] * 3600 + number * spec["minutes"] * 60 // len(targets)
            sport = 49200 + number * 7
            emit(worm, worm.address, address, sport, 445, 6, 2, 104, start, start + 1,
                 "ACCEPT", 2, "egress", 1, worm.address, address)
            victim = by_address.get(address)
            if victim is not None and victim.role not in traffic.idle_roles:
                emit(victim, worm.address, address, sport, 445, 6, 2, 104, start, start + 1,
                     "REJECT", 2, "ingress", "-", worm.address, address)
    elif name == "large_egress":
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
    elif name == "nodata_skipdata":
        for hour in range(spec["nodata_records"]):
            traffic.status_record(role["standby"], day + hour * 3600, "NODATA")
        for hour in spec["skipdata_hours"]:
            traffic.status_record(role["elb"], day + hour * 3600, "SKIPDATA")
    elif name == "ipv6":
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
    elif name == "nacl_asymmetry":
        web, client = role["web-2"], spec["client"]
        for number in range(spec["connections"]):
            start = day + spec["hour"] * 3600 + number * 30
            sport = 51000 + number
            emit(web, client, web.address, sport, spec["server_port"], 6, 3, 180, start,
                 start + 6, "ACCEPT", 2, "ingress", "-", client, web.address)
            emit(web, web.address, client, spec["server_port"], sport, 6, 3, 180, start,
                 start + 6, "REJECT", 18, "egress", web.igw_path, web.address, client)


def _malformed_lines(topo: Topology, fields: list[str], version: str, day: int,
                     picker: Callable[[tuple], tuple]) -> list[tuple[int, str]]:
    """(start, line) for each planted malformed line the format allows."""
    bastion, dns = topo.role["bastion"], topo.role["dns"]
    template = _template(fields, _static_values(topo, bastion, version))
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


# --------------------------------------------------------------------------- generate


@dataclass
class GenerationSummary:
    """What `generate` wrote."""

    output: Path
    fields: list[str]
    first_day: date
    days: int
    accounts: list[str]
    regions: list[str]
    files: int = 0
    records: int = 0  # data lines that are valid records (flow, NODATA, SKIPDATA)
    background_records: int = 0
    planted_records: int = 0
    malformed_lines: int = 0
    late_records: int = 0
    bytes_written: int = 0
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)

    def describe(self) -> str:
        return (f"Wrote {self.files} files, {self.records} records ({self.planted_records} "
                f"planted, {self.late_records} delivered late, {self.malformed_lines} malformed "
                f"lines), {self.bytes_written / 1e6:.1f} MB gzip under "
                f"{self.output / 'AWSLogs'}")


def _check_arguments(start_date: str | date, days: int, accounts: int, regions: list[str],
                     records: int, late_fraction: float, file_minutes: int) -> date:
    first = start_date if isinstance(start_date, date) else parse_date(str(start_date),
                                                                        "--start-date")
    if first.year < 2000:
        raise ValueError("--start-date must be 2000-01-01 or later.")
    if not 1 <= days <= 366:
        raise ValueError(f"--days must be between 1 and 366, got {days}.")
    if accounts < 1:
        raise ValueError(f"--accounts must be at least 1, got {accounts}.")
    if not regions:
        raise ValueError("--regions needs at least one region, e.g. us-east-1,eu-west-1.")
    for region in regions:
        if not is_region(region):
            raise ValueError(f"--regions has {region!r}, which is not an AWS region name "
                             "like us-east-1.")
    if len(set(regions)) != len(regions):
        raise ValueError("--regions lists a region twice.")
    if accounts * len(regions) > MAX_PAIRS:
        raise ValueError(f"--accounts times the number of regions must be at most {MAX_PAIRS},"
                         f" got {accounts * len(regions)}.")
    if not 0 <= records <= 200_000_000:
        raise ValueError(f"--records must be between 0 and 200000000, got {records}.")
    if not 0 <= late_fraction <= 0.5:
        raise ValueError(f"--late-fraction must be between 0 and 0.5, got {late_fraction}.")
    if file_minutes not in FILE_MINUTES:
        raise ValueError(f"--file-minutes must be 5 or 10, got {file_minutes}.")
    return first


def _split(total: int, weights: list[float]) -> list[int]:
    """Split total into integers proportional to weights (largest remainder, stable)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda k: (counts[k] - shares[k], k))
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return counts


def generate(output: Path | str = "sample_data", *, start_date: str | date = "2024-06-01",
             days: int = 3, accounts: int = 2,
             regions: str | Sequence[str] = ("us-east-1", "eu-west-1"), records: int = 50_000,
             seed: int = 7, fields: str | Sequence[str] = "default", hourly: bool = False,
             scenarios: bool = True, malformed: bool = True, late_fraction: float = 0.01,
             file_minutes: int = 10, progress: bool = False) -> GenerationSummary:
    """Write the sample flow log files under `output`/AWSLogs and return a summary.

    `records` is the total number of valid records (background and planted); the
    planted scenarios are always written whole, so at least their records appear.
    `fields` is a preset name of FORMATS, a space-separated field list or a list.
    Raises ValueError (one sentence) on invalid arguments. Existing files with the
    same names are overwritten; nothing else is deleted.
    """
    region_list = ([part.strip() for part in regions.split(",") if part.strip()]
                   if isinstance(regions, str) else list(regions))
    first = _check_arguments(start_date, days, accounts, region_list, records, late_fraction,
                             file_minutes)
    field_list = parse_format(fields)
    version = str(format_version(field_list))
    picker = _picker(field_list)
    window = file_minutes * 60
    output = Path(output)
    account_list = account_ids(accounts)
    topologies = [build_topology(account, region, region_index,
                                 account_index * len(region_list) + region_index)
                  for account_index, account in enumerate(account_list)
                  for region_index, region in enumerate(region_list)]
    summary = GenerationSummary(output=output, fields=field_list, first_day=first, days=days,
                                accounts=account_list, regions=region_list)
    first_epoch = _day_start(first)
    late_on = scenarios and late_fraction > 0
    used: set[str] = set()
    for topo in topologies:
        used.update((topo.ntp, *topo.forwarders, *topo.apis, *topo.s3, topo.dynamodb,
                     topo.monitor))

    def traffic_for(topo: Topology, day_index: int, rng: random.Random) -> _Traffic:
        templates, nodata = [], []
        for iface in topo.interfaces:
            static = _static_values(topo, iface, version)
            templates.append(_template(field_list, static))
            status = {name: "-" for name in static}
            status.update({"version": version, "account-id": topo.account,
                           "interface-id": iface.eni})
            nodata.append(_template(field_list, status))
        idle = frozenset({"standby"}) if (scenarios and topo.pair == 0 and day_index == 0) \
            else frozenset()
        return _Traffic(topo, rng, first_epoch + day_index * DAY, templates, nodata, picker,
                        used, idle)

    # Planted records first: the background fills the rest of `records`.
    planted: dict[tuple[int, int], list[Item]] = defaultdict(list)
    bad_lines: dict[int, list[str]] = defaultdict(list)
    if scenarios:
        topo = topologies[0]
        for day_index in range(days):
            for name in ("ssh_brute_force", "rdp_probing", "vertical_port_scan",
                         "horizontal_port_scan", "large_egress", "nodata_skipdata", "ipv6",
                         "nacl_asymmetry"):
                traffic = traffic_for(topo, day_index,
                                      random.Random(f"planted|{name}|{day_index}"))
                _planted(traffic, name, day_index, days)
                planted[(0, day_index)].extend(traffic.out)
                if traffic.out:
                    info = summary.scenarios.setdefault(name, {
                        **SCENARIOS[name], "account_id": topo.account, "region": topo.region,
                        "records": 0, "dates": []})
                    info["records"] += len(traffic.out)
                    info["dates"].append(first.toordinal() + day_index)
        if malformed:
            day = first_epoch
            lines = _malformed_lines(topo, field_list, version, day, picker)
            for start, line in lines:
                bad_lines[start - start % window].append(line)
            summary.malformed_lines = len(lines)
            summary.scenarios["malformed"] = {
                **SCENARIOS["malformed"], "account_id": topo.account, "region": topo.region,
                "lines": len(lines), "dates": [first.toordinal()]}
        if late_on:
            summary.scenarios["late_delivery"] = {**SCENARIOS["late_delivery"],
                                                  "fraction": late_fraction}
        for info in summary.scenarios.values():
            if "dates" in info:
                info["dates"] = [date.fromordinal(value).isoformat() for value in info["dates"]]
    summary.planted_records = sum(len(items) for items in planted.values())
    background = max(0, records - summary.planted_records)
    pair_weights = [0.6 + int(_hex("volume", topo.account, topo.region_index, length=4), 16)
                    / 0xFFFF * 0.8 for topo in topologies]
    quotas = _split(background, [weight for weight in pair_weights for _ in range(days)])

    try:
        from tqdm import tqdm
        bar = tqdm(total=len(topologies) * days, unit="day", desc="flow logs",
                   disable=not progress, file=sys.stderr)
    except ImportError:  # pragma: no cover - tqdm is a project dependency
        bar = None
    made_dirs: set[Path] = set()
    for pair_index, topo in enumerate(topologies):
        buckets: dict[int, list[Item]] = defaultdict(list)
        for day_index in range(days):
            day_start = first_epoch + day_index * DAY
            quota = quotas[pair_index * days + day_index]
            rng = random.Random(f"{seed}|{topo.account}|{topo.region}|{day_index}")
            traffic = traffic_for(topo, day_index, rng)
            while len(traffic.out) < quota:
                traffic.random_kind()
            del traffic.out[quota:]
            summary.background_records += quota
            late_rng = random.Random(f"late|{seed}|{topo.account}|{topo.region}|{day_index}")
            next_day = day_start + DAY
            may_be_late = late_on and day_index < days - 1
            for item in traffic.out:
                start = item[0]
                if may_be_late and late_rng.random() < late_fraction:
                    delivered = late_rng.randrange(next_day, start + DAY + 1)
                    summary.late_records += 1
                else:
                    delivered = start
                buckets[delivered - delivered % window].append(item)
            for item in planted.get((pair_index, day_index), ()):
                buckets[item[0] - item[0] % window].append(item)
            slots = {key for key in buckets if key < next_day}
            if pair_index == 0:  # a malformed line may sit in an otherwise empty window
                slots.update(key for key in bad_lines if key < next_day)
            for slot in sorted(slots):
                items = buckets.pop(slot, [])
                items.sort(key=itemgetter(0))
                lines = [line for _, line in items]
                extra = bad_lines.pop(slot, []) if pair_index == 0 else []
                if extra:
                    middle = len(lines) // 2
                    lines[middle:middle] = extra
                moment = datetime.fromtimestamp(slot, UTC)
                folder = (output / "AWSLogs" / topo.account / "vpcflowlogs" / topo.region
                          / moment.strftime("%Y/%m/%d"))
                if hourly:
                    folder = folder / moment.strftime("%H")
                if folder not in made_dirs:
                    folder.mkdir(parents=True, exist_ok=True)
                    made_dirs.add(folder)
                stamp = moment.strftime("%Y%m%dT%H%MZ")
                digest = _hex("file", seed, topo.account, topo.region, stamp, length=8)
                name = (f"{topo.account}_vpcflowlogs_{topo.region}_{topo.flow_log_id}_{stamp}_"
                        f"{digest}.log.gz")
                summary.bytes_written += _write_gzip(folder / name,
                                                     [" ".join(field_list), *lines])
                summary.files += 1
                summary.records += len(items)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return summary


# --------------------------------------------------------------------------- CLI


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.generate_sample_logs",
        description="Write sample VPC flow log files laid out exactly as AWS delivers them "
                    "to S3 (AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/...log.gz), "
                    "with planted security scenarios described in the module docstring.",
        epilog="Same arguments and seed give byte-identical files. Exit status 2 on "
               "invalid arguments.")
    parser.add_argument("--output", default="sample_data",
                        help="folder that will contain AWSLogs/ (default: sample_data)")
    parser.add_argument("--start-date", default="2024-06-01",
                        help="first UTC day, YYYY-MM-DD (default: 2024-06-01)")
    parser.add_argument("--days", type=int, default=3, help="number of days (default: 3)")
    parser.add_argument("--accounts", type=int, default=2,
                        help="number of AWS accounts, ids 111122223333, 111233334444, ... "
                             "(default: 2)")
    parser.add_argument("--regions", default="us-east-1,eu-west-1",
                        help="comma-separated regions (default: us-east-1,eu-west-1)")
    parser.add_argument("--records", type=int, default=50_000,
                        help="total records over all days, accounts and regions; planted "
                             "scenarios are always complete (default: 50000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument("--format", default="default", dest="format",
                        help="a preset (" + ", ".join(FORMATS) + ") or a quoted, "
                             "space-separated list of AWS field names (default: default)")
    parser.add_argument("--hourly", action="store_true",
                        help="hourly partitions: .../YYYY/MM/DD/HH/ as with AWS's "
                             "per-hour partition option")
    parser.add_argument("--file-minutes", type=int, default=10, choices=FILE_MINUTES,
                        help="delivery window of each file in minutes (default: 10)")
    parser.add_argument("--no-scenarios", action="store_true",
                        help="background traffic only: no planted scenarios, malformed lines "
                             "or late deliveries")
    parser.add_argument("--no-malformed", action="store_true",
                        help="do not plant the malformed lines")
    parser.add_argument("--late-fraction", type=float, default=0.01,
                        help="share of background records delivered into the next day's "
                             "folder (default: 0.01)")
    parser.add_argument("--force", action="store_true",
                        help="write even when <output>/AWSLogs already holds files "
                             "(files with the same names are overwritten)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or an argparse usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        print(f"error: --output {output} exists and is not a folder.", file=sys.stderr)
        return 2
    try:
        parse_format(args.format)
        regions = [part.strip() for part in args.regions.split(",") if part.strip()]
        _check_arguments(args.start_date, args.days, args.accounts, regions, args.records,
                         args.late_fraction, args.file_minutes)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    existing = output / "AWSLogs"
    if not args.force and existing.is_dir() and any(p.is_file() for p in existing.rglob("*")):
        print(f"Sample data already present in {existing}; nothing written "
              "(use --force to overwrite).")
        return 0
    summary = generate(output, start_date=args.start_date, days=args.days,
                       accounts=args.accounts, regions=regions, records=args.records,
                       seed=args.seed, fields=args.format, hourly=args.hourly,
                       scenarios=not args.no_scenarios, malformed=not args.no_malformed,
                       late_fraction=args.late_fraction, file_minutes=args.file_minutes,
                       progress=sys.stderr.isatty())
    print(summary.describe())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
