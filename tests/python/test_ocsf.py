"""ocsf_network_activity: OCSF 4001 attribute names and types, and the values of each record.

The expected attributes are written here from OCSF's schema documentation (Network
Activity, class 4001, schema 1.1.0, and its objects network_endpoint,
network_connection_info, network_traffic, cloud, account, metadata, product, feature),
with OCSF's data types mapped to SQL types. The values are compared with a plain-Python
reading of the sample files (expected_marts.Flows), not with the SQL.
"""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from tests.python import expected_marts as expected
from tests.python.conftest import Build

# OCSF data type -> SQL type (timestamp_t: milliseconds since the epoch, a long).
SQL_TYPE = {"integer_t": "INTEGER", "long_t": "BIGINT", "timestamp_t": "BIGINT",
            "string_t": "VARCHAR", "ip_t": "VARCHAR", "port_t": "INTEGER"}
NETWORK_ENDPOINT = {"ip": "ip_t", "port": "port_t", "interface_uid": "string_t",
                    "vpc_uid": "string_t", "subnet_uid": "string_t", "instance_uid": "string_t"}
OCSF_4001 = {
    "activity_id": "integer_t", "activity_name": "string_t",
    "category_uid": "integer_t", "category_name": "string_t",
    "class_uid": "integer_t", "class_name": "string_t",
    "type_uid": "long_t", "type_name": "string_t",
    "severity_id": "integer_t", "severity": "string_t",
    "time": "timestamp_t", "start_time": "timestamp_t", "end_time": "timestamp_t",
    "src_endpoint": NETWORK_ENDPOINT,
    "dst_endpoint": {"ip": "ip_t", "port": "port_t"},
    "connection_info": {"protocol_num": "integer_t", "protocol_name": "string_t",
                        "protocol_ver_id": "integer_t", "direction_id": "integer_t",
                        "direction": "string_t", "tcp_flags": "integer_t"},
    "traffic": {"bytes": "long_t", "packets": "long_t"},
    "action_id": "integer_t", "action": "string_t",
    "disposition_id": "integer_t", "disposition": "string_t",
    "status_code": "string_t",
    "cloud": {"provider": "string_t", "region": "string_t", "account": {"uid": "string_t"}},
    "metadata": {"version": "string_t",
                 "product": {"name": "string_t", "vendor_name": "string_t",
                             "feature": {"name": "string_t"}}},
}
# Not OCSF attributes: the Athena partition column only.
EXTRA_COLUMNS = {"event_date": "DATE"}


def sql_types(spec: dict) -> dict:
    return {name: sql_types(kind) if isinstance(kind, dict) else SQL_TYPE[kind]
            for name, kind in spec.items()}


def described(dtype: duckdb.typing.DuckDBPyType) -> object:
    if dtype.id == "struct":
        return {name: described(child) for name, child in dtype.children}
    return str(dtype)


@pytest.fixture(scope="module")
def ocsf(sample_build: Build) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(sample_build.database), read_only=True)
    yield connection
    connection.close()


def test_attribute_names_and_types_are_ocsf_4001(ocsf: duckdb.DuckDBPyConnection) -> None:
    relation = ocsf.sql("select * from main_marts.ocsf_network_activity limit 0")
    columns = {name: described(dtype) for name, dtype in zip(relation.columns, relation.dtypes,
                                                              strict=True)}
    assert columns == {**sql_types(OCSF_4001), **EXTRA_COLUMNS}


def test_each_flow_record_is_one_event(ocsf: duckdb.DuckDBPyConnection,
                                       sample_build: Build) -> None:
    flows = [row for row in expected.Flows(sample_build.root).rows if row["is_flow_record"]]
    decisions = {"ACCEPT": (1, "Allowed", 1, "Allowed"), "REJECT": (2, "Denied", 2, "Blocked")}
    wanted = Counter(
        (row["start_epoch"] * 1000, row.get("end_epoch") and row["end_epoch"] * 1000,
         row.get("srcaddr"), row.get("srcport"), row.get("interface_id"),
         row.get("dstaddr"), row.get("dstport"), row.get("protocol"),
         row.get("bytes"), row.get("packets"), *decisions[row["action"]],
         row.get("log_status"), "AWS", row["region"], row["account_id"])
        for row in flows)
    got = Counter(ocsf.sql("""
        select time, end_time, src_endpoint.ip, src_endpoint.port,
               src_endpoint.interface_uid, dst_endpoint.ip, dst_endpoint.port,
               connection_info.protocol_num, traffic.bytes, traffic.packets,
               action_id, action, disposition_id, disposition, status_code,
               cloud.provider, cloud.region, cloud.account.uid
        from main_marts.ocsf_network_activity
    """).fetchall())
    assert got == wanted


def test_classification_constants(ocsf: duckdb.DuckDBPyConnection) -> None:
    assert ocsf.sql("""
        select distinct class_uid, category_uid, activity_id, type_uid, severity_id,
               metadata.version, metadata.product.name, metadata.product.vendor_name
        from main_marts.ocsf_network_activity
    """).fetchall() == [(4001, 4, 6, 4001 * 100 + 6, 1, "1.1.0", "Amazon VPC", "AWS")]
