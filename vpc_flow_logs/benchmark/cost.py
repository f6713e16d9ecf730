"""The Athena cost model of a daily run: what each node would scan (raw gzip
partitions, Parquet columns of the model tables) and the bill against the naive design.

    python -m vpc_flow_logs.benchmark.cost REQUEST_JSON RESPONSE_JSON

runs :func:`estimate_daily_reads` as a child process, so the benchmark stays small.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from vpc_flow_logs.common import day_column, human_bytes

# Athena pricing: $5 per TB scanned, rounded up to the MB, 10 MB minimum per query.
ATHENA_USD_PER_TB = 5.0


TB = 10**12


MB = 1 << 20


ATHENA_MIN_BYTES = 10 * MB


NAIVE_MART_QUERIES = 9


def decimal_bytes(value: float) -> str:
    """Sizes Athena bills (powers of 1000): 1500 -> '1.5 kB'."""
    return human_bytes(value, base=1000)


def athena_billed_bytes(scanned: int) -> int:
    """Bytes Athena bills for one query: rounded up to the MB, 10 MB minimum."""
    rounded = -(-int(scanned) // MB) * MB
    return max(ATHENA_MIN_BYTES, rounded)


def athena_usd(billed: int) -> float:
    return billed / TB * ATHENA_USD_PER_TB


@dataclass
class TableParquet:
    """Column-chunk sizes of one model table written as snappy Parquet."""

    partition_column: str | None
    # partition value ('' when unpartitioned) -> column -> compressed bytes
    sizes: dict[str, dict[str, int]]
    columns: list[str]

    def bytes_for(self, partitions: Iterable[str], columns: Iterable[str]) -> int:
        wanted = set(columns)
        return sum(size for partition in partitions
                   for column, size in self.sizes.get(partition, {}).items() if column in wanted)

    @property
    def total_bytes(self) -> int:
        return sum(sum(columns.values()) for columns in self.sizes.values())


class AthenaCostModel:
    """Estimates what each node of a daily `dbt build` would scan on Athena.

    - the base model reads gzip text of the raw partitions in its window (Athena bills the
      compressed object size of text files);
    - every other model and data test reads Parquet: the columns the DuckDB plan of its
      compiled SQL projects or filters on, in the partitions its window keeps, sized from
      the column chunks of the model tables written as snappy Parquet (Hive-style
      partition columns cost nothing);
    - views cost nothing to create (DDL); unit tests and seeds are not billed scans.
    """

    def __init__(self, database: Path, target_path: Path, work: Path,
                 raw_bytes_by_day: dict[str, int]) -> None:
        import duckdb

        from vpc_flow_logs.duckdb_plugin import register

        self.connection = duckdb.connect(str(database), read_only=True)
        self.connection.execute("set enable_progress_bar = false")
        register(self.connection)
        self.catalog = database.stem
        self.work = work
        self.raw_bytes_by_day = raw_bytes_by_day
        self.raw_lookback_days = 1  # the project's default var raw_lookback_days
        self.manifest = json.loads((target_path / "manifest.json").read_text())
        self.run_results = json.loads((target_path / "run_results.json").read_text())
        self.relations: dict[str, dict[str, Any]] = {}
        for node in self.manifest["nodes"].values():
            if node.get("relation_name"):
                key = node["relation_name"].replace('"', "").lower()
                self.relations[key] = node
        self.parquet: dict[str, TableParquet] = {}

    # -- Parquet sizes

    def partition_column(self, node: dict[str, Any] | None) -> str | None:
        if not node or node.get("resource_type") != "model":
            return None
        config = node.get("config", {})
        return day_column(config) if config.get("materialized") == "incremental" else None

    def table_parquet(self, relation: str) -> TableParquet:
        if relation in self.parquet:
            return self.parquet[relation]
        node = self.relations.get(relation)
        partition = self.partition_column(node)
        folder = self.work / "parquet" / relation.replace(".", "__")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        quoted = ".".join(f'"{part}"' for part in relation.split("."))
        columns = [row[0] for row in self.connection.execute(
            f"select column_name from (describe {quoted})").fetchall()]
        options = "format parquet, compression snappy"
        if partition:
            self.connection.execute(
                f"copy (select * from {quoted}) to '{folder}' "
                f"({options}, partition_by ({partition}), overwrite_or_ignore true)")
        else:
            self.connection.execute(
                f"copy (select * from {quoted}) to '{folder / 'data.parquet'}' ({options})")
        sizes: dict[str, dict[str, int]] = {}
        # An empty partitioned table writes no file: it scans nothing.
        rows = self.connection.execute(
            "select file_name, path_in_schema, sum(total_compressed_size) "
            f"from parquet_metadata('{folder}/**/*.parquet') group by all").fetchall() \
            if any(folder.rglob("*.parquet")) else []
        for file_name, column, size in rows:
            value = ""
            if partition:
                match = re.search(rf"{re.escape(partition)}=([^/]+)", file_name)
                value = match.group(1) if match else ""
            bucket = sizes.setdefault(value, {})
            bucket[column] = bucket.get(column, 0) + int(size)
        result = TableParquet(partition, sizes, columns)
        self.parquet[relation] = result
        return result

    # -- plans

    def scans(self, sql: str) -> list[dict[str, Any]]:
        """Table scans of a query's DuckDB plan: table, projected columns, filters."""
        plan = self.connection.execute("explain (format json) " + sql).fetchall()
        found: list[dict[str, Any]] = []

        def as_list(value: Any) -> list[str]:
            if value is None:
                return []
            items = value.split("\n") if isinstance(value, str) else [str(item) for item in value]
            # DuckDB pushes an IN list into the scan as an "optional" (zone map) filter and
            # applies it again above; on Athena the same predicate prunes partitions.
            return [item.strip().removeprefix("optional: ") for item in items if item.strip()]

        def walk(node: dict[str, Any]) -> None:
            info = node.get("extra_info") or {}
            if isinstance(info, dict) and "Table" in info:
                found.append({"table": str(info["Table"]).lower(),
                              "projections": as_list(info.get("Projections")),
                              "filters": as_list(info.get("Filters"))})
            for child in node.get("children", []):
                walk(child)

        for root in json.loads(plan[0][1]):
            walk(root)
        return found

    def scan_estimate(self, scan: dict[str, Any], full_relation: str) -> dict[str, Any]:
        parquet = self.table_parquet(full_relation)
        known = set(parquet.columns)
        identifiers: set[str] = set()
        for text in scan["projections"] + scan["filters"]:
            identifiers.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
        columns = sorted((identifiers & known) - {parquet.partition_column})
        partitions = sorted(parquet.sizes)
        windowed = False
        if parquet.partition_column:
            pruning = [text for text in scan["filters"]
                       if (set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text)) & known)
                       == {parquet.partition_column}]
            if pruning:
                quoted = ".".join(f'"{part}"' for part in full_relation.split("."))
                try:
                    rows = self.connection.execute(
                        f"select distinct cast({parquet.partition_column} as varchar) "
                        f"from {quoted} where {' and '.join(pruning)}").fetchall()
                    partitions = sorted(row[0] for row in rows if row[0] is not None)
                    windowed = True
                except Exception:  # noqa: BLE001 - unparsable filter: assume every partition
                    partitions = sorted(parquet.sizes)
        scanned = parquet.bytes_for(partitions, columns)
        return {
            "table": full_relation.split(".", 1)[1],
            "format": "parquet",
            "partition_column": parquet.partition_column,
            "partitions_read": len(partitions),
            "partitions_total": len(parquet.sizes),
            "first_partition": partitions[0] if partitions else None,
            "last_partition": partitions[-1] if partitions else None,
            "columns": columns,
            "bytes": scanned,
            "full_scan": len(partitions) == len(parquet.sizes),
            "windowed": windowed,
        }

    def base_estimate(self, compiled: str) -> dict[str, Any]:
        lower = re.search(r"date_partition >= '(\d{4}/\d{2}/\d{2})'", compiled)
        upper = re.search(r"date_partition < '(\d{4}/\d{2}/\d{2})'", compiled)
        new_objects = re.search(r"date_partition in \(([^)]*)\)", compiled)
        if new_objects or re.search(r"where\s+false\b", compiled):
            # DuckDB lists the new objects' folders; Athena has no inventory: it reads
            # the folders from the first of them minus raw_lookback_days (objects already
            # parsed there are skipped by "$path" after being scanned).
            listed = (re.findall(r"'(\d{4}/\d{2}/\d{2})'", new_objects.group(1))
                      if new_objects else [])
            if not listed:
                lower = upper = None
                days: list[str] = []
            else:
                first = (date.fromisoformat(min(listed).replace("/", "-"))
                         - timedelta(days=self.raw_lookback_days)).strftime("%Y/%m/%d")
                days = sorted(day for day in self.raw_bytes_by_day if day >= first)
                lower = True
        else:
            days = sorted(day for day in self.raw_bytes_by_day
                          if (lower is None or day >= lower.group(1))
                          and (upper is None or day < upper.group(1)))
        return {
            "table": "raw_flow_logs",
            "format": "gzip text",
            "partition_column": "date_partition",
            "partitions_read": len(days),
            "partitions_total": len(self.raw_bytes_by_day),
            "first_partition": days[0] if days else None,
            "last_partition": days[-1] if days else None,
            "columns": ["line (whole objects)"],
            "bytes": sum(self.raw_bytes_by_day[day] for day in days),
            "full_scan": len(days) == len(self.raw_bytes_by_day),
            "windowed": lower is not None,
        }

    def estimate(self) -> list[dict[str, Any]]:
        """One entry per model and data test of the run, in run order."""
        inventory = "__files"
        base_lines = None
        for key, node in self.relations.items():
            if node["name"] == "base_vpc_flow_logs__lines":
                base_lines = key
        entries = []
        for result in self.run_results.get("results", []):
            unique_id = result["unique_id"]
            kind = unique_id.split(".", 1)[0]
            node = self.manifest["nodes"].get(unique_id)
            if kind not in ("model", "test") or node is None:
                continue
            materialized = node.get("config", {}).get("materialized")
            entry: dict[str, Any] = {"node": unique_id, "name": node["name"], "kind": kind,
                                     "materialized": materialized, "scans": []}
            compiled = result.get("compiled_code") or node.get("compiled_code") or ""
            if kind == "model" and materialized == "view":
                entry["note"] = "view: DDL only, nothing scanned"
                entry["queries"] = 0
            elif node["name"] == "base_vpc_flow_logs__lines":
                entry["scans"].append(self.base_estimate(compiled))
                entry["queries"] = 1
            else:
                entry["queries"] = 1
                for scan in self.scans(compiled):
                    table = scan["table"]
                    if table.endswith(inventory) and base_lines:
                        # DuckDB-only inventory: on Athena the files view reads base lines.
                        scan = {"projections": ["source_file", "account_partition",
                                                "region_partition", "date_partition"],
                                "filters": []}
                        entry["note"] = "Athena: objects listed from base lines (all partitions)"
                        entry["scans"].append(self.scan_estimate(scan, base_lines))
                        continue
                    if table not in self.relations:
                        continue  # temp tables, seeds by another name...
                    if self.relations[table].get("resource_type") == "seed":
                        entry["scans"].append({"table": table.split(".", 1)[1], "format": "seed",
                                               "bytes": 0, "partitions_read": 0,
                                               "partitions_total": 0, "columns": [],
                                               "full_scan": True, "windowed": False})
                        continue
                    estimate = self.scan_estimate(scan, table)
                    column = estimate.get("partition_column")
                    if (column and not estimate["windowed"]
                            and re.search(rf"\b{column}\s*(>=|<=|>|<|=|in)\s*\(?\s*cast\('\d{{4}}-",
                                          compiled)):
                        # The compiled SQL bounds the day column with literal dates, but
                        # its window holds every day of this dataset, so DuckDB dropped
                        # the filter from its plan: on Athena it still prunes partitions
                        # (the scaled estimate grows with the volume, not the retention).
                        estimate["windowed"] = True
                    entry["scans"].append(estimate)
            scanned = sum(scan["bytes"] for scan in entry["scans"])
            entry["scanned_bytes"] = scanned
            entry["billed_bytes"] = athena_billed_bytes(scanned) if entry["queries"] else 0
            if kind == "model" and materialized == "incremental":
                # the parsed lines: max(delivery_date) of the table; the others: one query for
                # their changed days, one insert of their watermark
                entry["window_lookups"] = 1 if node["name"] == "base_vpc_flow_logs__lines" else 2
            entries.append(entry)
        return entries


