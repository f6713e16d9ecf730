"""The report's HTML: formatted tables, one section a query, summary cards, the page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from plotly.offline import get_plotlyjs

from vpc_flow_logs.common import human_bytes
from vpc_flow_logs.queries import TABLE_LIMIT, TIMELINE_LIMIT, TOP_N
from vpc_flow_logs.report.charts import (
    SSH_RDP_TOP_SOURCES,
    chart_alarms,
    chart_rejects_per_day,
    chart_ssh_rdp,
    chart_top_rejected_sources,
    chart_top_talkers,
    figure_html,
)

TEMPLATE = Path(__file__).with_name("template.html")

Row = dict[str, Any]


def format_cell(value: Any, kind: str) -> tuple[str, str]:
    """(text shown, sort key) of a cell; kinds: text, count, number, bytes, time, date, flag
    (count has thousands separators, number not: ports, protocols)."""
    if value is None:
        return "", ""
    if kind == "bytes":
        return human_bytes(value), str(value)
    if kind == "count":
        return f"{value:,}", str(value)
    if kind == "number":
        return str(value), str(value)
    if kind == "time" and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S"), value.isoformat()
    if kind == "flag":
        return ("yes" if value else "no"), str(int(bool(value)))
    return str(value), str(value)


@dataclass(frozen=True)
class Column:
    """A table column: row key, header label and how values are shown."""

    key: str
    label: str
    kind: str = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in {"count", "number", "bytes"}


@dataclass(frozen=True)
class Table:
    """A sortable table: its id, columns and formatted rows ([(text, sort key), ...])."""

    id: str
    columns: list[Column]
    rows: list[list[tuple[str, str]]]
    note: str = ""


def make_table(table_id: str, columns: list[Column], rows: list[Row],
               limit: int | None = None) -> Table:
    """Format rows for the template; say so when the query's `limit` may have cut the list."""
    formatted = [[format_cell(row[column.key], column.kind) for column in columns]
                 for row in rows]
    note = f"Only the first {limit:,} rows." if limit is not None and len(rows) >= limit else ""
    return Table(id=table_id, columns=columns, rows=formatted, note=note)



@dataclass
class Section:
    """One part of the report: title, explanation, charts and an optional table."""

    id: str
    title: str
    intro: str
    empty: str
    charts: list[str] = field(default_factory=list)
    table: Table | None = None

    @property
    def has_content(self) -> bool:
        return bool(self.charts or (self.table and self.table.rows))


SectionBuilder = Callable[[list[Row]], Section]

REJECT_SOURCE_COLUMNS = [
    Column("srcaddr", "Source"), Column("rejected_flows", "Rejected flows", "count"),
    Column("rejected_packets", "Packets", "count"), Column("rejected_bytes", "Bytes", "bytes"),
    Column("max_dst_ports", "Max dst ports / day", "count"),
    Column("max_dst_addrs", "Max dst addresses / day", "count"),
    Column("days", "Days", "count"), Column("first_seen_at", "First seen (UTC)", "time"),
    Column("last_seen_at", "Last seen (UTC)", "time")]
TALKER_COLUMNS = [
    Column("ip", "IP"), Column("total_bytes", "Total bytes", "bytes"),
    Column("bytes_sent", "Sent", "bytes"), Column("bytes_received", "Received", "bytes"),
    Column("flows_as_source", "Flows as source", "count"),
    Column("flows_as_destination", "Flows as destination", "count")]
SSH_RDP_COLUMNS = [
    Column("service", "Service"), Column("action", "Action"), Column("srcaddr", "Source"),
    Column("dstaddr", "Destination"), Column("service_port", "Port", "number"),
    Column("is_response", "Response", "flag"), Column("is_trusted_source", "Trusted", "flag"),
    Column("flows", "Flows", "count"), Column("bytes", "Bytes", "bytes"),
    Column("first_seen_at", "First seen (UTC)", "time"),
    Column("last_seen_at", "Last seen (UTC)", "time"), Column("interface_id", "Interface"),
    Column("account_id", "Account")]
ALARM_COLUMNS = [
    Column("filter_name", "Filter"), Column("period_start", "Period start (UTC)", "time"),
    Column("period_end", "Period end (UTC)", "time"),
    Column("matched_records", "Matched records", "count"),
    Column("comparison", "Comparison"), Column("threshold", "Threshold", "count"),
    Column("account_id", "Account")]
PORT_SCAN_COLUMNS = [
    Column("window_start", "Window start (UTC)", "time"),
    Column("window_end", "Window end (UTC)", "time"), Column("srcaddr", "Source"),
    Column("scan_type", "Type"), Column("distinct_dst_ports", "Dst ports", "count"),
    Column("distinct_dst_addrs", "Dst addresses", "count"), Column("flows", "Flows", "count"),
    Column("rejected_flows", "Rejected", "count"), Column("account_id", "Account")]
