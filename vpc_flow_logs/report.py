"""Render the security report: one self-contained HTML file built from the marts.

Usage: python -m vpc_flow_logs.report [--database target/vpc_flow_logs.duckdb]
                                [--output target/security_report.html]
                                [--target {local,athena}] [--screenshot PNG]

The report reads the marts of a local DuckDB build (default) or of Athena
(``--target athena``, configured by the same environment variables as
``profiles.example.yml``). Both backends answer the same portable SQL through one
small interface (:class:`Backend`: a label and ``rows(sql)``), so the rendering is
shared. Charts are plotly figures; plotly.js is inlined once, so the file works
offline and has no external link. Tables sort when a header is clicked (small
inline script in ``report_template.html``).
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import jinja2
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

DEFAULT_DATABASE = os.environ.get("DBT_DUCKDB_PATH", "target/vpc_flow_logs.duckdb")
DEFAULT_OUTPUT = "target/security_report.html"
TEMPLATE = Path(__file__).with_name("report_template.html")
DUCKDB_MARTS = "main_marts"
TOP_N = 15
TABLE_LIMIT = 500
TIMELINE_LIMIT = 2000

Row = dict[str, Any]

# Portable SQL (DuckDB and Athena/Trino): explicit columns, `{marts}` = the marts schema.
QUERIES: dict[str, str] = {
    "summary": """
        select
            (select sum(flows) from {marts}.fct_traffic_daily) as flows,
            (select sum(flows) from {marts}.fct_traffic_daily
             where action = 'REJECT') as rejected_flows,
            (select min(event_date) from {marts}.fct_traffic_daily) as first_day,
            (select max(event_date) from {marts}.fct_traffic_daily) as last_day,
            (select count(distinct account_id) from {marts}.fct_traffic_daily) as accounts,
            (select count(distinct interface_id) from {marts}.fct_traffic_daily) as interfaces,
            (select count(distinct srcaddr) from {marts}.fct_rejects_by_source)
                as rejected_sources,
            (select count(*) from {marts}.fct_port_scans) as port_scans,
            (select count(*) from {marts}.fct_metric_alarms where in_alarm) as alarm_periods,
            (select count(distinct srcaddr) from {marts}.fct_ssh_rdp_activity
             where not is_response and not is_trusted_source) as untrusted_ssh_rdp_sources,
            (select count(distinct interface_id) from {marts}.fct_flow_log_coverage
             where nodata_records + skipdata_records > 0) as interfaces_with_gaps,
            (select count(*) from {marts}.fct_nacl_asymmetric_flows) as nacl_asymmetries""",
    "rejects_per_day": """
        select event_date, account_id, sum(rejected_flows) as rejected_flows,
               count(distinct srcaddr) as sources
        from {marts}.fct_rejects_by_source
        group by event_date, account_id
        order by event_date, account_id""",
    "top_rejected_sources": f"""
        select srcaddr, sum(rejected_flows) as rejected_flows,
               sum(rejected_packets) as rejected_packets, sum(rejected_bytes) as rejected_bytes,
               max(distinct_dst_ports) as max_dst_ports, max(distinct_dst_addrs) as max_dst_addrs,
               count(distinct event_date) as days, min(first_seen_at) as first_seen_at,
               max(last_seen_at) as last_seen_at
        from {{marts}}.fct_rejects_by_source
        group by srcaddr
        order by rejected_flows desc, srcaddr
        limit {TOP_N}""",
    "top_talkers": f"""
        select ip, sum(bytes_sent) as bytes_sent, sum(bytes_received) as bytes_received,
               sum(total_bytes) as total_bytes, sum(flows_as_source) as flows_as_source,
               sum(flows_as_destination) as flows_as_destination
        from {{marts}}.fct_bytes_per_ip
        group by ip
        order by total_bytes desc, ip
        limit {TOP_N}""",
    "ssh_rdp": f"""
        select event_date, account_id, interface_id, srcaddr, dstaddr, service, service_port,
               is_response, action, flows, packets, bytes, first_seen_at, last_seen_at,
               is_trusted_source
        from {{marts}}.fct_ssh_rdp_activity
        order by flows desc, first_seen_at, srcaddr, dstaddr, interface_id
        limit {TIMELINE_LIMIT}""",
    "alarms": f"""
        select filter_name, account_id, period_start, period_end, matched_records, threshold,
               comparison, in_alarm
        from {{marts}}.fct_metric_alarms
        order by period_start desc, filter_name, account_id
        limit {TIMELINE_LIMIT}""",
    "port_scans": f"""
        select window_start, window_end, account_id, srcaddr, scan_type, distinct_dst_ports,
               distinct_dst_addrs, flows, rejected_flows
        from {{marts}}.fct_port_scans
        order by window_start, srcaddr, account_id
        limit {TABLE_LIMIT}""",
    "coverage_gaps": f"""
        select account_id, interface_id, count(*) as days,
               sum(case when nodata_records + skipdata_records > 0 then 1 else 0 end)
                   as days_with_gaps,
               sum(ok_records) as ok_records, sum(nodata_records) as nodata_records,
               sum(skipdata_records) as skipdata_records, sum(total_records) as total_records,
               min(event_date) as first_day, max(event_date) as last_day
        from {{marts}}.fct_flow_log_coverage
        group by account_id, interface_id
        having sum(nodata_records) + sum(skipdata_records) > 0
        order by skipdata_records desc, nodata_records desc, interface_id, account_id
        limit {TABLE_LIMIT}""",
    "nacl_asymmetries": f"""
        select event_date, account_id, interface_id, client_addr, server_addr, protocol,
               server_port, distinct_server_ports, connections, accepted_request_flows,
               rejected_response_flows, first_seen_at, last_seen_at
        from {{marts}}.fct_nacl_asymmetric_flows
        order by event_date, connections desc, client_addr, server_addr
        limit {TABLE_LIMIT}""",
}


class ReportError(Exception):
    """The report cannot be built (missing database, unbuilt marts, failed query)."""


# --------------------------------------------------------------------------- data access


class Backend(Protocol):
    """Where the marts are: a label for the report, a schema name and rows of a query."""

    label: str
    marts: str

    def rows(self, sql: str) -> list[Row]:
        """Rows of `sql` as dicts of plain Python values (see :func:`plain`)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def plain(value: Any) -> Any:
    """Decimals become int (or float): both engines then hand the renderer the same types."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class DuckDBBackend:
    """The marts of a local DuckDB build (read-only)."""

    def __init__(self, database: Path, marts: str = DUCKDB_MARTS) -> None:
        import duckdb

        if not database.is_file():
            raise ReportError(
                f"{database} does not exist; run `make demo` (or `dbt build`) first.")
        self._duckdb = duckdb
        try:
            self._connection = duckdb.connect(str(database), read_only=True)
        except duckdb.Error as error:
            raise ReportError(f"cannot open {database} with DuckDB: {_first_line(error)}") from None
        self.database = database
        self.label = f"DuckDB {database}"
        self.marts = marts
        self._check_marts()

    def _check_marts(self) -> None:
        found = {name for (name,) in self._connection.execute(
            "select table_name from information_schema.tables where table_schema = ?",
            [self.marts]).fetchall()}
        missing = sorted(set(required_marts()) - found)
        if missing:
            self.close()
            what = (f"no marts (schema {self.marts})" if len(missing) == len(required_marts())
                    else f"no table {', '.join(f'{self.marts}.{name}' for name in missing)}")
            raise ReportError(
                f"{self.database} has {what}; run `make demo` (or `dbt build`) first.")

    def rows(self, sql: str) -> list[Row]:
        try:
            cursor = self._connection.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, map(plain, row), strict=True)) for row in cursor.fetchall()]
        except self._duckdb.CatalogException as error:
            raise ReportError(
                f"the marts of {self.database} do not match the report ({_first_line(error)}); "
                "rebuild them with `dbt build`.") from None
        except self._duckdb.Error as error:
            raise ReportError(f"query failed on {self.database}: {_first_line(error)}") from None

    def close(self) -> None:
        self._connection.close()


@dataclass(frozen=True)
class AthenaSettings:
    """Athena location of the marts, from the variables of profiles.example.yml."""

    schema: str
    work_group: str
    region: str
    catalog: str = "awsdatacatalog"
    s3_staging_dir: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> AthenaSettings:
        """dbt's default generate_schema_name puts the marts in `<ATHENA_SCHEMA>_marts`."""
        return cls(
            schema=f"{env.get('ATHENA_SCHEMA', 'vpc_flow_logs')}_marts",
            work_group=env.get("ATHENA_WORK_GROUP", "primary"),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            catalog=env.get("ATHENA_CATALOG", "awsdatacatalog"),
            s3_staging_dir=env.get("ATHENA_S3_STAGING_DIR") or None,
        )

    @property
    def marts(self) -> str:
        """The schema as quoted in queries."""
        return f'"{self.schema}"'


