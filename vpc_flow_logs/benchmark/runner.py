"""One benchmark run: every measurement, repeated, and the figures of the result."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vpc_flow_logs.benchmark.cost import athena_report
from vpc_flow_logs.benchmark.dataset import Dataset, date_partition_of, gzip_files, link_tree
from vpc_flow_logs.benchmark.formats import compare_formats
from vpc_flow_logs.benchmark.measure import (
    PYTHON,
    REPO,
    Series,
    dbt_command,
    dbt_env,
    last_json_line,
    log,
    node_timings,
    run_measured,
)
from vpc_flow_logs.common import human_bytes

TARGETS = {
    "build_over_floor_max": 2.0,
    "incremental_over_share_max": 1.5,
    "baseline_over_build_min": 1.0,  # faster than the pandas script (aim: 2x)
    "peak_memory_max_bytes": 4 * 1024**3,
    "peak_memory_at_records": 10_000_000,
}


@dataclass
class Options:
    records: int
    days: int
    repeat: int
    output: Path
    keep: bool
    data_dir: Path
    work_dir: Path
    threads: int
    retention_days: int
    gzip_gb_per_day: float
    dbt_vars: dict[str, Any]
    compare_formats: bool = False


def warm_page_cache(files: Iterable[Path]) -> None:
    for path in files:
        with open(path, "rb") as handle:
            while handle.read(1 << 20):
                pass


class Benchmark:
    """Runs every measurement and collects the figures."""

    def __init__(self, options: Options, dataset: Dataset) -> None:
        self.options = options
        self.dataset = dataset
        self.work = options.work_dir / f"{options.records}_{options.days}"
        records = dataset.total("records")
        self.series = {
            "floor_duckdb": Series("floor_duckdb", "floor: DuckDB counts lines (utf-8)",
                                   records),
            "floor_duckdb_latin1": Series("floor_duckdb_latin1",
                                          "floor: DuckDB counts lines (latin-1, as the view)",
                                          records),
            "floor_gzip": Series("floor_gzip", "floor: gzip -dc | wc -l (1 core)", records),
            "dbt_startup": Series("dbt_startup", "dbt start-up (dbt parse, warm)", None),
            "full_build": Series("full_build", "full build (dbt build, empty db)", records),
            "floor_day_duckdb": Series("floor_day_duckdb", "floor of the new day: DuckDB",
                                       dataset.next_day.records),
            "incremental_day": Series("incremental_day", "incremental day (scheduled dbt build)",
                                      dataset.next_day.records),
            "pandas_baseline": Series("pandas_baseline", "pandas baseline", records),
        }
        self.timings: dict[str, Any] = {}
        self.athena: dict[str, Any] = {}
        self.formats: dict[str, Any] | None = None
        self.root = self.work / "logs"
        self.database = self.work / "bench.duckdb"
        self.target = self.work / "target"
        self.env = dbt_env(self.database, self.target, options.threads)

    def run(self) -> dict[str, Any]:
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        lists = self.work / "lists"
        lists.mkdir()
        base_files = [str(path) for path in self.dataset.files]
        next_files = [str(path) for path in self.dataset.next_files]
        (lists / "base.json").write_text(json.dumps(base_files))
        (lists / "next.json").write_text(json.dumps(next_files))
        (lists / "base.nul").write_bytes(b"".join(p.encode() + b"\0" for p in base_files))
        log("Warming the page cache (every run reads the files from memory)")
        warm_page_cache(self.dataset.files + self.dataset.next_files)
        log("dbt parse (cold), once")
        self.cold_parse()
        for index in range(1, self.options.repeat + 1):
            log(f"Repeat {index} of {self.options.repeat}")
            self.floors(index, lists)
            self.builds(index, last=index == self.options.repeat)
            self.baseline(index, lists)
        if self.options.compare_formats:
            log("Text against Parquet")
            self.formats = compare_formats(self)
        if not self.options.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        return self.report()

    def floors(self, index: int, lists: Path) -> None:
        threads = str(self.options.threads)
        for name, encoding in (("floor_duckdb", "utf-8"), ("floor_duckdb_latin1", "latin-1")):
            sample = run_measured(
                [PYTHON, "-m", "vpc_flow_logs.benchmark.floor", str(lists / "base.json"), threads,
                 encoding],
                log_path=self.work / f"{name}_{index}.log")
            result = last_json_line(sample.output)
            sample.seconds = result["seconds"]
            self.series[name].samples.append(sample)
            self.series[name].extra["lines_counted"] = result["lines"]
            log(f"  {self.series[name].label}: {sample.seconds:.2f} s "
                f"({result['lines']:,} lines)")

        sample = run_measured(["sh", "-c", "xargs -0 gzip -dc | wc -l"],
                              stdin_path=lists / "base.nul",
                              log_path=self.work / f"floor_gzip_{index}.log")
        self.series["floor_gzip"].samples.append(sample)
        self.series["floor_gzip"].extra["lines_counted"] = int(sample.output.split()[-1])
        log(f"  floor gzip -dc | wc -l: {sample.seconds:.2f} s")

        sample = run_measured([PYTHON, "-m", "vpc_flow_logs.benchmark.floor",
                               str(lists / "next.json"), threads, "utf-8"],
                              log_path=self.work / f"floor_day_{index}.log")
        sample.seconds = last_json_line(sample.output)["seconds"]
        self.series["floor_day_duckdb"].samples.append(sample)

    def prepare_root(self, *roots: Path) -> None:
        """The folder dbt reads (same path every repeat: the vars, hence dbt's partial-parse
        cache, stay valid), holding hard links to the cached dataset."""
        shutil.rmtree(self.root, ignore_errors=True)
        for root in roots:
            link_tree(root, self.root)

    def drop_database(self) -> None:
        for path in (self.database, self.database.with_name(self.database.name + ".wal")):
            if path.exists():
                path.unlink()

    def cold_parse(self) -> None:
        """Parse once, so every measured command uses dbt's partial-parse cache, as every
        dbt command after the first one does."""
        self.prepare_root(self.dataset.base_root)
        run_measured(dbt_command(["parse"], self.root, self.options.dbt_vars),
                     env=self.env, log_path=self.work / "dbt_parse_cold.log")

    def builds(self, index: int, *, last: bool) -> None:
        self.prepare_root(self.dataset.base_root)
        self.drop_database()
        sample = run_measured(dbt_command(["parse"], self.root, self.options.dbt_vars),
                              env=self.env, log_path=self.work / f"dbt_parse_{index}.log")
        self.series["dbt_startup"].samples.append(sample)
        log(f"  dbt start-up (parse): {sample.seconds:.2f} s")

        # The production selection: every model and data test; unit tests, which test
        # logic and not data, run in CI.
        production = ["build", "--exclude-resource-type", "unit_test"]
        sample = run_measured(dbt_command(production, self.root, self.options.dbt_vars),
                              env=self.env, log_path=self.work / f"dbt_build_full_{index}.log")
        self.series["full_build"].samples.append(sample)
        full_results = json.loads((self.target / "run_results.json").read_text())
        log(f"  full build: {sample.seconds:.2f} s, peak {human_bytes(sample.peak_rss_bytes)}")

        link_tree(self.dataset.next_root, self.root)
        # The scheduled build: what the cron, CI and Dagster examples run every day (the
        # scheduled selectors leave dbt unit tests, which test logic, to CI).
        sample = run_measured(dbt_command(production, self.root, self.options.dbt_vars),
                              env=self.env,
                              log_path=self.work / f"dbt_build_incremental_{index}.log")
        self.series["incremental_day"].samples.append(sample)
        incremental_results = json.loads((self.target / "run_results.json").read_text())
        log(f"  incremental day: {sample.seconds:.2f} s, "
            f"peak {human_bytes(sample.peak_rss_bytes)}")
        if last:
            self.timings = {"full_build": node_timings(full_results),
                            "incremental_day": node_timings(incremental_results)}
            self.cost_model()
        if self.options.keep:
            shutil.copy2(self.database, self.work / f"run{index}.duckdb")

    def cost_model(self) -> None:
        log("  Athena cost model of the daily run (Parquet column chunks) ...")
        raw_by_day: dict[str, int] = {}
        for path in gzip_files(self.root):
            day = date_partition_of(path)
            raw_by_day[day] = raw_by_day.get(day, 0) + path.stat().st_size
        request = self.work / "cost_model_request.json"
        response = self.work / "cost_model.json"
        request.write_text(json.dumps({"database": str(self.database),
                                       "target": str(self.target), "work": str(self.work),
                                       "raw_bytes_by_day": raw_by_day}))
        # In a child process, so that this process stays small (see .launcher).
        subprocess.run([PYTHON, "-m", "vpc_flow_logs.benchmark.cost", str(request), str(response)],
                       cwd=REPO, check=True)
        entries = json.loads(response.read_text())
        if not self.options.keep:
            shutil.rmtree(self.work / "parquet", ignore_errors=True)
        self.athena = athena_report(entries, raw_bytes_by_day=raw_by_day,
                                    retention_days=self.options.retention_days,
                                    gzip_gb_per_day=self.options.gzip_gb_per_day)

    def baseline(self, index: int, lists: Path) -> None:
        sample = run_measured([PYTHON, "-m", "vpc_flow_logs.benchmark.baseline",
                               str(lists / "base.json")],
                              log_path=self.work / f"pandas_{index}.log")
        result = last_json_line(sample.output)
        sample.seconds = result.pop("seconds")
        self.series["pandas_baseline"].samples.append(sample)
        self.series["pandas_baseline"].extra["result_rows"] = result
        log(f"  pandas baseline: {sample.seconds:.2f} s, "
            f"peak {human_bytes(sample.peak_rss_bytes)}")

    def report(self) -> dict[str, Any]:
        series = self.series
        days = self.options.days
        floor = series["floor_duckdb"].median
        full = series["full_build"].median
        incremental = series["incremental_day"].median
        startup = series["dbt_startup"].median
        baseline = series["pandas_baseline"].median
        share = full / days
        incremental_target = TARGETS["incremental_over_share_max"] * share + startup
        peak = series["full_build"].peak_rss
        ratios = {
            "build_over_floor": full / floor,
            "build_over_gzip_floor": full / series["floor_gzip"].median,
            "incremental_over_daily_share": incremental / share,
            "incremental_over_day_floor": incremental / series["floor_day_duckdb"].median,
            "baseline_over_build": baseline / full,
        }
        targets = {
            "full_build_vs_floor": {"target": f"<= {TARGETS['build_over_floor_max']}x floor",
                                    "actual": ratios["build_over_floor"],
                                    "met": ratios["build_over_floor"]
                                    <= TARGETS["build_over_floor_max"]},
            "incremental_day": {
                "target": "<= 1.5 x (full build / days) + dbt start-up",
                "target_seconds": incremental_target, "actual_seconds": incremental,
                "met": incremental <= incremental_target},
            "pandas_baseline": {"target": f">= {TARGETS['baseline_over_build_min']}x "
                                          "(faster than pandas; aim 2x)",
                                "actual": ratios["baseline_over_build"],
                                "met": ratios["baseline_over_build"]
                                >= TARGETS["baseline_over_build_min"]},
            "peak_memory": {
                "target": "< 4 GiB at 10 million records",
                "actual_bytes": max(peak, series["incremental_day"].peak_rss),
                "records": self.dataset.total("records"),
                "met": max(peak, series["incremental_day"].peak_rss)
                < TARGETS["peak_memory_max_bytes"],
                "applies": self.options.records >= TARGETS["peak_memory_at_records"],
            },
        }
        return {
            "schema_version": 1,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                        "python": platform.python_version(),
                        "duckdb": importlib.metadata.version("duckdb"),
                        "dbt_core": importlib.metadata.version("dbt-core"),
                        "pandas": importlib.metadata.version("pandas"),
                        "dbt_threads": self.options.threads,
                        "memory_bytes": total_memory()},
            "parameters": {"records": self.options.records, "days": days,
                           "repeat": self.options.repeat, "threads": self.options.threads,
                           "retention_days": self.options.retention_days,
                           "athena_gb_per_day": self.options.gzip_gb_per_day,
                           "dbt_vars": self.options.dbt_vars},
            "dataset": {
                "folder": str(self.dataset.folder),
                "files": self.dataset.total("files"),
                "gzip_bytes": self.dataset.total("gzip_bytes"),
                "lines": self.dataset.total("lines"),
                "records": self.dataset.total("records"),
                "days": [asdict(day) for day in self.dataset.days],
                "next_day": asdict(self.dataset.next_day),
            },
            "measurements": {name: item.as_json() for name, item in series.items()},
            "ratios": ratios,
            "targets": targets,
            "dbt_timing": self.timings,
            "athena_cost": self.athena,
            "formats": self.formats,
        }


def total_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return None