def estimate_daily_reads(request_path: str, response_path: str) -> None:
    """Child-process entry point: run AthenaCostModel.estimate, write its entries."""
    request = json.loads(Path(request_path).read_text())
    model = AthenaCostModel(Path(request["database"]), Path(request["target"]),
                            Path(request["work"]), request["raw_bytes_by_day"])
    try:
        entries = model.estimate()
    finally:
        model.connection.close()
    Path(response_path).write_text(json.dumps(entries))


def athena_report(entries: list[dict[str, Any]], *, raw_bytes_by_day: dict[str, int],
                  retention_days: int, gzip_gb_per_day: float) -> dict[str, Any]:
    """A daily incremental run vs the naive design, on Athena's bill.

    Two scenarios: `dataset` (the benchmark's own files and tables, as measured) and
    `scaled` (a raw volume of `gzip_gb_per_day` GB of gzip a day and tables holding
    `retention_days` days: scans of every partition grow with the retention, windowed
    scans do not; every scan grows with the daily volume). Each query is billed at least
    10 MB, rounded up to the MB.
    """
    days = len(raw_bytes_by_day)
    daily_gzip = sum(raw_bytes_by_day.values()) / max(1, days)
    factor = gzip_gb_per_day * 1e9 / max(1.0, daily_gzip)

    def scaled_scan(entry: dict[str, Any]) -> int:
        """Scanned bytes at the scaled volume: unwindowed scans hold the whole retention."""
        total = 0.0
        for scan in entry["scans"]:
            partitions = scan.get("partitions_total") or 0
            grow = 1.0
            if not scan.get("windowed") and partitions and scan["format"] != "seed":
                grow = max(1.0, retention_days / partitions)
            total += scan["bytes"] * grow * factor
        return int(total)

    for entry in entries:
        entry["scanned_bytes_scaled"] = scaled_scan(entry)
        entry["billed_bytes_scaled"] = (athena_billed_bytes(entry["scanned_bytes_scaled"])
                                        if entry["queries"] else 0)

    def totals(group: list[dict[str, Any]], suffix: str = "") -> dict[str, Any]:
        billed = sum(entry["billed_bytes" + suffix] for entry in group)
        return {"queries": sum(entry["queries"] for entry in group),
                "scanned_bytes": sum(entry["scanned_bytes" + suffix] for entry in group),
                "billed_bytes": billed, "usd": athena_usd(billed)}

    def scenario(suffix: str, raw_per_day: float, naive_days: int) -> dict[str, Any]:
        models = [entry for entry in entries if entry["kind"] == "model"]
        tests = [entry for entry in entries if entry["kind"] == "test"]
        lookup_queries = sum(entry.get("window_lookups", 0) for entry in models)
        lookups = {"queries": lookup_queries, "billed_bytes": lookup_queries * ATHENA_MIN_BYTES,
                   "usd": athena_usd(lookup_queries * ATHENA_MIN_BYTES)}
        model_totals = totals(models, suffix)
        test_totals = totals(tests, suffix)
        daily_models = model_totals["billed_bytes"] + lookups["billed_bytes"]
        daily_build = daily_models + test_totals["billed_bytes"]
        naive_scan = int(raw_per_day * naive_days)
        naive_billed = NAIVE_MART_QUERIES * athena_billed_bytes(naive_scan)
        floor_billed = athena_billed_bytes(int(raw_per_day))
        return {
            "floor": {"billed_bytes": floor_billed, "usd": athena_usd(floor_billed)},
            "raw_gzip_bytes_per_day": raw_per_day,
            "models": model_totals,
            "window_lookups": lookups,
            "data_tests": test_totals,
            "incremental_models_billed_bytes": daily_models,
            "incremental_models_usd": athena_usd(daily_models),
            "incremental_build_billed_bytes": daily_build,
            "incremental_build_usd": athena_usd(daily_build),
            "naive": {"queries": NAIVE_MART_QUERIES, "days_scanned": naive_days,
                      "scanned_bytes_per_query": naive_scan,
                      "billed_bytes": naive_billed, "usd": athena_usd(naive_billed)},
            "naive_over_incremental_models": naive_billed / max(1, daily_models),
            "naive_over_incremental_build": naive_billed / max(1, daily_build),
        }

    return {
        "price_usd_per_tb": ATHENA_USD_PER_TB,
        "tb_bytes": TB,
        "minimum_billed_bytes_per_query": ATHENA_MIN_BYTES,
        "retention_days": retention_days,
        "dataset_days": days,
        "raw_gzip_bytes_by_day": raw_bytes_by_day,
        "nodes": entries,
        "dataset": scenario("", daily_gzip, days),
        "scaled": {"gzip_gb_per_day": gzip_gb_per_day, "scale_factor": factor,
                   **scenario("_scaled", gzip_gb_per_day * 1e9, retention_days)},
    }


if __name__ == "__main__":
    estimate_daily_reads(sys.argv[1], sys.argv[2])