def athena_value(value: str | None, athena_type: str) -> Any:
    """A value of Athena's GetQueryResults (always a string) as a Python value."""
    if value is None:
        return None
    kind = athena_type.lower().split("(")[0].strip()
    if kind in {"tinyint", "smallint", "integer", "int", "bigint"}:
        return int(value)
    if kind == "decimal":
        return plain(Decimal(value))
    if kind in {"double", "real", "float"}:
        return float(value)
    if kind == "boolean":
        return value.lower() == "true"
    if kind == "date":
        return date.fromisoformat(value)
    if kind.startswith("timestamp"):
        return datetime.fromisoformat(value.removesuffix(" UTC"))
    return value


class AthenaBackend:
    """The marts on Athena: through PyAthena when installed, else boto3's Athena API."""

    POLL_SECONDS = (0.2, 0.5, 1.0, 2.0)
    TIMEOUT_SECONDS = 900

    def __init__(self, settings: AthenaSettings, use_pyathena: bool | None = None) -> None:
        from vpc_flow_logs.aws import AwsSetupError, make_client, make_session

        self.settings = settings
        self.marts = settings.marts
        self.label = (f"Athena {settings.catalog}.{settings.schema} "
                      f"(work group {settings.work_group}, {settings.region})")
        try:
            self._session = make_session(region=settings.region)
            self._client = make_client(self._session, "athena")
        except AwsSetupError as error:
            raise ReportError(str(error)) from None
        if use_pyathena is None:
            use_pyathena = _has_module("pyathena")
        self._cursor = self._pyathena_cursor() if use_pyathena else None

    def _pyathena_cursor(self) -> Any:
        import pyathena

        from vpc_flow_logs.aws import client_config

        connection = pyathena.connect(
            s3_staging_dir=self.settings.s3_staging_dir,
            region_name=self.settings.region, work_group=self.settings.work_group,
            schema_name=self.settings.schema, catalog_name=self.settings.catalog,
            session=self._session, config=client_config(self._session), poll_interval=0.5)
        return connection.cursor()

    def rows(self, sql: str) -> list[Row]:
        if self._cursor is not None:
            return self._pyathena_rows(sql)
        return self._boto3_rows(sql)

    def _pyathena_rows(self, sql: str) -> list[Row]:
        from botocore.exceptions import BotoCoreError, ClientError
        from pyathena.error import Error as PyAthenaError

        try:
            self._cursor.execute(sql)
            names = [column[0] for column in self._cursor.description or ()]
            return [dict(zip(names, map(plain, row), strict=True))
                    for row in self._cursor.fetchall()]
        except (PyAthenaError, BotoCoreError, ClientError) as error:
            raise ReportError(f"Athena query failed: {_first_line(error)}") from None

    def _boto3_rows(self, sql: str) -> list[Row]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            query_id = self._start(sql)
            self._wait(query_id)
            return self._results(query_id)
        except (BotoCoreError, ClientError) as error:
            raise ReportError(f"Athena query failed: {_first_line(error)}") from None

    def _start(self, sql: str) -> str:
        request: dict[str, Any] = {
            "QueryString": sql, "WorkGroup": self.settings.work_group,
            "QueryExecutionContext": {"Database": self.settings.schema,
                                      "Catalog": self.settings.catalog}}
        if self.settings.s3_staging_dir:
            request["ResultConfiguration"] = {"OutputLocation": self.settings.s3_staging_dir}
        return self._client.start_query_execution(**request)["QueryExecutionId"]

    def _wait(self, query_id: str) -> None:
        deadline = time.monotonic() + self.TIMEOUT_SECONDS
        for attempt in itertools.count():
            execution = self._client.get_query_execution(QueryExecutionId=query_id)
            status = execution["QueryExecution"]["Status"]
            state = status["State"]
            if state == "SUCCEEDED":
                return
            if state in {"FAILED", "CANCELLED"}:
                reason = status.get("StateChangeReason", "no reason given")
                raise ReportError(f"Athena query {query_id} {state.lower()}: {reason}")
            if time.monotonic() > deadline:
                raise ReportError(f"Athena query {query_id} still {state.lower()} after "
                                  f"{self.TIMEOUT_SECONDS} s.")
            time.sleep(self.POLL_SECONDS[min(attempt, len(self.POLL_SECONDS) - 1)])

    def _results(self, query_id: str) -> list[Row]:
        paginator = self._client.get_paginator("get_query_results")
        columns: list[tuple[str, str]] = []
        rows: list[Row] = []
        for page in paginator.paginate(QueryExecutionId=query_id):
            result = page["ResultSet"]
            raw_rows = [[cell.get("VarCharValue") for cell in raw["Data"]]
                        for raw in result["Rows"]]
            if not columns:
                columns = [(info["Name"], info["Type"])
                           for info in result["ResultSetMetadata"]["ColumnInfo"]]
                if raw_rows and raw_rows[0] == [name for name, _ in columns]:
                    raw_rows = raw_rows[1:]  # a SELECT's first row repeats the column names
            rows += [{name: athena_value(value, kind)
                      for (name, kind), value in zip(columns, values, strict=True)}
                     for values in raw_rows]
        return rows

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def required_marts() -> list[str]:
    """The mart tables the report queries."""
    return sorted({name for sql in QUERIES.values()
                   for name in re.findall(r"\{marts\}\.(\w+)", sql)})


