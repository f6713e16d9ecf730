"""The tables the benchmark prints, from its JSON result."""

from __future__ import annotations

from typing import Any

from vpc_flow_logs.benchmark.cost import decimal_bytes
from vpc_flow_logs.benchmark.formats import render_formats
from vpc_flow_logs.common import human_bytes


def format_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                         for i, cell in enumerate(cells)).rstrip()

    return [line(headers), line(["-" * width for width in widths]), *map(line, rows)]


def render(result: dict[str, Any]) -> str:
    data = result["dataset"]
    measurements = result["measurements"]
    machine = result["machine"]
    lines = [
        f"Benchmark: {data['records']:,} records over {result['parameters']['days']} days "
        f"({data['files']:,} files, {decimal_bytes(data['gzip_bytes'])} gzip), "
        f"{machine['cpus']} CPUs, DuckDB {machine['duckdb']}, "
        f"median of {result['parameters']['repeat']}",
        "",
    ]
    rows = []
    for name in ("floor_duckdb", "floor_duckdb_latin1", "floor_gzip", "dbt_startup",
                 "full_build", "floor_day_duckdb", "incremental_day", "pandas_baseline"):
        item = measurements[name]
        rate = f"{item['records_per_second']:,.0f}" if item.get("records_per_second") else "-"
        rows.append([item["label"], f"{item['seconds']:.2f}", f"{item['cpu_seconds']:.1f}", rate,
                     human_bytes(item["peak_rss_bytes"])])
    lines += format_table(["step", "median s", "CPU s", "records/s", "peak RSS"], rows,
                          {1, 2, 3, 4})
    other = sum(value or 0.0 for item in measurements.values()
                for value in item["other_processes_cpu_seconds"])
    measured = sum(sum(item["runs_seconds"]) for item in measurements.values())
    share = other / max(1e-9, measured * (machine["cpus"] or 1))
    lines.append(f"Other processes used {other:.0f} CPU-s during the measured runs "
                 f"({share:.0%} of the machine){': timings are noisy' if share > 0.05 else ''}.")
    ratios, targets = result["ratios"], result["targets"]

    def verdict(met: bool) -> str:
        return "met" if met else "MISSED"

    inc = targets["incremental_day"]
    memory = targets["peak_memory"]
    rows = [
        ["full build / floor (DuckDB)", f"{ratios['build_over_floor']:.1f}x", "<= 2x",
         verdict(targets["full_build_vs_floor"]["met"])],
        ["full build / floor (gzip | wc)", f"{ratios['build_over_gzip_floor']:.1f}x", "", ""],
        ["incremental / (full / days)", f"{ratios['incremental_over_daily_share']:.1f}x",
         f"<= 1.5x + start-up = {inc['target_seconds']:.1f} s", verdict(inc["met"])],
        ["pandas baseline / full build", f"{ratios['baseline_over_build']:.2f}x",
         ">= 1x (aim 2x)",
         verdict(targets["pandas_baseline"]["met"])],
        ["peak memory (builds)", human_bytes(memory["actual_bytes"]), "< 4 GiB at 10M records",
         verdict(memory["met"]) + ("" if memory["applies"] else " (below 10M records)")],
    ]
    lines += ["", *format_table(["ratio", "value", "target", ""], rows, {1})]

    athena = result.get("athena_cost")
    if athena:
        lines += ["", *render_athena(athena)]
    if result.get("formats"):
        lines += ["", *render_formats(result["formats"])]
    return "\n".join(lines)


def short_table(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def render_athena(athena: dict[str, Any]) -> list[str]:
    """What each model reads on a daily run, and the daily bill against the naive design."""
    retention = athena["retention_days"]
    scaled = athena["scaled"]
    lines = [f"Athena, one daily run after the new day (estimate: ${athena['price_usd_per_tb']:g}"
             "/TB, rounded up to the MB, 10 MB minimum per query)"]
    rows = []
    for entry in athena["nodes"]:
        if entry["kind"] != "model":
            continue
        scans = [scan for scan in entry["scans"] if scan["format"] != "seed"]
        if not scans:
            rows.append([entry["name"], entry.get("note", "-"), "", "", "0 B", "0 B", "0 B"])
            continue
        for number, scan in enumerate(scans):
            if scan.get("partition_column"):
                span = f"{scan['partitions_read']}/{scan['partitions_total']}"
                if scan.get("first_partition") and not scan["full_scan"]:
                    span += f" from {scan['first_partition']}"
            else:
                span = "all (unpartitioned)"
            columns = ("whole objects" if scan["format"] != "parquet"
                       else str(len(scan["columns"])))
            first = number == 0
            rows.append([entry["name"] if first else "",
                         f"{short_table(scan['table'])} ({scan['format']})", span, columns,
                         decimal_bytes(scan["bytes"]),
                         decimal_bytes(entry["billed_bytes"]) if first else "",
                         decimal_bytes(entry["billed_bytes_scaled"]) if first else ""])
    lines += format_table(["model", "reads", "partitions", "columns", "scanned", "billed",
                           f"billed at {scaled['gzip_gb_per_day']:g} GB/day"],
                          rows, {3, 4, 5, 6})
    lines += ["", "Parquet columns read (partition columns are free):"]
    for entry in athena["nodes"]:
        for scan in entry["scans"]:
            if entry["kind"] == "model" and scan["format"] == "parquet":
                lines.append(f"  {entry['name']} <- {short_table(scan['table'])}: "
                             f"{', '.join(scan['columns'])}")

    def money(value: float) -> str:
        return f"${value:,.4f}" if value < 1 else f"${value:,.2f}"

    rows = []
    for key, title in (("dataset", f"this dataset ({athena['dataset_days']} days)"),
                       ("scaled", f"{scaled['gzip_gb_per_day']:g} GB gzip/day, "
                                  f"{retention}-day retention")):
        block = athena[key]
        rows += [
            [title, "", "", ""],
            ["  incremental: models", str(block["models"]["queries"]),
             decimal_bytes(block["models"]["billed_bytes"]), money(block["models"]["usd"])],
            ["  incremental: window look-ups", str(block["window_lookups"]["queries"]),
             decimal_bytes(block["window_lookups"]["billed_bytes"]),
             money(block["window_lookups"]["usd"])],
            ["  incremental: data tests", str(block["data_tests"]["queries"]),
             decimal_bytes(block["data_tests"]["billed_bytes"]),
             money(block["data_tests"]["usd"])],
            ["  incremental: dbt build total", "",
             decimal_bytes(block["incremental_build_billed_bytes"]),
             money(block["incremental_build_usd"])
             + (" (target <= $0.50)" if key == "scaled" else "")],
            ["  floor: the new day's text read once", "1",
             decimal_bytes(block["floor"]["billed_bytes"]), money(block["floor"]["usd"])],
            [f"  naive: mart queries over {block['naive']['days_scanned']} days of gzip",
             str(block["naive"]["queries"]), decimal_bytes(block["naive"]["billed_bytes"]),
             money(block["naive"]["usd"])],
            ["  naive / incremental (models; build)", "",
             f"{block['naive_over_incremental_models']:.0f}x; "
             f"{block['naive_over_incremental_build']:.0f}x", ""],
        ]
    lines += ["", *format_table(["daily bill", "queries", "billed", "cost"], rows, {1, 2, 3})]
    return lines