COVERAGE_COLUMNS = [
    Column("interface_id", "Interface"), Column("account_id", "Account"),
    Column("skipdata_records", "SKIPDATA", "count"), Column("nodata_records", "NODATA", "count"),
    Column("ok_records", "OK", "count"), Column("total_records", "All records", "count"),
    Column("days_with_gaps", "Days with gaps", "count"), Column("days", "Days", "count"),
    Column("first_day", "First day", "date"), Column("last_day", "Last day", "date")]
NACL_COLUMNS = [
    Column("event_date", "Day", "date"), Column("client_addr", "Client"),
    Column("server_addr", "Server"), Column("server_port", "Server port", "number"),
    Column("protocol", "Protocol", "number"), Column("connections", "Connections", "count"),
    Column("accepted_request_flows", "Accepted requests", "count"),
    Column("rejected_response_flows", "Rejected responses", "count"),
    Column("interface_id", "Interface"), Column("account_id", "Account")]


def section_rejects_per_day(rows: list[Row]) -> Section:
    section = Section(
        "rejected-per-day", "Rejected traffic per day",
        "REJECT flow records per UTC day (fct_rejects_by_source), stacked by account.",
        "No rejected traffic.")
    if rows:
        section.charts.append(figure_html(chart_rejects_per_day(rows), "chart-rejected-per-day"))
    return section


def section_top_rejected_sources(rows: list[Row]) -> Section:
    section = Section(
        "top-rejected-sources", "Top rejected sources",
        f"The {TOP_N} source addresses with the most REJECT flow records "
        "(fct_rejects_by_source, all days).", "No rejected sources.")
    if rows:
        section.charts.append(
            figure_html(chart_top_rejected_sources(rows), "chart-top-rejected-sources"))
        section.table = make_table("table-top-rejected-sources", REJECT_SOURCE_COLUMNS, rows)
    return section


def section_top_talkers(rows: list[Row]) -> Section:
    section = Section(
        "top-talkers", "Top talkers",
        f"The {TOP_N} addresses with the most bytes sent plus received, all actions "
        "(fct_bytes_per_ip).", "No traffic.")
    if rows:
        section.charts.append(figure_html(chart_top_talkers(rows), "chart-top-talkers"))
        section.table = make_table("table-top-talkers", TALKER_COLUMNS, rows)
    return section


def section_ssh_rdp(rows: list[Row]) -> Section:
    section = Section(
        "ssh-rdp", "SSH and RDP activity",
        "TCP flow records to or from ports 22 and 3389 (fct_ssh_rdp_activity): one marker per "
        "day, interface, source, destination, direction and action, at its first record; "
        "circles are SSH, diamonds RDP, open markers responses, size grows with flows. "
        f"The chart shows the {SSH_RDP_TOP_SOURCES} sources with the most flows; the "
        "table below lists every row.",
        "No SSH or RDP traffic.")
    if rows:
        section.charts.append(figure_html(chart_ssh_rdp(rows), "chart-ssh-rdp"))
        section.table = make_table("table-ssh-rdp", SSH_RDP_COLUMNS, rows, TIMELINE_LIMIT)
    return section


def section_alarms(rows: list[Row]) -> Section:
    section = Section(
        "alarms", "Metric filter alarms",
        "CloudWatch-style metric filters of the metric_filters seed (fct_metric_alarms): "
        "matched records per period with the alarm threshold; the table lists the periods "
        "in alarm.", "No record matched a metric filter.")
    if rows:
        section.charts.append(figure_html(chart_alarms(rows), "chart-alarms"))
        in_alarm = [row for row in rows if row["in_alarm"]]
        section.table = make_table("table-alarms", ALARM_COLUMNS, in_alarm)
        if len(rows) >= TIMELINE_LIMIT:
            section.intro += f" Only the latest {TIMELINE_LIMIT:,} periods with matches."
        if not in_alarm:
            section.intro += " No period was in alarm."
    return section


def table_section(anchor: str, title: str, intro: str, empty: str,
                  columns: list[Column]) -> SectionBuilder:
    """A section that is one sortable table of the mart's rows (at most TABLE_LIMIT)."""
    def build(rows: list[Row]) -> Section:
        section = Section(anchor, title, intro, empty)
        if rows:
            section.table = make_table(f"table-{anchor}", columns, rows, TABLE_LIMIT)
        return section
    return build


