"""Transit Gateway flow logs and fields AWS adds later, staged and counted on DuckDB.

The Transit Gateway lines follow AWS's default Transit Gateway format (every field of
versions 2 to 6, in the order of AWS's Transit Gateway field table) with values shaped
like AWS's: a VPC attachment, a VPN attachment (no source VPC, subnet, ENI or zone: `-`),
each of the four loss counters, a NODATA record. Expected values are written out by
hand below, field by field, not computed by the project.
"""

from __future__ import annotations

import gzip
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.python.dbt_runner import query, run_dbt

ACCOUNT = "123456789012"
REGION = "us-east-1"
TGW_FORMAT = (
    "version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id "
    "tgw-dst-vpc-account-id tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id "
    "tgw-src-eni tgw-dst-eni tgw-src-az-id tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr "
    "srcport dstport protocol packets bytes start end log-status type packets-lost-no-route "
    "packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags region "
    "flow-direction pkt-src-aws-service pkt-dst-aws-service"
)
TGW_LINES = [
    # VPC attachment to VPC attachment, HTTPS, nothing lost.
    "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f60718 tgw-attach-0aaaaaaaaaaaaaaa1 "
    "123456789012 210987654321 vpc-0aaaaaaaaaaaaaaa1 vpc-0bbbbbbbbbbbbbbb2 "
    "subnet-0aaaaaaaaaaaaaaa1 subnet-0bbbbbbbbbbbbbbb2 eni-0aaaaaaaaaaaaaaa1 eni-0bbbbbbbbbbbbbbb2 "
    "use1-az1 use1-az2 tgw-attach-0bbbbbbbbbbbbbbb2 10.1.0.10 10.2.0.20 49152 443 6 10 5000 "
    "1718000000 1718000060 OK IPv4 0 0 0 0 19 us-east-1 ingress - -",
    # The same attachment: a blackhole route dropped 7 packets.
    "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f60718 tgw-attach-0aaaaaaaaaaaaaaa1 "
    "123456789012 210987654321 vpc-0aaaaaaaaaaaaaaa1 vpc-0bbbbbbbbbbbbbbb2 "
    "subnet-0aaaaaaaaaaaaaaa1 subnet-0bbbbbbbbbbbbbbb2 eni-0aaaaaaaaaaaaaaa1 eni-0bbbbbbbbbbbbbbb2 "
    "use1-az1 use1-az2 tgw-attach-0bbbbbbbbbbbbbbb2 10.1.0.10 10.9.0.9 49153 5432 6 7 420 "
    "1718000100 1718000160 OK IPv4 0 7 0 0 2 us-east-1 ingress - -",
    # A VPN attachment: no source VPC, subnet, ENI or zone; MTU and no-route drops, UDP.
    "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f60718 tgw-attach-0ccccccccccccccc3 "
    "- 123456789012 - vpc-0aaaaaaaaaaaaaaa1 - subnet-0aaaaaaaaaaaaaaa1 - eni-0aaaaaaaaaaaaaaa1 "
    "- use1-az1 tgw-attach-0aaaaaaaaaaaaaaa1 192.168.10.5 10.1.0.10 5353 53 17 12 9600 "
    "1718000200 1718000260 OK IPv4 3 0 9 0 - us-east-1 egress - -",
    # The VPN attachment again: TTL expired, ICMP (no ports).
    "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f60718 tgw-attach-0ccccccccccccccc3 "
    "- 123456789012 - vpc-0aaaaaaaaaaaaaaa1 - subnet-0aaaaaaaaaaaaaaa1 - eni-0aaaaaaaaaaaaaaa1 "
    "- use1-az1 tgw-attach-0aaaaaaaaaaaaaaa1 192.168.10.5 10.1.0.10 - - 1 4 336 "
    "1718000300 1718000360 OK IPv4 0 0 0 4 - us-east-1 egress - -",
    # No traffic on the attachment during the interval.
    "6 TransitGateway 123456789012 tgw-0a1b2c3d4e5f60718 tgw-attach-0ccccccccccccccc3 "
    "- - - - - - - - - - - - - - - - - - 1718000400 1718000460 NODATA - - - - - - "
    "us-east-1 - - -",
]

