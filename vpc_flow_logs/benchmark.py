"""Benchmark the project on DuckDB against the raw-read floor and a pandas baseline.

One run measures, each ``--repeat`` times (median reported), on a generated dataset of
``--records`` flow log records over ``--days`` days (cached under ``--data-dir``):

floor
    the fastest raw read of the same files: DuckDB counting the lines of every file
    (the raw view's reader options, decoding UTF-8; and with the view's latin-1), and
    ``gzip -dc | wc -l`` for reference (one core);
dbt start-up
    a ``dbt parse`` with a warm partial-parse cache: the fixed cost of any dbt command;
full build
    ``dbt build`` of everything from an empty DuckDB file (a fresh file each repeat);
incremental day
    after the full build, one more day of the same size is delivered and the scheduled
    build runs on the same database: ``dbt build --exclude-resource-type unit_test``
    (every model and data test; unit tests test logic and belong to CI);
pandas baseline
    what a user would otherwise write: pandas reads every file and computes rejects by
    source, bytes per IP and SSH/RDP counts.

Peak memory is the maximum resident set size of each measured process and of the
children it waited for (``wait4`` through a small launcher, see ``LAUNCHER_CODE``); CPU
time is reported next to wall time, and the CPU other processes used meanwhile.
The same figures, the ratios against the targets, dbt's per-node timings and an Athena
cost model of the daily run (what each model reads: raw partitions, Parquet columns;
bytes billed at $5/TB with a 10 MB minimum per query, against the naive design where
every mart query scans the raw gzip text of the retention window) are written as JSON
to ``--output``.

Usage: python -m vpc_flow_logs.benchmark [--records 5000000] [--days 7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from vpc_flow_logs.common import PROJECT_DIR, day_column, dbt_executable, human_bytes

REPO = PROJECT_DIR
PYTHON = sys.executable
DBT = dbt_executable()

START_DATE = date(2024, 6, 1)
SEED = 7
ACCOUNTS = 2
REGIONS = ("us-east-1", "eu-west-1")
DATASET_VERSION = 2

# Athena pricing: $5 per TB scanned, rounded up to the MB, 10 MB minimum per query.
ATHENA_USD_PER_TB = 5.0
TB = 10**12
MB = 1 << 20
ATHENA_MIN_BYTES = 10 * MB
NAIVE_MART_QUERIES = 9

TARGETS = {
    "build_over_floor_max": 2.0,
    "incremental_over_share_max": 1.5,
    "baseline_over_build_min": 5.0,
    "peak_memory_max_bytes": 4 * 1024**3,
    "peak_memory_at_records": 10_000_000,
}

# The reader options of the project's raw view (macros/raw_source/prepare_raw_source.sql),
# but for the encoding: the floor reads UTF-8 (DuckDB's fastest path, the same bytes for
# ASCII flow logs); the `floor_duckdb_latin1` figure uses the view's latin-1 as well.
READ_CSV_OPTIONS = (
    "columns = {'line': 'VARCHAR'}, header = false, auto_detect = false, delim = '\\x1f', "
    "quote = '', escape = '', comment = '', compression = 'gzip', strict_mode = false"
)

FLOOR_CODE = f"""
import duckdb, json, sys, time
files = json.load(open(sys.argv[1]))
connection = duckdb.connect()
connection.execute("set threads = " + sys.argv[2])
started = time.perf_counter()
lines = connection.execute(
    "select count(*) from read_csv($files, {READ_CSV_OPTIONS}, encoding = '" + sys.argv[3]
    + "')", {{"files": files}}
).fetchone()[0]
print(json.dumps({{"seconds": time.perf_counter() - started, "lines": lines}}))
"""

BASELINE_CODE = """
import json, sys, time
started = time.perf_counter()
from vpc_flow_logs.benchmark import pandas_baseline
result = pandas_baseline(json.load(open(sys.argv[1])))
result["seconds"] = time.perf_counter() - started
print(json.dumps(result))
"""


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    """One progress line, with the time of day."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def decimal_bytes(value: float) -> str:
    """Sizes Athena bills (powers of 1000): 1500 -> '1.5 kB'."""
    return human_bytes(value, base=1000)


