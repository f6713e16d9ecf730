"""The queries the security report and the build summary run, written once.

Each query is portable SQL (DuckDB and Athena/Trino) written like a dbt analysis:
tables are named with ``{{ ref('model') }}`` or ``{{ source('source', 'table') }}``,
resolved from dbt's manifest (``target/manifest.json``, see
:func:`vpc_flow_logs.common.project_relations`), so the queries follow the project
wherever it builds (another target schema, another ``raw_flow_logs_table``). Row
limits are parameters: the summary runs the report's queries with a smaller one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jinja2

from vpc_flow_logs.common import ManifestError, Relation

TOP_N = 15
TABLE_LIMIT = 500
TIMELINE_LIMIT = 2000


@dataclass(frozen=True)
class Query:
    """A query template and the limit it runs with by default."""

    sql: str
    limit: int | None = None


REPORT: dict[str, Query] = {
    "security_findings": Query("""
        select severity, mitre_technique_id, mitre_technique_name, detection_id, account_id,
               srcaddr, dstaddr, dstport, flows, bytes, first_seen_at, last_seen_at,
               evidence, finding_id
        from {{ ref('fct_security_findings') }}
        order by severity_id desc, first_seen_at, finding_id
        limit {{ limit }}""", TABLE_LIMIT),
    "summary": Query("""
        select
            (select sum(flows) from {{ ref('fct_traffic_daily') }}) as flows,
            (select sum(flows) from {{ ref('fct_traffic_daily') }}
             where action = 'REJECT') as rejected_flows,
            (select min(event_date) from {{ ref('fct_traffic_daily') }}) as first_day,
            (select max(event_date) from {{ ref('fct_traffic_daily') }}) as last_day,
            (select count(distinct account_id) from {{ ref('fct_traffic_daily') }}) as accounts,
            (select count(distinct interface_id) from {{ ref('fct_traffic_daily') }})
                as interfaces,
            (select count(distinct srcaddr) from {{ ref('fct_rejects_by_source') }})
                as rejected_sources,
            (select count(*) from {{ ref('fct_port_scans') }}) as port_scans,
            (select count(*) from {{ ref('fct_metric_alarms') }} where in_alarm)
                as alarm_periods,
            (select count(distinct srcaddr) from {{ ref('fct_ssh_rdp_activity') }}
             where not is_response and not is_trusted_source) as untrusted_ssh_rdp_sources,
            (select count(distinct interface_id) from {{ ref('fct_flow_log_coverage') }}
             where nodata_records + skipdata_records > 0) as interfaces_with_gaps,
            (select count(*) from {{ ref('fct_nacl_asymmetric_flows') }}) as nacl_asymmetries,
            (select sum(total_records) from {{ ref('fct_flow_log_coverage') }}) as records"""),
    "rejects_per_day": Query("""
        select event_date, account_id, sum(rejected_flows) as rejected_flows,
               count(distinct srcaddr) as sources
        from {{ ref('fct_rejects_by_source') }}
        group by event_date, account_id
        order by event_date, account_id"""),
    "top_rejected_sources": Query("""
        select srcaddr, sum(rejected_flows) as rejected_flows,
               sum(rejected_packets) as rejected_packets, sum(rejected_bytes) as rejected_bytes,
               max(distinct_dst_ports) as max_dst_ports, max(distinct_dst_addrs) as max_dst_addrs,
               count(distinct event_date) as days, min(first_seen_at) as first_seen_at,
               max(last_seen_at) as last_seen_at
        from {{ ref('fct_rejects_by_source') }}
        group by srcaddr
        order by rejected_flows desc, srcaddr
        limit {{ limit }}""", TOP_N),
    "top_talkers": Query("""
        select ip, sum(bytes_sent) as bytes_sent, sum(bytes_received) as bytes_received,
               sum(total_bytes) as total_bytes, sum(flows_as_source) as flows_as_source,
               sum(flows_as_destination) as flows_as_destination
        from {{ ref('fct_bytes_per_ip') }}
        group by ip
        order by total_bytes desc, ip
        limit {{ limit }}""", TOP_N),
    "ssh_rdp": Query("""
        select event_date, account_id, interface_id, srcaddr, dstaddr, service, service_port,
               is_response, action, flows, packets, bytes, first_seen_at, last_seen_at,
               is_trusted_source
        from {{ ref('fct_ssh_rdp_activity') }}
        order by flows desc, first_seen_at, srcaddr, dstaddr, interface_id
        limit {{ limit }}""", TIMELINE_LIMIT),
    "alarms": Query("""
        select filter_name, account_id, period_start, period_end, matched_records, threshold,
               comparison, in_alarm
        from {{ ref('fct_metric_alarms') }}
        order by period_start desc, filter_name, account_id
        limit {{ limit }}""", TIMELINE_LIMIT),
    "port_scans": Query("""
        select window_start, window_end, account_id, srcaddr, scan_type, distinct_dst_ports,
               distinct_dst_addrs, flows, rejected_flows
        from {{ ref('fct_port_scans') }}
        order by window_start, srcaddr, account_id
        limit {{ limit }}""", TABLE_LIMIT),
    "coverage_gaps": Query("""
        select account_id, interface_id, count(*) as days,
               sum(case when nodata_records + skipdata_records > 0 then 1 else 0 end)
                   as days_with_gaps,
               sum(ok_records) as ok_records, sum(nodata_records) as nodata_records,
               sum(skipdata_records) as skipdata_records, sum(total_records) as total_records,
               min(event_date) as first_day, max(event_date) as last_day
        from {{ ref('fct_flow_log_coverage') }}
        group by account_id, interface_id
        having sum(nodata_records) + sum(skipdata_records) > 0
        order by skipdata_records desc, nodata_records desc, interface_id, account_id
        limit {{ limit }}""", TABLE_LIMIT),
    "nacl_asymmetries": Query("""
        select event_date, account_id, interface_id, client_addr, server_addr, protocol,
               server_port, distinct_server_ports, connections, accepted_request_flows,
               rejected_response_flows, first_seen_at, last_seen_at
        from {{ ref('fct_nacl_asymmetric_flows') }}
        order by event_date, connections desc, client_addr, server_addr
        limit {{ limit }}""", TABLE_LIMIT),
}

# Findings of the build summary that the report does not show the same way.
SUMMARY: dict[str, Query] = {
    "findings_by_severity": Query("""
        select severity, coalesce(mitre_technique_id, '-') as technique, detection_id,
               count(*) as findings, min(first_seen_at) as first_seen
        from {{ ref('fct_security_findings') }}
        group by severity, severity_id, mitre_technique_id, detection_id
        order by severity_id desc, findings desc, detection_id"""),
    "untrusted_ssh_rdp": Query("""
        select service, srcaddr, action, sum(flows) as flows
        from {{ ref('fct_ssh_rdp_activity') }}
        where not is_response and not is_trusted_source
        group by service, srcaddr, action
        order by flows desc, srcaddr
        limit {{ limit }}""", 5),
    "alarm_periods": Query("""
        select filter_name, count(*) as periods_in_alarm, min(period_start) as first_alarm
        from {{ ref('fct_metric_alarms') }}
        where in_alarm
        group by filter_name
        order by filter_name"""),
    "nacl_asymmetry": Query("""
        select client_addr, server_addr, server_port, sum(connections) as connections
        from {{ ref('fct_nacl_asymmetric_flows') }}
        group by client_addr, server_addr, server_port
        order by connections desc, client_addr, server_addr, server_port
        limit {{ limit }}""", 5),
    "malformed_lines": Query("""
        select reason, count(*) as lines
        from {{ ref('stg_vpc_flow_logs__malformed') }}
        group by reason
        order by lines desc, reason"""),
    "unreadable_files": Query("""
        select status, count(*) as files, min(reason) as example
        from {{ source('vpc_flow_logs', 'raw_flow_log_files') }}
        where status <> 'ok'
        group by status
        order by status"""),
}

_ENVIRONMENT = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)  # noqa: S701 - SQL, not HTML
_REFERENCE = re.compile(
    r"\{\{\s*(?:ref\(\s*'(\w+)'\s*\)|source\(\s*'(\w+)'\s*,\s*'(\w+)'\s*\))\s*\}\}")


def referenced(sql: str) -> list[str]:
    """Names the query reads: models and seeds by name, sources as `source.table`."""
    names = {model or f"{source}.{table}" for model, source, table in _REFERENCE.findall(sql)}
    return sorted(names)


def require(relations: Mapping[str, Relation], names: list[str]) -> None:
    """Fail with one sentence when the manifest does not name every table in `names`."""
    missing = [name for name in names if name not in relations]
    if missing:
        raise ManifestError(
            f"the dbt manifest has no {', '.join(missing)}: it is not this project's, or is "
            "older than the models; run dbt (`dbt build` or `dbt parse`) again.")


def render(query: Query, relations: Mapping[str, Relation], limit: int | None = None,
           **params: Any) -> str:
    """The SQL of `query` with the relations of the manifest and its row limit."""
    require(relations, referenced(query.sql))

    def ref(name: str) -> str:
        return str(relations[name])

    def source(source_name: str, table: str) -> str:
        return str(relations[f"{source_name}.{table}"])

    template = _ENVIRONMENT.from_string(query.sql)
    return template.render(ref=ref, source=source,
                           limit=query.limit if limit is None else limit, **params)
