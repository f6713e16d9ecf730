"""Write the sample data set: check the arguments, plant the scenarios, fill each
day with background traffic up to the record count, cut it into the files AWS
would deliver."""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from vpc_flow_logs.common import is_region, parse_date
from vpc_flow_logs.generate_sample_logs.background import add_background
from vpc_flow_logs.generate_sample_logs.formats import (
    format_version,
    line_template,
    parse_format,
    value_picker,
    write_gzip,
    write_parquet,
)
from vpc_flow_logs.generate_sample_logs.scenarios import PLANTED, SCENARIOS, malformed_lines, plant
from vpc_flow_logs.generate_sample_logs.topology import (
    Topology,
    account_ids,
    build_topology,
    stable_hex,
    static_values,
)
from vpc_flow_logs.generate_sample_logs.traffic import DAY, Item, Traffic

MAX_PAIRS = 64  # account x region combinations (each gets its own VPC address range)


FILE_MINUTES = (5, 10)


def day_start_epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@dataclass
class GenerationSummary:
    """What `generate` wrote."""

    output: Path
    fields: list[str]
    first_day: date
    days: int
    accounts: list[str]
    regions: list[str]
    files: int = 0
    records: int = 0  # data lines that are valid records (flow, NODATA, SKIPDATA)
    background_records: int = 0
    planted_records: int = 0
    malformed_lines: int = 0
    late_records: int = 0
    bytes_written: int = 0
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)

    def describe(self) -> str:
        return (f"Wrote {self.files} files, {self.records} records ({self.planted_records} "
                f"planted, {self.late_records} delivered late, {self.malformed_lines} malformed "
                f"lines), {self.bytes_written / 1e6:.1f} MB gzip under "
                f"{self.output / 'AWSLogs'}")


def check_arguments(start_date: str | date, days: int, accounts: int, regions: list[str],
                     records: int, late_fraction: float, file_minutes: int) -> date:
    first = start_date if isinstance(start_date, date) else parse_date(str(start_date),
                                                                        "--start-date")
    if first.year < 2000:
        raise ValueError("--start-date must be 2000-01-01 or later.")
    if not 1 <= days <= 366:
        raise ValueError(f"--days must be between 1 and 366, got {days}.")
    if accounts < 1:
        raise ValueError(f"--accounts must be at least 1, got {accounts}.")
    if not regions:
        raise ValueError("--regions needs at least one region, e.g. us-east-1,eu-west-1.")
    for region in regions:
        if not is_region(region):
            raise ValueError(f"--regions has {region!r}, which is not an AWS region name "
                             "like us-east-1.")
    if len(set(regions)) != len(regions):
        raise ValueError("--regions lists a region twice.")
    if accounts * len(regions) > MAX_PAIRS:
        raise ValueError(f"--accounts times the number of regions must be at most {MAX_PAIRS},"
                         f" got {accounts * len(regions)}.")
    if not 0 <= records <= 200_000_000:
        raise ValueError(f"--records must be between 0 and 200000000, got {records}.")
    if not 0 <= late_fraction <= 0.5:
        raise ValueError(f"--late-fraction must be between 0 and 0.5, got {late_fraction}.")
    if file_minutes not in FILE_MINUTES:
        raise ValueError(f"--file-minutes must be 5 or 10, got {file_minutes}.")
    return first


def split_quota(total: int, weights: list[float]) -> list[int]:
    """Split total into integers proportional to weights (largest remainder, stable)."""
    whole = sum(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda k: (counts[k] - shares[k], k))
    for k in order[: total - sum(counts)]:
        counts[k] += 1
    return counts


