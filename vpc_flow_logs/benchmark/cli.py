"""The command line of the benchmark (`python -m vpc_flow_logs.benchmark`, `make bench`)."""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import shutil
import sys
import time
from pathlib import Path

from vpc_flow_logs.benchmark.cost import decimal_bytes
from vpc_flow_logs.benchmark.dataset import ensure_dataset
from vpc_flow_logs.benchmark.measure import DBT, PYTHON, REPO, CommandFailed, log
from vpc_flow_logs.benchmark.render import render
from vpc_flow_logs.benchmark.runner import Benchmark, Options


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.benchmark",
        description="Benchmark the dbt project on DuckDB: raw-read floor, full build, "
                    "incremental day, pandas baseline, peak memory, and an Athena cost model "
                    "of the daily run. Prints a table and writes the figures as JSON.")
    parser.add_argument("--records", type=int, default=5_000_000,
                        help="flow log records in the dataset (default 5000000)")
    parser.add_argument("--days", type=int, default=7,
                        help="days the records are spread over (default 7)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each measurement; the median is reported (default 3)")
    parser.add_argument("--output", type=Path, default=Path("target/benchmark.json"),
                        help="JSON file written with every figure (default target/benchmark.json)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the DuckDB files, dbt target folders and logs of each run")
    parser.add_argument("--data-dir", type=Path, default=Path("target/bench_data"),
                        help="cache of generated datasets, <records>_<days>/ (default "
                             "target/bench_data)")
    parser.add_argument("--work-dir", type=Path, default=Path("target/bench_work"),
                        help="databases, dbt target folders and logs of the runs "
                             "(default target/bench_work)")
    parser.add_argument("--threads", type=int, default=int(os.environ.get("DBT_THREADS", "2")),
                        help="dbt and DuckDB threads (default $DBT_THREADS or 2)")
    parser.add_argument("--retention-days", type=int, default=30,
                        help="days of raw logs the naive Athena design scans per query "
                             "(default 30)")
    parser.add_argument("--vars", dest="dbt_vars", default="{}",
                        help="extra dbt vars for every dbt command, as JSON, e.g. "
                             "'{\"test_whole_history\": true}' (flow_logs_root is set by the "
                             "benchmark)")
    parser.add_argument("--athena-gb-per-day", type=float, default=10.0,
                        help="raw gzip GB a day for the scaled Athena estimate (default 10)")
    parser.add_argument("--compare-formats", action="store_true",
                        help="also build the same records delivered as Parquet and report "
                             "text against Parquet: DuckDB full build time, Athena bytes "
                             "scanned (Parquet column chunks)")
    return parser


def parse_options(argv: list[str] | None) -> Options:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.records < 1000 or args.days < 1 or args.repeat < 1 or args.threads < 1 \
            or args.retention_days < 1 or args.athena_gb_per_day <= 0:
        parser.error("--records must be at least 1000; --days, --repeat, --threads and "
                     "--retention-days at least 1; --athena-gb-per-day positive")

    try:
        dbt_vars = json.loads(args.dbt_vars)
    except json.JSONDecodeError as exc:
        parser.error(f"--vars is not JSON: {exc}")
    if not isinstance(dbt_vars, dict):
        parser.error("--vars must be a JSON object")

    def absolute(path: Path) -> Path:
        return path if path.is_absolute() else REPO / path

    return Options(records=args.records, days=args.days, repeat=args.repeat,
                   output=absolute(args.output), keep=args.keep,
                   data_dir=absolute(args.data_dir), work_dir=absolute(args.work_dir),
                   threads=args.threads, retention_days=args.retention_days,
                   gzip_gb_per_day=args.athena_gb_per_day, dbt_vars=dbt_vars,
                   compare_formats=args.compare_formats)


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    if not Path(DBT).exists():
        print(f"error: dbt not found next to {PYTHON}", file=sys.stderr)
        return 2
    if importlib.util.find_spec("pandas") is None:
        print("error: the pandas baseline needs pandas (pip install -r requirements.lock).",
              file=sys.stderr)
        return 2
    if not (REPO / "profiles.yml").exists():
        shutil.copy(REPO / "profiles.example.yml", REPO / "profiles.yml")
    started = time.perf_counter()
    dataset = ensure_dataset(options.data_dir, options.records, options.days)
    log(f"Dataset: {dataset.total('records'):,} records in {dataset.total('files'):,} files "
        f"({decimal_bytes(dataset.total('gzip_bytes'))} gzip) + next day "
        f"{dataset.next_day.records:,} records")
    try:
        result = Benchmark(options, dataset).run()
    except CommandFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    result["benchmark_seconds"] = time.perf_counter() - started
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print()
    print(render(result))
    print()
    log(f"Wrote {options.output}")
    return 0
