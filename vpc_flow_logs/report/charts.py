"""The report's plotly charts, one function a chart (rows of a query in, a figure out)."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from vpc_flow_logs.common import human_bytes

Row = dict[str, Any]

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


SSH_RDP_TOP_SOURCES = 20


def top_ssh_rdp_sources(rows: list[Row], limit: int = SSH_RDP_TOP_SOURCES) -> list[Row]:
    """The rows of the `limit` sources with the most flows (ties by address): one chart
    row per source, so the chart keeps a readable height; the table has every row."""
    flows: dict[str, int] = {}
    for row in rows:
        flows[row["srcaddr"]] = flows.get(row["srcaddr"], 0) + int(row["flows"] or 0)
    top = set(sorted(flows, key=lambda source: (-flows[source], str(source)))[:limit])
    return [row for row in rows if row["srcaddr"] in top]


def chart_ssh_rdp(rows: list[Row]) -> go.Figure:
    """Timeline: one marker per activity row at its first record, by service and action,
    for the SSH_RDP_TOP_SOURCES sources with the most flows."""
    rows = top_ssh_rdp_sources(rows)
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