# Hand-written expectations for TGW_LINES, by staging column: what every record shares,
# what the records of each attachment share, then each record's own values.
TGW_COMMON = {
    "version": 6, "resource_type": "TransitGateway", "account_id": ACCOUNT,
    "tgw_id": "tgw-0a1b2c3d4e5f60718", "region": "us-east-1", "pkt_src_aws_service": None,
    "pkt_dst_aws_service": None, "interface_id": None, "action": None,
    "event_date": date(2024, 6, 10),
}
VPC_ATTACHMENT = {
    **TGW_COMMON, "tgw_attachment_id": "tgw-attach-0aaaaaaaaaaaaaaa1",
    "tgw_src_vpc_account_id": "123456789012", "tgw_dst_vpc_account_id": "210987654321",
    "tgw_src_vpc_id": "vpc-0aaaaaaaaaaaaaaa1", "tgw_dst_vpc_id": "vpc-0bbbbbbbbbbbbbbb2",
    "tgw_src_subnet_id": "subnet-0aaaaaaaaaaaaaaa1",
    "tgw_dst_subnet_id": "subnet-0bbbbbbbbbbbbbbb2", "tgw_src_eni": "eni-0aaaaaaaaaaaaaaa1",
    "tgw_dst_eni": "eni-0bbbbbbbbbbbbbbb2", "tgw_src_az_id": "use1-az1",
    "tgw_dst_az_id": "use1-az2", "tgw_pair_attachment_id": "tgw-attach-0bbbbbbbbbbbbbbb2",
    "srcaddr": "10.1.0.10", "protocol": 6, "log_status": "OK", "type": "IPv4",
    "packets_lost_no_route": 0, "packets_lost_mtu_exceeded": 0,
    "packets_lost_ttl_expired": 0, "flow_direction": "ingress",
}
VPN_ATTACHMENT = {
    **TGW_COMMON, "tgw_attachment_id": "tgw-attach-0ccccccccccccccc3",
    "tgw_src_vpc_account_id": None, "tgw_dst_vpc_account_id": "123456789012",
    "tgw_src_vpc_id": None, "tgw_dst_vpc_id": "vpc-0aaaaaaaaaaaaaaa1",
    "tgw_src_subnet_id": None, "tgw_dst_subnet_id": "subnet-0aaaaaaaaaaaaaaa1",
    "tgw_src_eni": None, "tgw_dst_eni": "eni-0aaaaaaaaaaaaaaa1", "tgw_src_az_id": None,
    "tgw_dst_az_id": "use1-az1", "tgw_pair_attachment_id": "tgw-attach-0aaaaaaaaaaaaaaa1",
    "srcaddr": "192.168.10.5", "dstaddr": "10.1.0.10", "log_status": "OK", "type": "IPv4",
    "packets_lost_blackhole": 0, "tcp_flags": None, "flow_direction": "egress",
}
TGW_EXPECTED = [
    {
        **VPC_ATTACHMENT, "dstaddr": "10.2.0.20", "srcport": 49152, "dstport": 443,
        "packets": 10, "bytes": 5000, "start_epoch": 1718000000, "end_epoch": 1718000060,
        "packets_lost_blackhole": 0, "tcp_flags": 19,
        "start_time": datetime(2024, 6, 10, 6, 13, 20),
        "end_time": datetime(2024, 6, 10, 6, 14, 20),
    },
    {
        **VPC_ATTACHMENT, "dstaddr": "10.9.0.9", "srcport": 49153, "dstport": 5432,
        "packets": 7, "bytes": 420, "start_epoch": 1718000100, "end_epoch": 1718000160,
        "packets_lost_blackhole": 7, "tcp_flags": 2,
        "start_time": datetime(2024, 6, 10, 6, 15), "end_time": datetime(2024, 6, 10, 6, 16),
    },
    {
        **VPN_ATTACHMENT, "srcport": 5353, "dstport": 53, "protocol": 17, "packets": 12,
        "bytes": 9600, "start_epoch": 1718000200, "end_epoch": 1718000260,
        "packets_lost_no_route": 3, "packets_lost_mtu_exceeded": 9,
        "packets_lost_ttl_expired": 0,
        "start_time": datetime(2024, 6, 10, 6, 16, 40),
        "end_time": datetime(2024, 6, 10, 6, 17, 40),
    },
    {
        **VPN_ATTACHMENT, "srcport": None, "dstport": None, "protocol": 1, "packets": 4,
        "bytes": 336, "start_epoch": 1718000300, "end_epoch": 1718000360,
        "packets_lost_no_route": 0, "packets_lost_mtu_exceeded": 0,
        "packets_lost_ttl_expired": 4,
        "start_time": datetime(2024, 6, 10, 6, 18, 20),
        "end_time": datetime(2024, 6, 10, 6, 19, 20),
    },
    {
        **TGW_COMMON, "tgw_attachment_id": "tgw-attach-0ccccccccccccccc3",
        **dict.fromkeys(("tgw_src_vpc_account_id", "tgw_dst_vpc_account_id", "tgw_src_vpc_id",
                         "tgw_dst_vpc_id", "tgw_src_subnet_id", "tgw_dst_subnet_id",
                         "tgw_src_eni", "tgw_dst_eni", "tgw_src_az_id", "tgw_dst_az_id",
                         "tgw_pair_attachment_id", "srcaddr", "dstaddr", "srcport", "dstport",
                         "protocol", "packets", "bytes", "type", "packets_lost_no_route",
                         "packets_lost_blackhole", "packets_lost_mtu_exceeded",
                         "packets_lost_ttl_expired", "tcp_flags", "flow_direction")),
        "start_epoch": 1718000400, "end_epoch": 1718000460, "log_status": "NODATA",
        "start_time": datetime(2024, 6, 10, 6, 20), "end_time": datetime(2024, 6, 10, 6, 21),
    },
]