def generate(output: Path | str = "sample_data", *, start_date: str | date = "2024-06-01",
             days: int = 3, accounts: int = 2,
             regions: str | Sequence[str] = ("us-east-1", "eu-west-1"), records: int = 50_000,
             seed: int = 7, fields: str | Sequence[str] = "default", hourly: bool = False,
             scenarios: bool = True, malformed: bool = True, late_fraction: float = 0.01,
             file_minutes: int = 10, progress: bool = False, prefixes: str = "default",
             file_format: str = "text") -> GenerationSummary:
    """Write the sample flow log files under `output`/AWSLogs and return a summary.

    `records` is the total number of valid records (background and planted); the
    planted scenarios are always written whole, so at least their records appear.
    `fields` is a preset name of FORMATS, a space-separated field list or a list.
    Raises ValueError (one sentence) on invalid arguments. Existing files with the
    same names are overwritten; nothing else is deleted.
    `prefixes` is AWS's key layout: `default` (AWSLogs/<account>/vpcflowlogs/<region>/
    YYYY/MM/DD/) or `hive` (Hive-compatible prefixes, aws-account-id=<account>/...);
    `file_format` is `text` (gzip text, .log.gz) or `parquet` (.log.parquet, AWS's
    column names and types). Parquet objects are typed, so they hold no malformed
    lines: `malformed` applies to text only.
    """
    if prefixes not in ("default", "hive"):
        raise ValueError(f"prefixes must be 'default' or 'hive', not '{prefixes}'.")
    if file_format not in ("text", "parquet"):
        raise ValueError(f"file_format must be 'text' or 'parquet', not '{file_format}'.")
    malformed = malformed and file_format == "text"
    region_list = ([part.strip() for part in regions.split(",") if part.strip()]
                   if isinstance(regions, str) else list(regions))
    first = check_arguments(start_date, days, accounts, region_list, records, late_fraction,
                             file_minutes)
    field_list = parse_format(fields)
    version = str(format_version(field_list))
    picker = value_picker(field_list)
    window = file_minutes * 60
    output = Path(output)
    account_list = account_ids(accounts)
    topologies = [build_topology(account, region, region_index,
                                 account_index * len(region_list) + region_index)
                  for account_index, account in enumerate(account_list)
                  for region_index, region in enumerate(region_list)]
    summary = GenerationSummary(output=output, fields=field_list, first_day=first, days=days,
                                accounts=account_list, regions=region_list)
    first_epoch = day_start_epoch(first)
    late_on = scenarios and late_fraction > 0
    used: set[str] = set()
    for topo in topologies:
        used.update((topo.ntp, *topo.forwarders, *topo.apis, *topo.s3, topo.dynamodb,
                     topo.monitor))

    def traffic_for(topo: Topology, day_index: int, rng: random.Random) -> Traffic:
        templates, nodata = [], []
        for iface in topo.interfaces:
            static = static_values(topo, iface, version)
            templates.append(line_template(field_list, static))
            status = {name: "-" for name in static}
            status.update({"version": version, "account-id": topo.account,
                           "interface-id": iface.eni})
            nodata.append(line_template(field_list, status))
        idle = frozenset({"standby"}) if (scenarios and topo.pair == 0 and day_index == 0) \
            else frozenset()
        return Traffic(topo, rng, first_epoch + day_index * DAY, templates, nodata, picker,
                        used, idle)

    # Planted records first: the background fills the rest of `records`.
    planted: dict[tuple[int, int], list[Item]] = defaultdict(list)
    bad_lines: dict[int, list[str]] = defaultdict(list)
    if scenarios:
        topo = topologies[0]
        for day_index in range(days):
            for name in PLANTED:
                traffic = traffic_for(topo, day_index,
                                      random.Random(f"planted|{name}|{day_index}"))
                plant(traffic, name, day_index, days)
                planted[(0, day_index)].extend(traffic.out)
                if traffic.out:
                    info = summary.scenarios.setdefault(name, {
                        **SCENARIOS[name], "account_id": topo.account, "region": topo.region,
                        "records": 0, "dates": []})
                    info["records"] += len(traffic.out)
                    info["dates"].append(first.toordinal() + day_index)
        if malformed:
            day = first_epoch
            lines = malformed_lines(topo, field_list, version, day, picker)
            for start, line in lines:
                bad_lines[start - start % window].append(line)
            summary.malformed_lines = len(lines)
            summary.scenarios["malformed"] = {
                **SCENARIOS["malformed"], "account_id": topo.account, "region": topo.region,
                "lines": len(lines), "dates": [first.toordinal()]}
        if late_on:
            summary.scenarios["late_delivery"] = {**SCENARIOS["late_delivery"],
                                                  "fraction": late_fraction}
        for info in summary.scenarios.values():
            if "dates" in info:
                info["dates"] = [date.fromordinal(value).isoformat() for value in info["dates"]]
    summary.planted_records = sum(len(items) for items in planted.values())
    background = max(0, records - summary.planted_records)
    pair_weights = [0.6 + int(stable_hex("volume", topo.account, topo.region_index, length=4), 16)
                    / 0xFFFF * 0.8 for topo in topologies]
    quotas = split_quota(background, [weight for weight in pair_weights for _ in range(days)])

    try:
        from tqdm import tqdm
        bar = tqdm(total=len(topologies) * days, unit="day", desc="flow logs",
                   disable=not progress, file=sys.stderr)
    except ImportError:  # pragma: no cover - tqdm is a project dependency
        bar = None
    made_dirs: set[Path] = set()
    for pair_index, topo in enumerate(topologies):
        buckets: dict[int, list[Item]] = defaultdict(list)
        for day_index in range(days):
            day_start = first_epoch + day_index * DAY
            quota = quotas[pair_index * days + day_index]
            rng = random.Random(f"{seed}|{topo.account}|{topo.region}|{day_index}")
            traffic = traffic_for(topo, day_index, rng)
            while len(traffic.out) < quota:
                add_background(traffic)
            del traffic.out[quota:]
            summary.background_records += quota
            late_rng = random.Random(f"late|{seed}|{topo.account}|{topo.region}|{day_index}")
            next_day = day_start + DAY
            may_be_late = late_on and day_index < days - 1
            for item in traffic.out:
                start = item[0]
                if may_be_late and late_rng.random() < late_fraction:
                    delivered = late_rng.randrange(next_day, start + DAY + 1)
                    summary.late_records += 1
                else:
                    delivered = start
                buckets[delivered - delivered % window].append(item)
            for item in planted.get((pair_index, day_index), ()):
                buckets[item[0] - item[0] % window].append(item)
            slots = {key for key in buckets if key < next_day}
            if pair_index == 0:  # a malformed line may sit in an otherwise empty window
                slots.update(key for key in bad_lines if key < next_day)
            for slot in sorted(slots):
                items = buckets.pop(slot, [])
                items.sort(key=itemgetter(0))
                lines = [line for _, line in items]
                extra = bad_lines.pop(slot, []) if pair_index == 0 else []
                if extra:
                    middle = len(lines) // 2
                    lines[middle:middle] = extra
                moment = datetime.fromtimestamp(slot, UTC)
                if prefixes == "hive":
                    folder = (output / "AWSLogs" / f"aws-account-id={topo.account}"
                              / "aws-service=vpcflowlogs" / f"aws-region={topo.region}"
                              / moment.strftime("year=%Y/month=%m/day=%d"))
                    if hourly:
                        folder = folder / moment.strftime("hour=%H")
                else:
                    folder = (output / "AWSLogs" / topo.account / "vpcflowlogs" / topo.region
                              / moment.strftime("%Y/%m/%d"))
                    if hourly:
                        folder = folder / moment.strftime("%H")
                if folder not in made_dirs:
                    folder.mkdir(parents=True, exist_ok=True)
                    made_dirs.add(folder)
                stamp = moment.strftime("%Y%m%dT%H%MZ")
                digest = stable_hex("file", seed, topo.account, topo.region, stamp, length=8)
                suffix = "log.parquet" if file_format == "parquet" else "log.gz"
                name = (f"{topo.account}_vpcflowlogs_{topo.region}_{topo.flow_log_id}_{stamp}_"
                        f"{digest}.{suffix}")
                if file_format == "parquet":
                    summary.bytes_written += write_parquet(folder / name, field_list, lines)
                else:
                    summary.bytes_written += write_gzip(folder / name,
                                                         [" ".join(field_list), *lines])
                summary.files += 1
                summary.records += len(items)
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return summary