def athena_billed_bytes(scanned: int) -> int:
    """Bytes Athena bills for one query: rounded up to the MB, 10 MB minimum."""
    rounded = -(-int(scanned) // MB) * MB
    return max(ATHENA_MIN_BYTES, rounded)


def athena_usd(billed: int) -> float:
    return billed / TB * ATHENA_USD_PER_TB


def gzip_files(root: Path) -> list[Path]:
    return sorted(root.glob("AWSLogs/**/*.log.gz"))


def date_partition_of(path: Path) -> str:
    """'YYYY/MM/DD' of an AWS flow log key (daily layout)."""
    parts = path.parts
    index = parts.index("vpcflowlogs")
    return "/".join(parts[index + 2:index + 5])


# --------------------------------------------------------------------------- dataset


@dataclass
class DaySummary:
    """What one delivery day of the dataset holds."""

    date_partition: str
    files: int
    gzip_bytes: int
    lines: int
    records: int


@dataclass
class Dataset:
    """A cached benchmark dataset: `days` days, plus the next day held back."""

    folder: Path
    base_root: Path
    next_root: Path
    days: list[DaySummary]
    next_day: DaySummary

    @property
    def files(self) -> list[Path]:
        return gzip_files(self.base_root)

    @property
    def next_files(self) -> list[Path]:
        return gzip_files(self.next_root)

    def total(self, name: str) -> int:
        return sum(getattr(day, name) for day in self.days)


def summarize_days(root: Path) -> list[DaySummary]:
    """Files, gzip bytes, lines and records (lines minus header lines) per delivery day."""
    by_day: dict[str, DaySummary] = {}
    for path in gzip_files(root):
        day = by_day.setdefault(date_partition_of(path), DaySummary(
            date_partition_of(path), 0, 0, 0, 0))
        with gzip.open(path, "rb") as handle:
            lines = sum(1 for _ in handle)
        day.files += 1
        day.gzip_bytes += path.stat().st_size
        day.lines += lines
        day.records += max(0, lines - 1)  # one header line per file
    return [by_day[key] for key in sorted(by_day)]


def generator_fingerprint() -> str:
    """SHA-256 of the generator's source: a changed generator invalidates cached datasets."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "vpc_flow_logs" / "generate_sample_logs").glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_dataset(data_dir: Path, records: int, days: int) -> Dataset:
    """Generate (once) `days` + 1 days of `records / days` records a day, reuse afterwards.

    The last generated day is held back in `next_day/`: it is the day the incremental
    measurement delivers (it carries the late records of the day before, as AWS does).
    """
    folder = data_dir / f"{records}_{days}"
    marker = folder / "dataset.json"
    generator = generator_fingerprint()
    if marker.exists():
        meta = json.loads(marker.read_text())
        if meta.get("version") == DATASET_VERSION and meta.get("generator") == generator:
            log(f"Reusing the dataset in {folder}")
            return Dataset(folder, folder / "base", folder / "next_day",
                           [DaySummary(**day) for day in meta["days"]],
                           DaySummary(**meta["next_day"]))
    log(f"Generating {records:,} records over {days} days (+1 held-back day) in {folder} "
        "(cached for later runs) ...")
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    started = time.perf_counter()
    # In a child process: generation holds every record of an account/region in memory,
    # and a large benchmark process would inflate its children's peak-RSS figures.
    subprocess.run([PYTHON, "-m", "vpc_flow_logs.generate_sample_logs", "--output",
                    str(staging / "base"), "--start-date", START_DATE.isoformat(),
                    "--days", str(days + 1), "--records", str(records * (days + 1) // days),
                    "--seed", str(SEED), "--accounts", str(ACCOUNTS),
                    "--regions", ",".join(REGIONS), "--force"],
                   cwd=REPO, check=True)
    last = START_DATE + timedelta(days=days)
    for day_folder in sorted((staging / "base").glob(f"AWSLogs/*/vpcflowlogs/*/{last:%Y/%m/%d}")):
        target = staging / "next_day" / day_folder.relative_to(staging / "base")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(day_folder), str(target))
    base_days = summarize_days(staging / "base")
    next_days = summarize_days(staging / "next_day")
    if len(next_days) != 1:
        raise RuntimeError(f"expected one held-back day, found {len(next_days)}")
    meta = {"version": DATASET_VERSION, "generator": generator, "records": records,
            "days": [asdict(d) for d in base_days],
            "next_day": asdict(next_days[0]), "seed": SEED, "accounts": ACCOUNTS,
            "regions": list(REGIONS), "start_date": START_DATE.isoformat()}
    (staging / "dataset.json").write_text(json.dumps(meta, indent=2))
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    log(f"Generated in {time.perf_counter() - started:.0f} s")
    return Dataset(folder, folder / "base", folder / "next_day", base_days, next_days[0])


def link_tree(source: Path, target: Path) -> None:
    """Hard-link (or copy) every file of source under target, keeping the layout."""
    for path in source.rglob("*"):
        if path.is_dir():
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copy2(path, destination)


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    """One measured child process."""

    seconds: float
    peak_rss_bytes: int
    wall_seconds: float
    cpu_seconds: float
    other_cpu_seconds: float | None = None
    output: str = ""


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has been busy since boot (Linux /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(value) for value in fields]
        idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)
        return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


class CommandFailed(RuntimeError):
    """A measured command exited with an error."""


# Runs the measured command as its child and reports that child's rusage. Needed because
# Linux starts a spawned process's peak-RSS counter from its parent's (fork/vfork copies
# the parent's high-water mark): measured directly, every child of a large benchmark
# process would report at least the benchmark's own RSS. This launcher stays small.
LAUNCHER_CODE = """
import json, os, sys
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as handle:
    json.dump({"maxrss": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, handle)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(command: list[str], *, log_path: Path, env: dict[str, str] | None = None,
                 cwd: Path = REPO, stdin_path: Path | None = None) -> Sample:
    """Run a command; return its wall time, CPU time and peak RSS (its own and those of the
    children it waited for, as the kernel folds them into ru_maxrss)."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    usage_path = log_path.with_name(log_path.name + ".rusage.json")
    busy_before = busy_cpu_seconds()
    started = time.perf_counter()
    with open(log_path, "wb") as output, \
            (open(stdin_path, "rb") if stdin_path else open(os.devnull, "rb")) as stdin:
        returncode = subprocess.run([PYTHON, "-c", LAUNCHER_CODE, str(usage_path), *command],
                                    cwd=cwd, env=env, stdin=stdin, stdout=output,
                                    stderr=subprocess.STDOUT, check=False).returncode
    wall = time.perf_counter() - started
    busy_after = busy_cpu_seconds()
    text = log_path.read_text(errors="replace")
    if returncode != 0 or not usage_path.exists():
        tail = "\n".join(text.splitlines()[-40:])
        raise CommandFailed(f"{' '.join(command[:4])} ... exited with {returncode} "
                            f"(log: {log_path}):\n{tail}")
    usage = json.loads(usage_path.read_text())
    usage_path.unlink()
    cpu = float(usage["cpu"])
    other = None
    if busy_before is not None and busy_after is not None:
        # CPU time other processes used meanwhile: noise from a shared machine.
        other = max(0.0, busy_after - busy_before - cpu)
    peak = int(usage["maxrss"]) * (1 if sys.platform == "darwin" else 1024)
    return Sample(seconds=wall, peak_rss_bytes=peak, wall_seconds=wall, cpu_seconds=cpu,
                  other_cpu_seconds=other, output=text)


def last_json_line(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON result line in the output")


@dataclass
class Series:
    """The repeated samples of one measurement."""

    name: str
    label: str
    records: int | None
    samples: list[Sample] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(sample.seconds for sample in self.samples)

    @property
    def peak_rss(self) -> int:
        return max(sample.peak_rss_bytes for sample in self.samples)

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "label": self.label,
            "seconds": self.median,
            "runs_seconds": [round(sample.seconds, 4) for sample in self.samples],
            "cpu_seconds": statistics.median(sample.cpu_seconds for sample in self.samples),
            "peak_rss_bytes": self.peak_rss,
            "other_processes_cpu_seconds": [
                None if sample.other_cpu_seconds is None else round(sample.other_cpu_seconds, 2)
                for sample in self.samples],
        }
        if self.records:
            result["records"] = self.records
            result["records_per_second"] = self.records / self.median
        result.update(self.extra)
        return result


def dbt_env(database: Path, target_path: Path, threads: int) -> dict[str, str]:
    """Environment for a dbt subprocess against its own DuckDB file and target folder."""
    env = {**os.environ}
    env.update({
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET": "local",
        "DBT_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(target_path),
        "DBT_LOG_PATH": str(target_path.parent / "dbt_logs"),
        "DBT_THREADS": str(threads),
        # No network calls during timings (usage statistics, version check).
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
    })
    return env


def dbt_command(args: list[str], root: Path, extra_vars: dict[str, Any] | None = None
                ) -> list[str]:
    return [DBT, *args, "--vars", json.dumps({**(extra_vars or {}), "flow_logs_root": str(root)})]


def node_timings(run_results: dict[str, Any]) -> dict[str, Any]:
    """dbt's own timing of a run: per resource type, and the slowest nodes."""
    by_type: dict[str, dict[str, float]] = {}
    nodes = []
    for result in run_results.get("results", []):
        unique_id = result["unique_id"]
        kind = unique_id.split(".", 1)[0]
        seconds = float(result.get("execution_time") or 0.0)
        entry = by_type.setdefault(kind, {"count": 0, "seconds": 0.0})
        entry["count"] += 1
        entry["seconds"] = round(entry["seconds"] + seconds, 3)
        nodes.append((seconds, unique_id))
    nodes.sort(reverse=True)
    return {
        "elapsed_seconds": round(float(run_results.get("elapsed_time") or 0.0), 3),
        "by_resource_type": by_type,
        "slowest": [{"node": uid, "seconds": round(sec, 3)} for sec, uid in nodes[:12]],
    }


# --------------------------------------------------------------------------- pandas baseline


def pandas_baseline(files: list[str]) -> dict[str, Any]:
    """What a user would write without the project: pandas over every file.

    Reads each gzip file (its header names the columns), keeps flow records (log-status
    OK), and computes rejects by source, bytes per IP and SSH/RDP counts per UTC day.
    """
    import pandas as pd

    frames = [pd.read_csv(path, sep=" ", compression="gzip", na_values=["-"],
                          keep_default_na=False) for path in files]
    flows = pd.concat(frames, ignore_index=True)
    del frames
    for column in ("srcport", "dstport", "protocol", "packets", "bytes", "start", "end"):
        flows[column] = pd.to_numeric(flows[column], errors="coerce")
    flows = flows[(flows["log-status"] == "OK") & flows["start"].notna()]
    flows = flows.assign(event_date=pd.to_datetime(flows["start"], unit="s").dt.floor("D"))

    rejects = (flows[(flows["action"] == "REJECT") & flows["srcaddr"].notna()]
               .groupby(["event_date", "account-id", "srcaddr"])
               .agg(rejected_flows=("action", "size"), rejected_packets=("packets", "sum"),
                    rejected_bytes=("bytes", "sum"), distinct_dst_addrs=("dstaddr", "nunique"),
                    distinct_dst_ports=("dstport", "nunique"), first_seen=("start", "min"),
                    last_seen=("end", "max")))

    sent = (flows.groupby(["event_date", "account-id", "srcaddr"])
            .agg(bytes_sent=("bytes", "sum"), packets_sent=("packets", "sum"),
                 flows_as_source=("bytes", "size")))
    sent.index = sent.index.set_names(["event_date", "account-id", "ip"])
    received = (flows.groupby(["event_date", "account-id", "dstaddr"])
                .agg(bytes_received=("bytes", "sum"), packets_received=("packets", "sum"),
                     flows_as_destination=("bytes", "size")))
    received.index = received.index.set_names(["event_date", "account-id", "ip"])
    bytes_per_ip = sent.join(received, how="outer").fillna(0)
    bytes_per_ip["total_bytes"] = bytes_per_ip["bytes_sent"] + bytes_per_ip["bytes_received"]

    tcp = flows[flows["protocol"] == 6]
    remote = tcp[tcp["dstport"].isin([22, 3389]) | tcp["srcport"].isin([22, 3389])]
    is_response = ~remote["dstport"].isin([22, 3389])
    remote = remote.assign(service_port=remote["dstport"].where(~is_response, remote["srcport"]),
                           is_response=is_response)
    ssh_rdp = (remote.groupby(["event_date", "account-id", "interface-id", "srcaddr", "dstaddr",
                               "service_port", "is_response", "action"])
               .agg(flows=("action", "size"), packets=("packets", "sum"),
                    bytes=("bytes", "sum")))
    return {"records": len(flows), "rejects_by_source": len(rejects),
            "bytes_per_ip": len(bytes_per_ip), "ssh_rdp_activity": len(ssh_rdp)}


# --------------------------------------------------------------------------- Athena cost


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
        rows = self.connection.execute(
            "select file_name, path_in_schema, sum(total_compressed_size) "
            f"from parquet_metadata('{folder}/**/*.parquet') group by all").fetchall()
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
            if isinstance(value, str):
                return [item for item in value.split("\n") if item.strip()]
            return [str(item) for item in value]

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
                    entry["scans"].append(self.scan_estimate(scan, table))
            scanned = sum(scan["bytes"] for scan in entry["scans"])
            entry["scanned_bytes"] = scanned
            entry["billed_bytes"] = athena_billed_bytes(scanned) if entry["queries"] else 0
            if kind == "model" and materialized == "incremental":
                # the incremental window: one max(day) query on the model's own table,
                # and one on the upstream table a mart's window is bounded by
                entry["window_lookups"] = 1 + ("catch_up_from" in node.get("raw_code", ""))
            entries.append(entry)
        return entries


COST_MODEL_CODE = """
import json, sys
from vpc_flow_logs.benchmark import estimate_daily_reads
estimate_daily_reads(sys.argv[1], sys.argv[2])
"""


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
        return {
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


# --------------------------------------------------------------------------- the benchmark


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
                             "'{\"lookback_days\": 1}' (flow_logs_root is set by the benchmark)")
    parser.add_argument("--athena-gb-per-day", type=float, default=10.0,
                        help="raw gzip GB a day for the scaled Athena estimate (default 10)")
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
                   gzip_gb_per_day=args.athena_gb_per_day, dbt_vars=dbt_vars)


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
        if not self.options.keep:
            shutil.rmtree(self.work, ignore_errors=True)
        return self.report()

    def floors(self, index: int, lists: Path) -> None:
        threads = str(self.options.threads)
        for name, encoding in (("floor_duckdb", "utf-8"), ("floor_duckdb_latin1", "latin-1")):
            sample = run_measured(
                [PYTHON, "-c", FLOOR_CODE, str(lists / "base.json"), threads, encoding],
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

        sample = run_measured([PYTHON, "-c", FLOOR_CODE, str(lists / "next.json"), threads,
                               "utf-8"], log_path=self.work / f"floor_day_{index}.log")
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

        sample = run_measured(dbt_command(["build"], self.root, self.options.dbt_vars),
                              env=self.env, log_path=self.work / f"dbt_build_full_{index}.log")
        self.series["full_build"].samples.append(sample)
        full_results = json.loads((self.target / "run_results.json").read_text())
        log(f"  full build: {sample.seconds:.2f} s, peak {human_bytes(sample.peak_rss_bytes)}")

        link_tree(self.dataset.next_root, self.root)
        # The scheduled build: what the cron, CI and Dagster examples run every day (the
        # scheduled selectors leave dbt unit tests, which test logic, to CI).
        scheduled = ["build", "--exclude-resource-type", "unit_test"]
        sample = run_measured(dbt_command(scheduled, self.root, self.options.dbt_vars),
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
        # In a child process, so that this process stays small (see LAUNCHER_CODE).
        subprocess.run([PYTHON, "-c", COST_MODEL_CODE, str(request), str(response)],
                       cwd=REPO, check=True)
        entries = json.loads(response.read_text())
        if not self.options.keep:
            shutil.rmtree(self.work / "parquet", ignore_errors=True)
        self.athena = athena_report(entries, raw_bytes_by_day=raw_by_day,
                                    retention_days=self.options.retention_days,
                                    gzip_gb_per_day=self.options.gzip_gb_per_day)

    def baseline(self, index: int, lists: Path) -> None:
        sample = run_measured([PYTHON, "-c", BASELINE_CODE, str(lists / "base.json")],
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
            "pandas_baseline": {"target": f">= {TARGETS['baseline_over_build_min']}x faster",
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
        }


def total_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        return None


# --------------------------------------------------------------------------- printing


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
        ["pandas baseline / full build", f"{ratios['baseline_over_build']:.2f}x", ">= 5x",
         verdict(targets["pandas_baseline"]["met"])],
        ["peak memory (builds)", human_bytes(memory["actual_bytes"]), "< 4 GiB at 10M records",
         verdict(memory["met"]) + ("" if memory["applies"] else " (below 10M records)")],
    ]
    lines += ["", *format_table(["ratio", "value", "target", ""], rows, {1})]

    athena = result.get("athena_cost")
    if athena:
        lines += ["", *render_athena(athena)]
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
             money(block["incremental_build_usd"])],
            [f"  naive: mart queries over {block['naive']['days_scanned']} days of gzip",
             str(block["naive"]["queries"]), decimal_bytes(block["naive"]["billed_bytes"]),
             money(block["naive"]["usd"])],
            ["  naive / incremental (models; build)", "",
             f"{block['naive_over_incremental_models']:.0f}x; "
             f"{block['naive_over_incremental_build']:.0f}x", ""],
        ]
    lines += ["", *format_table(["daily bill", "queries", "billed", "cost"], rows, {1, 2, 3})]
    return lines


# --------------------------------------------------------------------------- entry point


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


if __name__ == "__main__":
    raise SystemExit(main())