FINDING_COLUMNS = [
    Column("severity", "Severity"), Column("mitre_technique_id", "ATT&CK"),
    Column("mitre_technique_name", "Technique"), Column("detection_id", "Detection"),
    Column("account_id", "Account"), Column("srcaddr", "Source"),
    Column("dstaddr", "Destination"), Column("dstport", "Port"),
    Column("flows", "Flows", "count"), Column("bytes", "Bytes", "bytes"),
    Column("first_seen_at", "First seen (UTC)", "time"),
    Column("last_seen_at", "Last seen (UTC)", "time"), Column("evidence", "Evidence"),
    Column("finding_id", "Finding id")]

section_findings = table_section(
    "security-findings", "Security findings",
    "Findings of every enabled detection (fct_security_findings), most severe first, with "
    "their MITRE ATT&CK technique and evidence; finding ids stay the same across runs.",
    "No finding.", FINDING_COLUMNS)

section_port_scans = table_section(
    "port-scans", "Port scans",
    "Sources over the port scan thresholds in a window (fct_port_scans): vertical = many "
    "ports, horizontal = many addresses.", "No port scan detected.", PORT_SCAN_COLUMNS)

section_coverage_gaps = table_section(
    "coverage-gaps", "Logging coverage gaps",
    "Interfaces with NODATA (no traffic in the capture window) or SKIPDATA (records "
    "skipped by AWS) records (fct_flow_log_coverage, all days).",
    "No NODATA or SKIPDATA records: no logging gap.", COVERAGE_COLUMNS)

section_nacl = table_section(
    "nacl-asymmetries", "Stateless NACL asymmetries",
    "ACCEPTed requests whose responses were REJECTed on the same interface "
    "(fct_nacl_asymmetric_flows): the signature of a network ACL missing its return rule.",
    "No asymmetric flow.", NACL_COLUMNS)


SECTIONS: list[tuple[str, SectionBuilder]] = [
    ("security_findings", section_findings),
    ("rejects_per_day", section_rejects_per_day),
    ("top_rejected_sources", section_top_rejected_sources),
    ("top_talkers", section_top_talkers),
    ("ssh_rdp", section_ssh_rdp),
    ("alarms", section_alarms),
    ("port_scans", section_port_scans),
    ("coverage_gaps", section_coverage_gaps),
    ("nacl_asymmetries", section_nacl),
]


@dataclass(frozen=True)
class Card:
    """A summary count, linked to its section."""

    label: str
    value: str
    target: str
    alert: bool = False


def summary_cards(summary: Row) -> list[Card]:
    """The counts at the top of the report."""
    flows = summary.get("flows") or 0
    rejected = summary.get("rejected_flows") or 0
    share = f" ({rejected / flows:.1%})" if flows else ""

    def count(key: str) -> int:
        return int(summary.get(key) or 0)

    return [
        Card("Flow records", f"{flows:,}", "rejected-per-day"),
        Card(f"Rejected flow records{share}", f"{rejected:,}", "rejected-per-day"),
        Card("Rejected sources", f"{count('rejected_sources'):,}", "top-rejected-sources"),
        Card("Port scans", f"{count('port_scans'):,}", "port-scans", count("port_scans") > 0),
        Card("Alarm periods", f"{count('alarm_periods'):,}", "alarms",
             count("alarm_periods") > 0),
        Card("Untrusted SSH/RDP sources", f"{count('untrusted_ssh_rdp_sources'):,}", "ssh-rdp",
             count("untrusted_ssh_rdp_sources") > 0),
        Card("Interfaces with logging gaps", f"{count('interfaces_with_gaps'):,}",
             "coverage-gaps", count("interfaces_with_gaps") > 0),
        Card("NACL asymmetries", f"{count('nacl_asymmetries'):,}", "nacl-asymmetries",
             count("nacl_asymmetries") > 0),
    ]


def period_text(summary: Row) -> str:
    first, last = summary.get("first_day"), summary.get("last_day")
    if first is None:
        return "no flow records"
    return f"{first} to {last} (UTC)" if first != last else f"{first} (UTC)"


def render(data: Mapping[str, list[Row]], source: str,
           generated_at: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    summary = (data.get("summary") or [{}])[0]
    # No record at all (NODATA/SKIPDATA included) is no data, never "no findings".
    no_data = not (summary.get("flows") or summary.get("records"))
    sections = [builder(list(data.get(name, []))) for name, builder in SECTIONS]
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        title="VPC Flow Logs security report", source=source, period=period_text(summary),
        generated_at=(generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        accounts=summary.get("accounts") or 0, interfaces=summary.get("interfaces") or 0,
        cards=summary_cards(summary), sections=sections, no_data=no_data,
        plotly_js=get_plotlyjs())
