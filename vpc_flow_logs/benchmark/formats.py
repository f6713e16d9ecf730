"""Text against Parquet (`--compare-formats`): the same records delivered as gzip text
and as Parquet (AWS's column names and types), built by dbt on DuckDB, and what
Athena would scan to read them.

The Parquet copy is written once next to the cached text dataset by the sample
generator with the same seed (`--file-format parquet`): the same records in the same
objects, less the generator's malformed text lines (a typed Parquet file cannot hold
them). The held-back day is left out: only full builds are compared.

Athena bills the bytes it reads: all of each gzip text object, and for Parquet the
compressed column chunks of the columns a query reads (the footers are not billed).
Staging rebuilds every row's text line, so it reads every column of the configured
format: the figure is the sum of all column chunks. The marts' own columns (what a
design reading Parquet columns directly would pay) are reported beside it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

from vpc_flow_logs.benchmark.cost import decimal_bytes
from vpc_flow_logs.benchmark.dataset import ACCOUNTS, REGIONS, SEED, START_DATE, link_tree
from vpc_flow_logs.benchmark.measure import (
    PYTHON,
    REPO,
    Series,
    dbt_command,
    dbt_env,
    log,
    run_measured,
)
from vpc_flow_logs.common import human_bytes

# The v2 columns the traffic and security marts read (every one but version and
# account_id, which staging also takes from the key).
MART_COLUMNS = ("interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
                "packets", "bytes", "start", "end", "action", "log_status")


def parquet_files(root: Path) -> list[Path]:
    return sorted(root.glob("AWSLogs/**/*.log.parquet"))


def ensure_parquet_copy(folder: Path, records: int, days: int) -> Path:
    """The dataset's base days as Parquet, generated once under `folder`/parquet_base."""
    target = folder / "parquet_base"
    marker = target / "done.json"
    if marker.exists():
        log(f"Reusing the Parquet copy in {target}")
        return target
    staging = folder / "parquet_base.partial"
    shutil.rmtree(staging, ignore_errors=True)
    log("Generating the same records as Parquet (cached) ...")
    subprocess.run([PYTHON, "-m", "vpc_flow_logs.generate_sample_logs", "--output",
                    str(staging), "--start-date", START_DATE.isoformat(),
                    "--days", str(days + 1), "--records", str(records * (days + 1) // days),
                    "--seed", str(SEED), "--accounts", str(ACCOUNTS),
                    "--regions", ",".join(REGIONS), "--file-format", "parquet", "--force"],
                   cwd=REPO, check=True)
    held_back = START_DATE + timedelta(days=days)
    for day_folder in staging.glob(f"AWSLogs/*/vpcflowlogs/*/{held_back:%Y/%m/%d}"):
        shutil.rmtree(day_folder)
    (staging / "done.json").write_text(json.dumps({"records": records, "days": days}))
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def parquet_scan_bytes(files: list[Path]) -> dict[str, int]:
    """Compressed column-chunk bytes of the Parquet objects: all columns, the marts'
    columns, and the files' sizes (footers included)."""
    import duckdb

    with duckdb.connect() as connection:
        by_column = dict(connection.execute(
            "select path_in_schema, sum(total_compressed_size) from parquet_metadata(?) "
            "group by 1", [[str(path) for path in files]]).fetchall())
    return {"all_columns": int(sum(by_column.values())),
            "mart_columns": int(sum(by_column.get(name, 0) for name in MART_COLUMNS)),
            "file_bytes": sum(path.stat().st_size for path in files)}


def compare_formats(benchmark: Any) -> dict[str, Any]:
    """Full DuckDB builds over the Parquet copy (`repeat` times, median) against the
    text builds already measured, and Athena's scanned bytes for each format."""
    options, dataset = benchmark.options, benchmark.dataset
    parquet_root = ensure_parquet_copy(dataset.folder, options.records, options.days)
    files = parquet_files(parquet_root)
    work = benchmark.work / "parquet_run"
    root, database, target = work / "logs", work / "bench.duckdb", work / "target"
    env = dbt_env(database, target, options.threads)
    series = Series("full_build_parquet", "full build, Parquet (dbt build, empty db)",
                    dataset.total("records"))
    for index in range(1, options.repeat + 1):
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        link_tree(parquet_root, root)
        run_measured(dbt_command(["parse"], root, options.dbt_vars), env=env,
                     log_path=work / "dbt_parse.log")
        sample = run_measured(dbt_command(["build"], root, options.dbt_vars), env=env,
                              log_path=work / f"dbt_build_parquet_{index}.log")
        series.samples.append(sample)
        log(f"  full build, Parquet: {sample.seconds:.2f} s, "
            f"peak {human_bytes(sample.peak_rss_bytes)}")
    if not options.keep:
        shutil.rmtree(work, ignore_errors=True)
    scan = parquet_scan_bytes(files)
    text_seconds = benchmark.series["full_build"].median
    return {
        "records": dataset.total("records"),
        "text": {"files": dataset.total("files"), "object_bytes": dataset.total("gzip_bytes"),
                 "athena_scan_bytes": dataset.total("gzip_bytes"),
                 "duckdb_full_build_seconds": text_seconds},
        "parquet": {"files": len(files), "object_bytes": scan["file_bytes"],
                    "athena_scan_bytes": scan["all_columns"],
                    "athena_scan_bytes_mart_columns": scan["mart_columns"],
                    "duckdb_full_build_seconds": series.median,
                    "measurement": series.as_json()},
    }


def render_formats(formats: dict[str, Any]) -> list[str]:
    """The printed comparison."""
    text, parquet = formats["text"], formats["parquet"]
    rows = [
        ("objects", f"{text['files']:,}", f"{parquet['files']:,}"),
        ("object bytes", decimal_bytes(text["object_bytes"]),
         decimal_bytes(parquet["object_bytes"])),
        ("Athena scan, staging (every column)", decimal_bytes(text["athena_scan_bytes"]),
         decimal_bytes(parquet["athena_scan_bytes"])),
        ("Athena scan, the marts' columns only", decimal_bytes(text["athena_scan_bytes"]),
         decimal_bytes(parquet["athena_scan_bytes_mart_columns"])),
        ("DuckDB full build (median s)", f"{text['duckdb_full_build_seconds']:.2f}",
         f"{parquet['duckdb_full_build_seconds']:.2f}"),
    ]
    width = max(len(row[0]) for row in rows)
    lines = [f"Text against Parquet ({formats['records']:,} records):",
             f"  {'':<{width}}  {'text':>12}  {'parquet':>12}"]
    lines += [f"  {name:<{width}}  {a:>12}  {b:>12}" for name, a, b in rows]
    return lines
