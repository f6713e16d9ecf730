"""Print a short, readable summary of a DuckDB build: rows per model and top findings.

Usage: python -m vpc_flow_logs.summary [--database target/vpc_flow_logs.duckdb]
                                 [--manifest target/manifest.json]

The models and tables are those dbt's manifest names; the findings are the report's
queries (:mod:`vpc_flow_logs.queries`) with a short limit, and a few of the summary's own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from vpc_flow_logs.common import (
    InvalidInput,
    Relation,
    default_database,
    default_manifest,
    in_catalog,
    load_manifest,
    project_relations,
)
from vpc_flow_logs.queries import REPORT, SUMMARY, Query, render

LIMIT = 5


@dataclass(frozen=True)
class Finding:
    """A titled table of the summary: a query and the columns shown."""

    title: str
    query: Query
    columns: tuple[str, ...]
    headers: tuple[str, ...]
    limit: int | None = LIMIT
    formats: Mapping[str, Callable[[Any], str]] | None = None


FINDINGS = [
    Finding("Security findings by severity and ATT&CK technique",
            SUMMARY["findings_by_severity"],
            ("severity", "technique", "detection_id", "findings"),
            ("severity", "technique", "detection", "findings"), limit=None),
    Finding("Top rejected sources", REPORT["top_rejected_sources"],
            ("srcaddr", "rejected_flows", "max_dst_ports"),
            ("source", "rejected flows", "dst ports")),
    Finding("Port scans", REPORT["port_scans"],
            ("window_start", "srcaddr", "scan_type", "distinct_dst_ports", "distinct_dst_addrs"),
            ("hour (UTC)", "source", "type", "ports", "addresses"),
            formats={"window_start": lambda value: f"{value:%Y-%m-%d %H:%M}"}),
    Finding("SSH/RDP from untrusted sources", SUMMARY["untrusted_ssh_rdp"],
            ("service", "srcaddr", "action", "flows"), ("service", "source", "action", "flows")),
    Finding("Alarm periods (metric filters)", SUMMARY["alarm_periods"],
            ("filter_name", "periods_in_alarm", "first_alarm"),
            ("filter", "periods in alarm", "first"), limit=None),
    Finding("Top talkers (bytes)", REPORT["top_talkers"], ("ip", "total_bytes"), ("ip", "bytes")),
    Finding("Stateless NACL asymmetry", SUMMARY["nacl_asymmetry"],
            ("client_addr", "server_addr", "server_port", "connections"),
            ("client", "server", "port", "connections")),
    Finding("Logging gaps (NODATA / SKIPDATA)", REPORT["coverage_gaps"],
            ("interface_id", "nodata_records", "skipdata_records"),
            ("interface", "NODATA", "SKIPDATA")),
    Finding("Malformed lines", SUMMARY["malformed_lines"], ("reason", "lines"),
            ("reason", "lines"), limit=None),
    Finding("Unreadable or foreign files", SUMMARY["unreadable_files"],
            ("status", "files", "example"), ("status", "files", "reason"), limit=None),
]


# What the database covers: an old last day is a stale feed, not a quiet one.
PERIOD = Query("""
    select min(event_date), max(event_date), max(delivery_date)
    from {{ ref('stg_vpc_flow_logs') }}""")


NO_DATA = ("NO DATA: this database holds no flow log record, so empty sections below mean "
           "nothing was read, not that nothing was found. Check flow_logs_root and the "
           "build's log.")


def table(headers: tuple[str, ...], rows: list[tuple]) -> str:
    """Render rows as an aligned plain-text table."""
    cells = [list(headers)] + [[_fmt(value) for value in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join("  " + line.rstrip() for line in lines)


def _fmt(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 100_000 else str(value)
    if hasattr(value, "quantize"):  # Decimal
        return f"{int(value):,}"
    return "" if value is None else str(value)


def model_counts(connection: duckdb.DuckDBPyConnection,
                 relations: Mapping[str, Relation]) -> list[tuple[str, str, Any]]:
    """(schema.table, kind, rows) of every model and seed of the manifest, by schema and
    name; a relation the database lacks is listed as not built."""
    kinds = {Relation(schema, name): kind for schema, name, kind in connection.sql("""
        select table_schema, table_name,
               case when table_type = 'VIEW' then 'view' else 'table' end as kind
        from information_schema.tables
        where table_catalog = current_database()""").fetchall()}
    counts = []
    for relation in sorted({relation for name, relation in relations.items() if "." not in name},
                           key=lambda item: (item.schema, item.identifier)):
        label = f"{relation.schema}.{relation.identifier}"
        if relation not in kinds:
            counts.append((label, "not built", ""))
            continue
        count = connection.sql(f"select count(*) from {relation}").fetchall()[0][0]
        counts.append((label, kinds[relation], count))
    return counts


def finding_rows(connection: duckdb.DuckDBPyConnection, finding: Finding,
                 relations: Mapping[str, Relation]) -> list[tuple]:
    cursor = connection.execute(render(finding.query, relations, limit=finding.limit))
    names = [column[0] for column in cursor.description]
    formats = finding.formats or {}
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        rows.append(tuple(formats[column](row[column]) if column in formats else row[column]
                          for column in finding.columns))
    return rows


def summarize(database: Path, manifest: Path) -> str:
    """The summary text for a built database, with the relations of dbt's manifest."""
    manifest_relations = project_relations(load_manifest(manifest))
    with duckdb.connect(str(database), read_only=True) as connection:
        (catalog,) = connection.execute("select current_database()").fetchall()[0]
        relations = in_catalog(manifest_relations, catalog)
        counts = model_counts(connection, relations)
        parts = ["Rows per model", table(("model", "kind", "rows"), counts)]
        # No staged record at all is no data: empty sections must not read as "none found".
        records = sum(count for label, _, count in counts
                      if label.endswith(".stg_vpc_flow_logs") and count != "")
        if not records:
            parts[:0] = [NO_DATA, ""]
        else:
            first, last, delivered = connection.execute(render(PERIOD, relations)).fetchone()
            parts[:0] = [f"Data: event days {first} to {last} (UTC), last delivery day "
                         f"{delivered}", ""]
        for finding in FINDINGS:
            try:
                found = finding_rows(connection, finding, relations)
            except (duckdb.Error, InvalidInput) as error:
                message = str(error).strip().splitlines()[0]
                parts += ["", finding.title, f"  (not available: {message})"]
                continue
            empty = "  (none)" if records else "  (no data)"
            parts += ["", finding.title, table(finding.headers, found) if found else empty]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.summary",
        description="Print rows per model and the top findings of a local DuckDB build.")
    parser.add_argument("--database", type=Path, default=default_database(),
                        help="DuckDB file built by dbt (default: $DBT_DUCKDB_PATH, else "
                             "target/vpc_flow_logs.duckdb)")
    parser.add_argument("--manifest", type=Path, default=default_manifest(),
                        help="dbt's manifest.json of the build, which names the tables "
                             "(default: $DBT_TARGET_PATH/manifest.json, else "
                             "target/manifest.json)")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"error: {args.database} does not exist; run `make demo` (or dbt build) first.",
              file=sys.stderr)
        return 2
    try:
        print(summarize(args.database, args.manifest))
    except InvalidInput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