def collect(backend: Backend) -> dict[str, list[Row]]:
    """Rows of every report query, by query name."""
    return {name: backend.rows(sql.format(marts=backend.marts)) for name, sql in QUERIES.items()}


# --------------------------------------------------------------------------- formatting


def human_bytes(value: float) -> str:
    """1536 -> '1.5 KB' (powers of 1024)."""
    units = ("B", "KB", "MB", "GB", "TB", "PB")
    scaled, unit = float(value), 0
    while abs(scaled) >= 1024 and unit < len(units) - 1:
        scaled, unit = scaled / 1024, unit + 1
    return f"{int(scaled)} B" if unit == 0 else f"{scaled:.1f} {units[unit]}"


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


# --------------------------------------------------------------------------- charts

COLORS = {"REJECT": "#d62728", "ACCEPT": "#2ca02c", "sent": "#1f77b4", "received": "#ff7f0e",
          "alarm": "#d62728", "ok": "#9aa5b1", "threshold": "#111827"}
ACCOUNT_COLORS = ("#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _layout(figure: go.Figure, height: int, **extra: Any) -> go.Figure:
    figure.update_layout(
        template="plotly_white", height=height, margin={"l": 60, "r": 20, "t": 30, "b": 50},
        font={"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 12},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        hoverlabel={"namelength": -1}, **extra)
    return figure


def chart_rejects_per_day(rows: list[Row]) -> go.Figure:
    """Rejected flow records per UTC day, stacked by account."""
    figure = go.Figure()
    accounts = sorted({row["account_id"] for row in rows})
    for index, account in enumerate(accounts):
        mine = [row for row in rows if row["account_id"] == account]
        figure.add_bar(
            name=f"account {account}", x=[row["event_date"] for row in mine],
            y=[row["rejected_flows"] for row in mine],
            customdata=[[row["sources"]] for row in mine],
            marker_color=ACCOUNT_COLORS[index % len(ACCOUNT_COLORS)],
            hovertemplate="%{x|%Y-%m-%d}: %{y:,} rejected flows from %{customdata[0]:,} "
                          "sources<extra>%{fullData.name}</extra>")
    _layout(figure, 300, barmode="stack", showlegend=len(accounts) > 1)
    figure.update_xaxes(type="date", tickformat="%Y-%m-%d", dtick=86_400_000)
    figure.update_yaxes(title_text="rejected flow records", rangemode="tozero")
    return figure


def chart_top_rejected_sources(rows: list[Row]) -> go.Figure:
    """Horizontal bars: rejected flow records of the top sources."""
    figure = go.Figure(go.Bar(
        x=[row["rejected_flows"] for row in rows], y=[row["srcaddr"] for row in rows],
        orientation="h", marker_color=COLORS["REJECT"], name="rejected flows",
        customdata=[[row["max_dst_ports"], row["max_dst_addrs"]] for row in rows],
        hovertemplate="%{y}: %{x:,} rejected flows, up to %{customdata[0]:,} ports and "
                      "%{customdata[1]:,} addresses a day<extra></extra>"))
    _layout(figure, _bar_height(len(rows)), showlegend=False)
    figure.update_yaxes(type="category", autorange="reversed")
    figure.update_xaxes(title_text="rejected flow records")
    return figure


def chart_top_talkers(rows: list[Row]) -> go.Figure:
    """Horizontal stacked bars: bytes sent and received by the top addresses."""
    figure = go.Figure()
    for key, name in (("bytes_sent", "sent"), ("bytes_received", "received")):
        figure.add_bar(
            name=f"bytes {name}", x=[row[key] for row in rows], y=[row["ip"] for row in rows],
            orientation="h", marker_color=COLORS[name],
            text=[human_bytes(row[key]) for row in rows], textposition="none",
            hovertemplate="%{y}: %{text} " + name + "<extra></extra>")
    _layout(figure, _bar_height(len(rows)), barmode="stack", legend_traceorder="normal")
    figure.update_yaxes(type="category", autorange="reversed")
    figure.update_xaxes(title_text="bytes", tickformat=".2s")
    return figure


def _bar_height(bars: int) -> int:
    return max(220, 110 + 24 * bars)


def chart_ssh_rdp(rows: list[Row]) -> go.Figure:
    """Timeline: one marker per activity row at its first record, by service and action."""
    figure = go.Figure()
    groups = sorted({(row["service"] or "?", row["action"]) for row in rows})
    for service, action in groups:
        mine = [row for row in rows if (row["service"] or "?", row["action"]) == (service, action)]
        figure.add_scatter(
            name=f"{service.upper()} {action}", mode="markers",
            x=[row["first_seen_at"] for row in mine], y=[row["srcaddr"] for row in mine],
            marker={"size": [8 + 4 * math.log10(max(row["flows"], 1)) for row in mine],
                    "symbol": [_ssh_rdp_symbol(service, row) for row in mine],
                    "color": COLORS.get(action, "#7f7f7f"), "opacity": 0.85,
                    "line": {"width": 1.5, "color": COLORS.get(action, "#7f7f7f")}},
            customdata=[_ssh_rdp_hover(row) for row in mine],
            hovertemplate="%{customdata}<extra>%{fullData.name}</extra>")
    _layout(figure, max(260, 140 + 26 * len({row["srcaddr"] for row in rows})))
    figure.update_yaxes(type="category", title_text="source address")
    figure.update_xaxes(type="date", title_text="first record (UTC)")
    return figure


def _ssh_rdp_symbol(service: str, row: Row) -> str:
    shape = "circle" if service == "ssh" else "diamond"
    return f"{shape}-open" if row["is_response"] else shape


def _ssh_rdp_hover(row: Row) -> str:
    direction = "response" if row["is_response"] else "request"
    trust = "trusted" if row["is_trusted_source"] else "untrusted"
    return (f"{row['srcaddr']} → {row['dstaddr']}:{row['service_port']} ({direction}, {trust})"
            f"<br>{row['interface_id']}, account {row['account_id']}"
            f"<br>{row['flows']:,} flows, {human_bytes(row['bytes'] or 0)}"
            f"<br>{row['first_seen_at']:%Y-%m-%d %H:%M:%S} – {row['last_seen_at']:%H:%M:%S}")


def chart_alarms(rows: list[Row]) -> go.Figure:
    """One panel per metric filter: matched records per period, red when in alarm, threshold."""
    filters = sorted({row["filter_name"] for row in rows})
    figure = make_subplots(rows=len(filters), cols=1, subplot_titles=filters,
                           vertical_spacing=min(0.12, 0.4 / len(filters)))
    for index, name in enumerate(filters, start=1):
        _alarm_panel(figure, [row for row in rows if row["filter_name"] == name], index)
    _layout(figure, 140 + 230 * len(filters), barmode="overlay", bargap=0)
    figure.update_xaxes(type="date")
    figure.update_yaxes(title_text="matched records", rangemode="tozero")
    return figure


def _alarm_panel(figure: go.Figure, rows: list[Row], panel: int) -> None:
    for in_alarm, label in ((True, "in alarm"), (False, "below threshold")):
        mine = [row for row in rows if bool(row["in_alarm"]) == in_alarm]
        if not mine:
            continue
        figure.add_bar(
            name=label, legendgroup=label, showlegend=not _has_trace(figure, label),
            x=[row["period_start"] for row in mine], y=[row["matched_records"] for row in mine],
            width=[_period_ms(row) for row in mine], offset=0,
            marker_color=COLORS["alarm" if in_alarm else "ok"],
            customdata=[[row["period_end"], row["account_id"]] for row in mine],
            hovertemplate="%{x|%Y-%m-%d %H:%M} – %{customdata[0]|%H:%M}: %{y:,} matched "
                          "(account %{customdata[1]})<extra>" + label + "</extra>",
            row=panel, col=1)
    threshold, comparison = rows[0]["threshold"], rows[0]["comparison"]
    start = min(row["period_start"] for row in rows)
    end = max(row["period_end"] for row in rows)
    figure.add_scatter(
        name="threshold", legendgroup="threshold", showlegend=not _has_trace(figure, "threshold"),
        x=[start, end], y=[threshold, threshold], mode="lines",
        line={"color": COLORS["threshold"], "dash": "dash", "width": 1.5},
        hovertemplate=f"alarm when matched {comparison} {threshold}<extra></extra>",
        row=panel, col=1)
    figure.update_xaxes(range=[start, end], row=panel, col=1)


def _has_trace(figure: go.Figure, name: str) -> bool:
    return any(trace.name == name and trace.showlegend is not False for trace in figure.data)


def _period_ms(row: Row) -> float:
    return (row["period_end"] - row["period_start"]) / timedelta(milliseconds=1)


def figure_html(figure: go.Figure, div_id: str) -> str:
    """The figure as a <div> and its plotting script (plotly.js itself is inlined once)."""
    return figure.to_html(
        full_html=False, include_plotlyjs=False, div_id=div_id, default_height="auto",
        config={"displaylogo": False, "responsive": True, "displayModeBar": "hover",
                "modeBarButtonsToRemove": ["sendDataToCloud"]})


# --------------------------------------------------------------------------- sections


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
        "circles are SSH, diamonds RDP, open markers responses, size grows with flows.",
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


# --------------------------------------------------------------------------- rendering


def render(data: Mapping[str, list[Row]], source: str,
           generated_at: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    summary = (data.get("summary") or [{}])[0]
    sections = [builder(list(data.get(name, []))) for name, builder in SECTIONS]
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                                     trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(TEMPLATE.read_text(encoding="utf-8"))
    return template.render(
        title="VPC Flow Logs security report", source=source, period=period_text(summary),
        generated_at=(generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        accounts=summary.get("accounts") or 0, interfaces=summary.get("interfaces") or 0,
        cards=summary_cards(summary), sections=sections,
        plotly_js=get_plotlyjs())


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    """A PNG of the top of the report, taken by headless Chromium (Debian's `chromium`)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise ReportError("--screenshot needs Chromium: apt-get install chromium.")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "--virtual-time-budget=10000",
             f"--screenshot={png.resolve()}", html.resolve().as_uri()],
            check=True, capture_output=True, timeout=120)


def open_backend(args: argparse.Namespace) -> DuckDBBackend | AthenaBackend:
    if args.target == "athena":
        return AthenaBackend(AthenaSettings.from_env())
    return DuckDBBackend(args.database)


def build_report(backend: Backend, output: Path) -> dict[str, list[Row]]:
    """Query the marts, render the report to `output`; returns the rows used."""
    data = collect(backend)
    write_atomically(output, render(data, backend.label))
    return data


def parse_args(argv: Iterable[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.report",
        description="Render the security report (one self-contained HTML file, works "
                    "offline) from the marts of a DuckDB build or of Athena.")
    parser.add_argument("--database", type=Path, default=Path(DEFAULT_DATABASE),
                        help="DuckDB file built by dbt (default: $DBT_DUCKDB_PATH, else "
                             "target/vpc_flow_logs.duckdb)")
    parser.add_argument("--output", type=Path, default=Path(DEFAULT_OUTPUT),
                        help=f"HTML file to write (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--target", choices=("local", "athena"), default="local",
                        help="local: the DuckDB file (default); athena: the marts schema "
                             "<ATHENA_SCHEMA>_marts, with ATHENA_WORK_GROUP, "
                             "ATHENA_S3_STAGING_DIR, AWS_REGION and ATHENA_CATALOG as in "
                             "profiles.example.yml, through PyAthena (else boto3)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="also save a PNG of the top of the report (needs chromium), "
                             "e.g. docs/report.png")
    return parser.parse_args(list(argv) if argv is not None else None)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        backend = open_backend(args)
        try:
            build_report(backend, args.output)
        finally:
            backend.close()
        if args.screenshot:
            screenshot(args.output, args.screenshot)
    except ReportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except subprocess.SubprocessError as error:
        print(f"error: the screenshot failed: {_first_line(error)}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output} ({args.output.stat().st_size / 1_048_576:.1f} MB)"
          + (f" and {args.screenshot}" if args.screenshot else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
