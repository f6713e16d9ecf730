"""Every mart, row by row, equals a plain-Python computation from the generated files."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.python import expected_marts as expected
from tests.python.conftest import Build
from tests.python.dbt_runner import query
from vpc_flow_logs.generate_sample_logs import SCENARIOS


@pytest.fixture(scope="module")
def flows(sample_build: Build) -> expected.Flows:
    return expected.Flows(sample_build.root)


def rows(build: Build, sql: str) -> set[tuple]:
    def plain(value):
        return int(value) if isinstance(value, Decimal) else value
    return {tuple(plain(v) for v in row) for row in query(build.database, sql)}


def test_rejects_by_source(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, srcaddr, rejected_flows, rejected_packets, rejected_bytes,
               distinct_dst_addrs, distinct_dst_ports, first_seen_at, last_seen_at
        from main_marts.fct_rejects_by_source""")
    assert actual == expected.rejects_by_source(flows)
    brute = SCENARIOS["ssh_brute_force"]
    assert any(row[2] == brute["srcaddr"] and row[3] >= brute["rejects"] for row in actual)


def test_bytes_per_ip(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, ip, bytes_sent, bytes_received, total_bytes,
               packets_sent, packets_received, flows_as_source, flows_as_destination
        from main_marts.fct_bytes_per_ip""")
    assert actual == expected.bytes_per_ip(flows)
    egress = SCENARIOS["large_egress"]
    received = max(row[4] for row in actual if row[2] == egress["dstaddr"])
    assert received >= egress["flows"] * egress["bytes_per_flow"] > 2**31


def test_ssh_rdp_activity(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, interface_id, srcaddr, dstaddr, service_port, is_response,
               action, service, flows, packets, bytes, first_seen_at, last_seen_at,
               is_trusted_source
        from main_marts.fct_ssh_rdp_activity""")
    assert actual == expected.ssh_rdp_activity(flows)
    rdp = SCENARIOS["rdp_probing"]
    probed = {row[4] for row in actual if row[3] == rdp["srcaddr"] and row[8] == "rdp"}
    assert len(probed) == rdp["instances"]


def test_https_traffic_by_destination(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, dstaddr, flows, packets, bytes, distinct_sources
        from main_marts.fct_https_traffic_by_destination""")
    assert actual == expected.https_by_destination(flows)


def test_metric_alarms(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select filter_name, period_start, account_id, matched_records, threshold, in_alarm
        from main_marts.fct_metric_alarms""")
    assert actual == expected.metric_alarms(flows)
    brute = SCENARIOS["ssh_brute_force"]
    ssh_alarm_minutes = {row[1] for row in actual
                         if row[0] == "dest-port-22-rejects" and row[5]}
    assert len(ssh_alarm_minutes) >= brute["minutes"]


def test_port_scans_find_exactly_the_planted_scans(sample_build: Build,
                                                   flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select window_start, account_id, srcaddr, distinct_dst_ports, distinct_dst_addrs, flows,
               rejected_flows, scan_type
        from main_marts.fct_port_scans""")
    assert actual == expected.port_scans(flows)
    assert {(row[2], row[7]) for row in actual} == {
        (SCENARIOS["vertical_port_scan"]["srcaddr"], "vertical"),
        (SCENARIOS["horizontal_port_scan"]["srcaddr"], "horizontal"),
    }


def test_flow_log_coverage(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, interface_id, ok_records, nodata_records,
               skipdata_records, total_records
        from main_marts.fct_flow_log_coverage""")
    assert actual == expected.flow_log_coverage(flows)
    spec = SCENARIOS["nodata_skipdata"]
    assert sum(row[4] for row in actual) >= spec["nodata_records"]
    assert sum(row[5] for row in actual) >= spec["skipdata_records"]


def test_nacl_asymmetric_flows(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, interface_id, client_addr, server_addr, protocol,
               server_port, distinct_server_ports, connections, accepted_request_flows,
               rejected_response_flows
        from main_marts.fct_nacl_asymmetric_flows""")
    assert actual == expected.nacl_asymmetric_flows(flows)
    spec = SCENARIOS["nacl_asymmetry"]
    assert {(row[3], row[6], row[8]) for row in actual} == {
        (spec["client"], spec["server_port"], spec["connections"])}


def test_traffic_daily(sample_build: Build, flows: expected.Flows) -> None:
    actual = rows(sample_build, """
        select event_date, account_id, region, interface_id, action, protocol, flow_direction,
               flows, packets, bytes
        from main_marts.fct_traffic_daily""")
    assert actual == expected.traffic_daily(flows)