# A VPC flow log whose header carries two fields this project does not know.
FUTURE_HEADER = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status encryption-status future-field"
)
FUTURE_LINES = [
    "2 123456789012 eni-0aaaaaaaaaaaaaaa1 10.1.0.10 10.2.0.20 49152 443 6 10 5000 "
    "1718000000 1718000060 ACCEPT OK 1 alpha",
    "2 123456789012 eni-0aaaaaaaaaaaaaaa1 10.2.0.20 10.1.0.10 443 49152 6 8 3000 "
    "1718000000 1718000060 ACCEPT OK - beta",
]


def key(flow_log_id: str, name_hash: str) -> str:
    return (f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/2024/06/10/{ACCOUNT}_vpcflowlogs_{REGION}_"
            f"{flow_log_id}_20240610T0620Z_{name_hash}.log.gz")


def write(root: Path, relative: str, lines: list[str]) -> str:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return str(path)


@pytest.fixture(scope="module")
def tgw_build(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("tgw")
    root = base / "logs"
    tgw_file = write(root, key("fl-0tgw0000000000001", "aaaa1111"), [TGW_FORMAT, *TGW_LINES])
    future_file = write(root, key("fl-0vpc0000000000002", "bbbb2222"),
                        [FUTURE_HEADER, *FUTURE_LINES])
    database = base / "tgw.duckdb"
    dbt_vars = {"flow_logs_root": str(root), "flow_logs_start_date": "2024-06-01"}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    # Every model and data test: Transit Gateway records go through the whole DAG.
    run_dbt(["build", "--exclude", "resource_type:unit_test"], vars=dbt_vars,
            duckdb_path=database)
    return {"database": database, "tgw_file": tgw_file, "future_file": future_file,
            "root": root, "vars": dbt_vars}


def test_transit_gateway_records_are_staged_field_by_field(tgw_build: dict) -> None:
    columns = list(TGW_EXPECTED[0])
    rows = query(tgw_build["database"],
                 f"select {', '.join(columns)} from main_staging.stg_vpc_flow_logs "
                 f"where source_file = '{tgw_build['tgw_file']}' order by start_epoch")
    assert [dict(zip(columns, row, strict=True)) for row in rows] == TGW_EXPECTED


def test_no_line_is_quarantined(tgw_build: dict) -> None:
    rows = query(tgw_build["database"],
                 "select source_file, reason, raw_line "
                 "from main_staging.stg_vpc_flow_logs__malformed")
    assert rows == []


def test_unknown_header_fields_are_kept_as_text(tgw_build: dict) -> None:
    rows = query(tgw_build["database"],
                 "select srcaddr, bytes, action, unknown_fields "
                 "from main_staging.stg_vpc_flow_logs "
                 f"where source_file = '{tgw_build['future_file']}' order by srcaddr")
    assert rows == [
        ("10.1.0.10", 5000, "ACCEPT", {"encryption-status": "1", "future-field": "alpha"}),
        ("10.2.0.20", 3000, "ACCEPT", {"encryption-status": None, "future-field": "beta"}),
    ]
    known = query(tgw_build["database"],
                  "select count(*) from main_staging.stg_vpc_flow_logs "
                  f"where source_file = '{tgw_build['tgw_file']}' and unknown_fields is not null")
    assert known == [(0,)]


def test_unknown_header_fields_are_reported_once_per_file(tgw_build: dict) -> None:
    process = run_dbt(["test", "--select", "warn_unknown_header_fields"],
                      vars=tgw_build["vars"], duckdb_path=tgw_build["database"])
    assert "Got 1 result" in process.stdout
    rows = query(tgw_build["database"],
                 "select source_file, header_unknown_fields "
                 "from main_staging.base_vpc_flow_logs__lines "
                 "where is_header and header_unknown_fields <> ''")
    assert rows == [(tgw_build["future_file"], "encryption-status future-field")]


def test_packets_lost_by_reason_per_attachment_and_day(tgw_build: dict) -> None:
    rows = query(tgw_build["database"],
                 "select event_date, account_id, tgw_id, tgw_attachment_id, flows, "
                 "flows_with_packets_lost, packets, bytes, packets_lost_blackhole, "
                 "packets_lost_no_route, packets_lost_mtu_exceeded, packets_lost_ttl_expired, "
                 "packets_lost from main_marts.fct_transit_gateway_packets_lost "
                 "order by tgw_attachment_id")
    day, tgw = date(2024, 6, 10), "tgw-0a1b2c3d4e5f60718"
    assert rows == [
        # Two records, one with 7 blackholed packets.
        (day, ACCOUNT, tgw, "tgw-attach-0aaaaaaaaaaaaaaa1", 2, 1, Decimal(17), Decimal(5420),
         Decimal(7), Decimal(0), Decimal(0), Decimal(0), Decimal(7)),
        # Two OK records (the NODATA record is not a flow record): 3 + 9 and 4 lost.
        (day, ACCOUNT, tgw, "tgw-attach-0ccccccccccccccc3", 2, 2, Decimal(16), Decimal(9936),
         Decimal(0), Decimal(3), Decimal(9), Decimal(4), Decimal(16)),
    ]


def test_traffic_marts_count_transit_gateway_records_by_address_only(tgw_build: dict) -> None:
    database = tgw_build["database"]
    # 10.1.0.10: sends 5000 (TGW) + 420 (TGW) + 5000 (VPC), receives 9600 + 336 (TGW) + 3000.
    rows = query(database, "select bytes_sent, bytes_received, flows_as_source, "
                 "flows_as_destination from main_marts.fct_bytes_per_ip where ip = '10.1.0.10'")
    assert rows == [(Decimal(10420), Decimal(12936), 3, 3)]
    # Interface-grained marts hold the VPC file's interface only.
    interfaces = query(database, "select distinct interface_id from main_marts.fct_traffic_daily")
    assert interfaces == [("eni-0aaaaaaaaaaaaaaa1",)]
    coverage = query(database, "select interface_id, ok_records, nodata_records "
                     "from main_marts.fct_flow_log_coverage")
    assert coverage == [("eni-0aaaaaaaaaaaaaaa1", 2, 0)]


def test_unknown_configured_field_is_reported_once_before_any_model(tmp_path: Path,
                                                                     tgw_build: dict) -> None:
    fields = FUTURE_HEADER
    process = run_dbt(["run", "--select", "+stg_vpc_flow_logs"],
                      vars={**tgw_build["vars"], "flow_log_fields": fields},
                      duckdb_path=tmp_path / "future.duckdb")
    output = process.stdout
    message = "var flow_log_fields: encryption-status, future-field are not fields"
    assert output.count(message) == 1
    first_model = output.index("START sql")
    assert output.index(message) < first_model


def test_malformed_configured_field_stops_the_run_naming_the_var(tmp_path: Path,
                                                                  tgw_build: dict) -> None:
    process = run_dbt(["run", "--select", "stg_vpc_flow_logs"],
                      vars={**tgw_build["vars"], "flow_log_fields": "version srcaddr,"},
                      duckdb_path=tmp_path / "bad.duckdb", check=False)
    assert process.returncode != 0
    assert "var flow_log_fields: 'srcaddr,' is not a flow log field name" in process.stdout
    assert "START sql" not in process.stdout
