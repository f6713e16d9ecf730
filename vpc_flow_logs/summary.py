"""Print a short, readable summary of a DuckDB build: rows per model and top findings.

Usage: python -m vpc_flow_logs.summary [--database target/vpc_flow_logs.duckdb]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import duckdb

DEFAULT_DATABASE = os.environ.get("DBT_DUCKDB_PATH", "target/vpc_flow_logs.duckdb")

FINDINGS = [
    ("Top rejected sources", """
        select srcaddr, sum(rejected_flows) as rejected, max(distinct_dst_ports) as ports
        from main_marts.fct_rejects_by_source group by srcaddr
        order by rejected desc, srcaddr limit 5""", ("source", "rejected flows", "dst ports")),
    ("Port scans", """
        select strftime(window_start, '%Y-%m-%d %H:%M') as hour, srcaddr, scan_type,
               distinct_dst_ports, distinct_dst_addrs
        from main_marts.fct_port_scans order by window_start, srcaddr limit 5""",
     ("hour (UTC)", "source", "type", "ports", "addresses")),
    ("SSH/RDP from untrusted sources", """
        select service, srcaddr, action, sum(flows) as flows
        from main_marts.fct_ssh_rdp_activity
        where not is_response and not is_trusted_source
        group by service, srcaddr, action order by flows desc, srcaddr limit 5""",
     ("service", "source", "action", "flows")),
    ("Alarm periods (metric filters)", """
        select filter_name, count(*) as periods_in_alarm, min(period_start) as first_alarm
        from main_marts.fct_metric_alarms where in_alarm
        group by filter_name order by filter_name""", ("filter", "periods in alarm", "first")),
    ("Top talkers (bytes)", """
        select ip, sum(total_bytes) as total_bytes from main_marts.fct_bytes_per_ip
        group by ip order by total_bytes desc, ip limit 5""", ("ip", "bytes")),
    ("Stateless NACL asymmetry", """
        select client_addr, server_addr, server_port, sum(connections) as connections
        from main_marts.fct_nacl_asymmetric_flows
        group by client_addr, server_addr, server_port order by connections desc limit 5""",
     ("client", "server", "port", "connections")),
    ("Logging gaps (NODATA / SKIPDATA)", """
        select interface_id, sum(nodata_records) as nodata, sum(skipdata_records) as skipdata
        from main_marts.fct_flow_log_coverage
        where nodata_records + skipdata_records > 0
        group by interface_id order by skipdata desc, nodata desc limit 5""",
     ("interface", "NODATA", "SKIPDATA")),
    ("Malformed lines", """
        select reason, count(*) as lines from main_staging.stg_vpc_flow_logs__malformed
        group by reason order by lines desc, reason""", ("reason", "lines")),
    ("Unreadable or foreign files", """
        select status, count(*) as files, min(reason) as example
        from main.raw_flow_logs__files where status <> 'ok'
        group by status order by status""", ("status", "files", "reason")),
]


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


def summarize(database: Path) -> str:
    """The summary text for a built database."""
    with duckdb.connect(str(database), read_only=True) as connection:
        models = connection.sql("""
            select table_schema, table_name,
                   case when table_type = 'VIEW' then 'view' else 'table' end as kind
            from information_schema.tables
            where table_schema like 'main_%' and table_name not like 'dbt_%'
            order by table_schema, table_name""").fetchall()
        counts = []
        for schema, name, kind in models:
            count = connection.sql(f'select count(*) from "{schema}"."{name}"').fetchall()[0][0]
            counts.append((f"{schema}.{name}", kind, count))
        parts = ["Rows per model", table(("model", "kind", "rows"), counts)]
        for title, sql, headers in FINDINGS:
            try:
                found = connection.sql(sql).fetchall()
            except duckdb.Error:
                continue
            parts += ["", title, table(headers, found) if found else "  (none)"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.summary",
        description="Print rows per model and the top findings of a local DuckDB build.")
    parser.add_argument("--database", type=Path, default=Path(DEFAULT_DATABASE),
                        help=f"DuckDB file built by dbt (default: {DEFAULT_DATABASE})")
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"error: {args.database} does not exist; run `make demo` (or dbt build) first.",
              file=sys.stderr)
        return 2
    print(summarize(args.database))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
