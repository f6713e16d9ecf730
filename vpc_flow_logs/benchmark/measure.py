"""Measuring a command: wall and CPU time, peak memory (through :mod:`.launcher`),
the CPU other processes used meanwhile; repeated samples and dbt's own timings."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vpc_flow_logs.common import PROJECT_DIR, dbt_executable

REPO = PROJECT_DIR
PYTHON = sys.executable
DBT = dbt_executable()


def log(message: str) -> None:
    """One progress line, with the time of day."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


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
        returncode = subprocess.run([PYTHON, "-m", "vpc_flow_logs.benchmark.launcher",
                                     str(usage_path), *command],
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
