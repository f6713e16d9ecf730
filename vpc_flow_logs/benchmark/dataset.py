"""The benchmark dataset: generated once per size by the sample generator (in a
child process), cached with the generator's fingerprint, the last day held back."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

from vpc_flow_logs.benchmark.measure import PYTHON, REPO, log

START_DATE = date(2024, 6, 1)


SEED = 7


ACCOUNTS = 2


REGIONS = ("us-east-1", "eu-west-1")


DATASET_VERSION = 2


def gzip_files(root: Path) -> list[Path]:
    return sorted(root.glob("AWSLogs/**/*.log.gz"))


def date_partition_of(path: Path) -> str:
    """'YYYY/MM/DD' of an AWS flow log key (daily layout)."""
    parts = path.parts
    index = parts.index("vpcflowlogs")
    return "/".join(parts[index + 2:index + 5])


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
