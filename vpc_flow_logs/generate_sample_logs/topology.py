"""The simulated network of one account and region: a VPC, its interfaces and the
addresses around it. Ids and addresses depend on the account and region position
only, not on the seed, so the planted scenarios can name them."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from vpc_flow_logs.generate_sample_logs.formats import V7_FIELDS


def stable_hex(*parts: object, length: int = 17) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:length]


def aws_id(prefix: str, *parts: object) -> str:
    """An AWS-style resource id: prefix, '0' and 16 hex digits (eni-0a1b...)."""
    return f"{prefix}-0{stable_hex(prefix, *parts, length=16)}"


def account_ids(count: int) -> list[str]:
    """The deterministic 12-digit account ids of the sample (111122223333, ...)."""
    return [f"{111122223333 + index * 111111111:012d}" for index in range(count)]


def flow_log_id(account: str, region: str) -> str:
    """The flow log id of an account/region (fl- and 17 hex digits)."""
    return "fl-" + stable_hex("flow-log", account, region)


def az_prefix(region: str) -> str:
    """AWS's short region code used in AZ ids: us-east-1 -> use1, ap-southeast-2 -> apse2."""
    short = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c",
             "northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw",
             "gov": "g"}
    parts = region.split("-")
    return parts[0] + "".join(short.get(part, part[:1]) for part in parts[1:-1]) + parts[-1]


def vpc_ipv4(pair: int, subnet: int, host: int) -> str:
    group = pair // 2
    if pair % 2 == 0:
        return f"10.{group}.{subnet}.{host}"
    return f"172.{16 + group % 16}.{(group // 16) * 8 + subnet}.{host}"


def ipv6_text(text: str) -> str:
    return str(ipaddress.IPv6Address(text))


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
ROLES = (
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


LOCAL_ZONE = {"us-east-1": "bos1", "us-west-2": "lax1", "eu-central-1": "ham1"}


def ecs_attributes(role: str, account: str, region: str, region_index: int,
                    ec2_instance: str) -> dict[str, str]:
    cluster = "shop-prod"
    base = f"arn:aws:ecs:{region}:{account}"
    task_id = stable_hex("task", account, region_index, role, length=32)
    if role == "ecs-ec2":
        container_instance = stable_hex("container-instance", account, region_index, length=32)
        return {
            "instance-id": ec2_instance,
            "ecs-cluster-arn": f"{base}:cluster/{cluster}", "ecs-cluster-name": cluster,
            "ecs-container-instance-arn":
                f"{base}:container-instance/{cluster}/{container_instance}",
            "ecs-container-instance-id": container_instance,
            "ecs-container-id": stable_hex("container", task_id, 1, length=64),
            "ecs-second-container-id": stable_hex("container", task_id, 2, length=64),
            "ecs-service-name": "checkout",
            "ecs-task-definition-arn": f"{base}:task-definition/checkout:42",
            "ecs-task-arn": f"{base}:task/{cluster}/{task_id}", "ecs-task-id": task_id,
        }
    return {  # Fargate: no container instance, runtime ids are <task-id>-<number>
        "instance-id": "-",
        "ecs-cluster-arn": f"{base}:cluster/{cluster}", "ecs-cluster-name": cluster,
        "ecs-container-instance-arn": "-", "ecs-container-instance-id": "-",
        "ecs-container-id": f"{task_id}-{int(stable_hex('runtime', task_id, length=8), 16)}",
        "ecs-second-container-id": "-", "ecs-service-name": "worker",
        "ecs-task-definition-arn": f"{base}:task-definition/worker:7",
        "ecs-task-arn": f"{base}:task/{cluster}/{task_id}", "ecs-task-id": task_id,
    }


def build_topology(account: str, region: str, region_index: int, pair: int) -> Topology:
    """The VPC of one account/region. Ids depend on account and region position only."""
    prefix = az_prefix(region)
    subnet_ids = [aws_id("subnet", account, region_index, number) for number in range(5)]
    extras = int(stable_hex("extras", account, region_index), 16) % 7
    roles = list(ROLES) + [(f"app-{2 + k}", 1, 40 + k, False, False) for k in range(extras)]
    interfaces: list[Interface] = []
    for index, (role, subnet, host, public, managed) in enumerate(roles):
        az = f"{prefix}-az{1 if subnet in (0, 2) else 2}"
        sublocation = ("-", "-")
        if pair % 2 == 1 and extras and index == len(roles) - 1:  # a Local Zone server
            subnet = 4
            zone = f"{prefix}-{LOCAL_ZONE.get(region, 'lz1')}-az1"
            az, sublocation = zone, ("localzone", zone)
        instance = "-" if managed else aws_id("i", account, region_index, role)
        iface = Interface(
            index=index, role=role, eni=aws_id("eni", account, region_index, role),
            instance_id=instance, subnet=subnet, subnet_id=subnet_ids[subnet], az_id=az,
            address=vpc_ipv4(pair, subnet, host), public=public, managed=managed,
            sublocation=sublocation,
        )
        if role.startswith("ecs-"):
            iface.ecs = ecs_attributes(role, account, region, region_index,
                                        aws_id("i", account, region_index, "ecs-host"))
            iface.instance_id = iface.ecs.pop("instance-id")
        if role == "ipv6-web":
            iface.ipv6 = ipv6_text(f"2001:db8:{0xa000 + pair:x}:{subnet:x}00::{host:x}")
        if role in ("ipv6-web", "db"):
            iface.ula = ipv6_text(f"fd00:ec2:{pair:x}:{subnet:x}::{host:x}")
        interfaces.append(iface)

    def number(name: str, modulo: int, offset: int = 0) -> int:
        return int(stable_hex(name, account, region_index, length=8), 16) % modulo + offset

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
        vpc_id=aws_id("vpc", account, region_index), interfaces=interfaces,
        role={iface.role: iface for iface in interfaces},
        ntp=ntp_servers[pair % len(ntp_servers)], forwarders=("1.1.1.1", "8.8.8.8"),
        apis=apis, s3=s3, dynamodb=dynamodb, monitor=monitor, logging="10.250.0.10",
        ipv6_api="2001:db8:feed::10",
        admins=tuple(f"192.0.2.{10 + pair * 3 + k}" for k in range(3)),
        services=services, bpa=pair % 2 == 1,
    )


def static_values(topo: Topology, iface: Interface, version: str) -> dict[str, str]:
    values = {
        "version": version, "account-id": topo.account, "interface-id": iface.eni,
        "vpc-id": topo.vpc_id, "subnet-id": iface.subnet_id, "instance-id": iface.instance_id,
        "region": topo.region, "az-id": iface.az_id,
        "sublocation-type": iface.sublocation[0], "sublocation-id": iface.sublocation[1],
    }
    for name in V7_FIELDS:
        values[name] = iface.ecs[name] if iface.ecs else "-"
    return values
