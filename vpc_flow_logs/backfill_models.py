"""Rebuild the incremental models over a date range, in chunks of days, resumably.

::

    python -m vpc_flow_logs.backfill_models --start 2024-01-01 --end 2024-03-31 \\
        [--chunk-days 30] [--select config.materialized:incremental] [--target athena] \\
        [--vars '{flow_logs_root: s3://bucket/prefix}'] [--dry-run] \\
        [--state-file PATH] [--restart] [--no-prepare] [--reparse] [--dbt-output]

``--start`` and ``--end`` are days (YYYY-MM-DD), both INCLUSIVE, as in
``vpc_flow_logs/backfill_partitions.py``. Each chunk is one programmatic ``dbt run``
(``dbtRunner``) with the window vars of ``macros/incremental/backfill_window.sql``
(``backfill_start_date`` = first day, ``backfill_end_date`` = the day after the
last one, exclusive) merged into ``--vars``. With those vars set, every
incremental model reads and rewrites exactly the days of its chunk, on an
empty database too (the first chunk creates each table with its own days only;
later chunks delete+insert on DuckDB, overwrite partitions on Athena). A chunk
writes at most ``--chunk-days`` day partitions per model: the default, 30, and
the maximum, 100, keep every query within Athena's 100 open partitions.

Phases. The models are not all partitioned by the same day: staging
(``base_vpc_flow_logs__lines``) by ``delivery_date``, the folder day of the raw
file, and the intermediate and mart models by ``event_date``, the day of the
record's ``start``. An event day needs the staged rows of LATER delivery days:
a flow that starts at 23:58 is delivered in the next day's folder, and late
deliveries come a day or more after. Running all models chunk by chunk would
build each chunk's last event day before its records are staged, and no later
chunk would rebuild that day. So the selected models are grouped by their day
column (their ``unique_key``) into phases, in dependency order, and every chunk
of a phase runs before the first chunk of the next phase: staging over the
whole range first, then the event-day models over the whole range. The result
equals a full refresh of the range. Rows delivered after ``--end`` reach the
event days of the range only if those delivery days are staged already (in
production, the scheduled runs have staged them).

Before the first chunk of a phase, the non-incremental models that phase reads
(for the event-day phase, the ``stg_vpc_flow_logs`` view over staging) are built
with a plain ``dbt run``, so a backfill works on a fresh database (``dbt seed``
first); ``--no-prepare`` skips it. Other non-incremental models (the other
views, ``fct_file_reconciliation``) are left alone.

Limit: a day is replaced only when the chunk produces rows for it (DuckDB
delete+insert on the day column, Athena insert_overwrite of the partitions
written). A day whose source files were all removed keeps its old rows.

Resuming. Each finished chunk is recorded, atomically, in a JSON state file
(default ``target/backfill_state/<hash>.json``; the hash covers the range,
chunking, selection, target, vars, the models of each phase and the
environment variables that name the database). Rerunning the same command
skips the recorded chunks ("skipping chunk 1/6 ... (done)") and continues;
``--restart`` ignores and overwrites the state. A chunk is idempotent (it
replaces its days), so a chunk interrupted halfway is simply run again.

The project is parsed once per backfill and the manifest reused by every chunk
(dbt would otherwise re-parse the whole project for each chunk, as ``--vars``
change): the window vars only bound queries, they change no config or ref.
``--reparse`` parses for every chunk instead.

dbt's own microbatch backfill (``--event-time-start/--event-time-end``) is not
used: these models are delete+insert / insert_overwrite incremental models, and
microbatch would filter every upstream ref by its ``event_time``, which would
drop exactly the late deliveries the phases keep.

Exit status: 0 success (or nothing left to do), 1 a dbt failure (the backfill
stops at the first failed chunk; rerun to resume), 2 invalid input.
``--dry-run`` parses the project to plan (no query runs) and prints each chunk
and its dbt command.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import shlex
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from vpc_flow_logs.common import PROJECT_DIR, InvalidInput, day_column, parse_date
from vpc_flow_logs.common import parse_vars as parse_user_vars

DEFAULT_SELECT = "config.materialized:incremental"
DEFAULT_CHUNK_DAYS = 30
MAX_CHUNK_DAYS = 100  # Athena: at most 100 partitions written by one query
WINDOW_VARS = ("backfill_start_date", "backfill_end_date")
# Environment variables profiles.example.yml uses to name the database written to:
# part of the default state file's identity, so two databases never share a state.
DATABASE_ENV = (
    "DBT_TARGET", "DBT_DUCKDB_PATH", "ATHENA_CATALOG", "ATHENA_SCHEMA", "ATHENA_S3_DATA_DIR",
    "AWS_REGION",
)
STATE_VERSION = 1
EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2


class DbtFailure(RuntimeError):
    """dbt could not plan the backfill (parse or selection failed)."""


# --------------------------------------------------------------------------- plan


@dataclass(frozen=True)
class Phase:
    """Selected incremental models sharing a day column, run chunk by chunk together."""

    number: int
    column: str
    models: tuple[str, ...]
    select: tuple[str, ...]  # dbt selection arguments
    prepare: tuple[str, ...]  # non-incremental models it reads, built before its first chunk


@dataclass(frozen=True)
class Chunk:
    """The days [first, last] (inclusive) of one phase: one `dbt run`."""

    phase: Phase
    first: dt.date
    last: dt.date

    @property
    def key(self) -> str:
        return f"{self.phase.column}:{self.first}..{self.last}"

    def window_vars(self) -> dict[str, str]:
        return {"backfill_start_date": self.first.isoformat(),
                "backfill_end_date": (self.last + dt.timedelta(days=1)).isoformat()}


@dataclass(frozen=True)
class Plan:
    start: dt.date
    end: dt.date
    chunk_days: int
    phases: tuple[Phase, ...]
    ignored: tuple[str, ...]  # selected models that are not incremental
    chunks: tuple[Chunk, ...]


def parse_vars(text: str | None) -> dict[str, Any]:
    """User vars (a YAML or JSON mapping), refused when they set the window vars."""
    value = parse_user_vars(text)
    clash = sorted(set(value) & set(WINDOW_VARS))
    if clash:
        raise InvalidInput(f"--vars must not set {', '.join(clash)}: use --start and --end.")
    return value


def day_ranges(start: dt.date, end: dt.date, chunk_days: int) -> Iterator[tuple[dt.date, dt.date]]:
    """Consecutive [first, last] day ranges (inclusive) covering start..end."""
    first = start
    while first <= end:
        last = min(first + dt.timedelta(days=chunk_days - 1), end)
        yield first, last
        first = last + dt.timedelta(days=1)


def phase_selection(select: str, column: str) -> tuple[str, ...]:
    """`select` intersected with the incremental models partitioned by `column`."""
    extra = ["config.materialized:incremental", f"config.unique_key:{column}"]
    selection = []
    for token in select.split():
        parts = token.split(",")
        selection.append(",".join(parts + [part for part in extra if part not in parts]))
    return tuple(selection)


def ancestors(manifest: Any, unique_ids: set[str]) -> set[str]:
    """Every node the given nodes depend on, transitively (themselves excluded)."""
    seen: set[str] = set()
    stack = list(unique_ids)
    while stack:
        node = manifest.nodes.get(stack.pop())
        if node is None:
            continue
        for parent in getattr(node.depends_on, "nodes", ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def order_phases(manifest: Any, groups: dict[str, set[str]]) -> list[str]:
    """Day columns in dependency order: a phase runs after the phases it reads."""
    needs = {column: {other for other, models in groups.items() if other != column
                      and models & ancestors(manifest, groups[column])} for column in groups}
    ordered: list[str] = []
    while needs:
        ready = sorted(column for column, before in needs.items() if not before - set(ordered))
        if not ready:
            cycle = ", ".join(sorted(needs))
            raise InvalidInput(f"the selected models partitioned by {cycle} read each other "
                               "both ways: select them in separate backfills.")
        for column in ready:
            ordered.append(column)
            del needs[column]
    return ordered


def build_plan(args: argparse.Namespace, manifest: Any, selected: list[str]) -> Plan:
    """Phases and chunks from the parsed project and the unique ids `--select` matched."""
    groups: dict[str, set[str]] = {}
    ignored: list[str] = []
    unpartitioned: list[str] = []
    for unique_id in selected:
        node = manifest.nodes[unique_id]
        if node.config.materialized != "incremental":
            ignored.append(node.name)
            continue
        column = day_column(node.config)
        if column is None:
            unpartitioned.append(node.name)
        else:
            groups.setdefault(column, set()).add(unique_id)
    if unpartitioned:
        raise InvalidInput(f"incremental model(s) {', '.join(sorted(unpartitioned))} have no "
                           "single day column (unique_key): leave them out of --select.")
    if not groups:
        raise InvalidInput(f"--select {args.select!r} matches no incremental model.")
    phases: list[Phase] = []
    prepared: set[str] = set()
    for number, column in enumerate(order_phases(manifest, groups), 1):
        group = groups[column]
        # Views (and tables) the phase reads, e.g. stg_vpc_flow_logs over the staging table
        # of the previous phase: built once that phase has run, so it exists on a new database.
        prepare = {uid for uid in ancestors(manifest, group) - prepared
                   if uid.startswith("model.") and uid in manifest.nodes
                   and manifest.nodes[uid].config.materialized not in ("incremental", "ephemeral")}
        prepared |= prepare
        phases.append(Phase(
            number=number,
            column=column,
            models=tuple(manifest.nodes[uid].name for uid in sorted(  # upstream first
                group, key=lambda uid, group=group: (
                    len(ancestors(manifest, {uid}) & group), manifest.nodes[uid].name))),
            select=phase_selection(args.select, column),
            prepare=tuple(sorted(manifest.nodes[uid].name for uid in prepare))
            if args.prepare else ()))
    ranges = list(day_ranges(args.start_day, args.end_day, args.chunk_days))
    chunks = tuple(Chunk(phase, first, last) for phase in phases for first, last in ranges)
    return Plan(start=args.start_day, end=args.end_day, chunk_days=args.chunk_days,
                phases=tuple(phases), ignored=tuple(sorted(ignored)), chunks=chunks)


# --------------------------------------------------------------------------- dbt


class Dbt:
    """Programmatic dbt (dbtRunner), with the project parsed once and reused."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.target: str | None = args.target
        self.user_vars: dict[str, Any] = args.user_vars
        self.project_dir = Path(args.project_dir).resolve()
        self.reparse = args.reparse
        self.quiet = not args.dbt_output
        self.manifest: Any = None

    def common_args(self, dbt_vars: dict[str, Any]) -> list[str]:
        args = ["--project-dir", str(self.project_dir)]
        profiles_dir = os.environ.get("DBT_PROFILES_DIR")
        if not profiles_dir and (self.project_dir / "profiles.yml").exists():
            profiles_dir = str(self.project_dir)
        if profiles_dir:
            args += ["--profiles-dir", profiles_dir]
        if self.target:
            args += ["--target", self.target]
        if dbt_vars:
            args += ["--vars", json.dumps(dbt_vars, default=str)]
        return args

    def display(self, command: str, select: Sequence[str], dbt_vars: dict[str, Any]) -> str:
        """The equivalent shell command, run from the project directory."""
        words = ["dbt", command, "--select", *select]
        if dbt_vars:
            words += ["--vars", json.dumps(dbt_vars, default=str)]
        if self.target:
            words += ["--target", self.target]
        return shlex.join(words)

    def invoke(self, args: list[str], *, manifest: bool = True) -> Any:
        from dbt.cli.main import dbtRunner  # imported late: --help and validation stay fast

        runner = dbtRunner(manifest=self.manifest if manifest and not self.reparse else None)
        return runner.invoke(args)

    def load(self) -> tuple[Any, list[str]]:
        """Parse the project once, with the user's vars (and no window vars)."""
        from dbt.exceptions import DbtProfileError

        common = self.common_args(self.user_vars)
        result = self.invoke(["parse", "--log-level", "none", *common], manifest=False)
        if isinstance(result.exception, DbtProfileError):  # e.g. an unknown --target
            raise InvalidInput(describe_failure(result))
        if not result.success or result.result is None:
            raise DbtFailure(f"dbt parse failed: {describe_failure(result)}")
        self.manifest = result.result
        return self.manifest, common

    def select(self, select: str, common: list[str]) -> list[str]:
        """Unique ids of the models `--select` matches (dbt's own selection syntax)."""
        result = self.invoke(["ls", "--log-level", "none", "--resource-type", "model",
                              "--output", "json", "--output-keys", "unique_id",
                              "--select", *select.split(), *common])
        if not result.success:
            raise DbtFailure(f"dbt ls --select {select!r} failed: {describe_failure(result)}")
        return [json.loads(line)["unique_id"] for line in result.result or []]

    def run(self, select: Sequence[str], dbt_vars: dict[str, Any]) -> tuple[bool, int, str]:
        """`dbt run`: (success, models built, failure description)."""
        args = ["run", "--select", *select]
        if self.quiet:
            args.append("--quiet")
        result = self.invoke([*args, *self.common_args(dbt_vars)])
        if isinstance(result.exception, KeyboardInterrupt):  # dbtRunner catches Ctrl-C
            raise KeyboardInterrupt
        results = getattr(result.result, "results", None) or []
        built = sum(1 for item in results if str(item.status) == "success"
                    and getattr(item.node, "resource_type", None) == "model")
        return bool(result.success), built, "" if result.success else describe_failure(result)


def describe_failure(result: Any) -> str:
    """One or a few lines on why a dbt invocation failed."""
    if result.exception is not None:
        lines = [line.strip() for line in str(result.exception).splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].endswith("Error"):  # dbt's "Runtime Error" heading
            lines = lines[1:]
        return " ".join(lines[:4]) or type(result.exception).__name__
    lines = []
    for item in getattr(result.result, "results", None) or []:
        if str(item.status) in ("error", "fail", "runtime error"):
            message = (item.message or "").strip().splitlines()
            lines.append(f"{item.node.name}: {message[0] if message else item.status}")
    return "; ".join(lines) or "dbt reported a failure (see logs/dbt.log)"


# --------------------------------------------------------------------------- state


def identity(args: argparse.Namespace, plan: Plan) -> dict[str, Any]:
    """What makes two backfills the same one (and their state file shareable)."""
    return {
        "start": plan.start.isoformat(),
        "end": plan.end.isoformat(),
        "chunk_days": plan.chunk_days,
        "select": args.select,
        "target": args.target,
        "vars": json.loads(json.dumps(args.user_vars, default=str, sort_keys=True)),
        "phases": {phase.column: list(phase.models) for phase in plan.phases},
        "project_dir": str(Path(args.project_dir).resolve()),
        "env": {name: os.path.abspath(os.environ[name]) if name == "DBT_DUCKDB_PATH"
                else os.environ[name] for name in DATABASE_ENV if os.environ.get(name)},
    }


def default_state_file(args: argparse.Namespace, ident: dict[str, Any]) -> Path:
    digest = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:16]
    target_path = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return Path(args.project_dir).resolve() / target_path / "backfill_state" / f"{digest}.json"


def load_state(path: Path, ident: dict[str, Any], restart: bool) -> dict[str, Any]:
    fresh = {"version": STATE_VERSION, "identity": ident, "done": {}}
    if restart or not path.exists():
        return fresh
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise InvalidInput(f"state file {path} is unreadable ({error}): fix it, or pass "
                           "--restart to start over.") from None
    if not isinstance(state, dict) or state.get("identity") != ident:
        raise InvalidInput(f"state file {path} belongs to another backfill (other dates, "
                           "selection, vars, models or database): pass --restart to start "
                           "over, or another --state-file.")
    state.setdefault("done", {})
    return state


def save_state(path: Path, state: dict[str, Any]) -> None:
    """Write the state atomically: a complete old file or a complete new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.",
                                     suffix=".tmp", delete=False) as handle:
        json.dump(state, handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, path)


# --------------------------------------------------------------------------- output


def duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{rest:02d}s" if hours else f"{minutes}m{rest:02d}s"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def chunk_label(plan: Plan, index: int) -> str:
    chunk = plan.chunks[index]
    return f"chunk {index + 1}/{len(plan.chunks)} {chunk.phase.column} {chunk.first}..{chunk.last}"


def print_plan(plan: Plan, dbt: Dbt, args: argparse.Namespace, state_file: Path,
               done: dict[str, Any], out: TextIO) -> None:
    days = (plan.end - plan.start).days + 1
    print(f"Plan: backfill {plural(days, 'day')}, {plan.start} .. {plan.end} (end inclusive), "
          f"chunks of up to {plural(plan.chunk_days, 'day')}", file=out)
    print(f"  selection   {args.select}", file=out)
    print(f"  target      {args.target or '(profile default)'}", file=out)
    finished = sum(1 for chunk in plan.chunks if chunk.key in done)
    print(f"  state file  {display_path(state_file)} ({finished} of {len(plan.chunks)} "
          "chunks done)", file=out)
    for phase in plan.phases:
        print(f"  phase {phase.number}     by {phase.column}: {', '.join(phase.models)}",
              file=out)
        if phase.prepare:
            print(f"              first: {dbt.display('run', phase.prepare, args.user_vars)}",
                  file=out)
    if plan.ignored:
        print(f"  not incremental, left alone: {', '.join(plan.ignored)}", file=out)
    if args.dry_run:
        print("Chunks:", file=out)
        for index, chunk in enumerate(plan.chunks):
            status = "  (done)" if chunk.key in done else ""
            print(f"  {chunk_label(plan, index)}{status}", file=out)
            command = dbt.display("run", chunk.phase.select,
                                  {**chunk.window_vars(), **args.user_vars})
            print(f"    {command}", file=out)


def execute(plan: Plan, dbt: Dbt, args: argparse.Namespace, state_file: Path,
            state: dict[str, Any], out: TextIO) -> int:
    started = time.monotonic()
    ran = skipped = 0
    if args.restart:  # forget the old chunks now, even if the first chunk fails
        save_state(state_file, state)
    prepared: set[int] = set()
    for index, chunk in enumerate(plan.chunks):
        label = chunk_label(plan, index)
        if chunk.key in state["done"]:
            print(f"skipping {label} (done)", file=out, flush=True)
            skipped += 1
            continue
        left = len(plan.chunks) - index - 1
        phase = chunk.phase
        begin = time.monotonic()
        try:
            if phase.prepare and phase.number not in prepared:
                ok, _, why = dbt.run(phase.prepare, args.user_vars)
                what = f"phase {phase.number} needs {', '.join(phase.prepare)}"
                if not ok:
                    print(f"{what}: FAILED after {duration(time.monotonic() - begin)}: {why}",
                          file=out)
                    print(f"Summary: failed before {label}; {ran} run, {skipped} skipped "
                          f"(done before), {left + 1} not started. Fix the cause and rerun the "
                          f"same command to resume (state: {display_path(state_file)}).",
                          file=out)
                    return EXIT_FAILED
                print(f"{what}: built in {duration(time.monotonic() - begin)}", file=out)
                prepared.add(phase.number)
            print(f"{label}: running", file=out, flush=True)
            begin = time.monotonic()
            ok, built, why = dbt.run(phase.select, {**chunk.window_vars(), **args.user_vars})
        except KeyboardInterrupt:
            print(f"{label}: INTERRUPTED after {duration(time.monotonic() - begin)}; "
                  f"{ran} run, {skipped} skipped (done before). Rerun the same command to "
                  f"resume (state: {display_path(state_file)}).", file=out)
            return 130
        seconds = time.monotonic() - begin
        if not ok:
            print(f"{label}: FAILED after {duration(seconds)}: {why}", file=out)
            print(f"Summary: chunk {index + 1}/{len(plan.chunks)} failed; {ran} run, "
                  f"{skipped} skipped (done before), {left} not started, in "
                  f"{duration(time.monotonic() - started)}. Fix the cause and rerun the same "
                  f"command to resume (state: {display_path(state_file)}).", file=out)
            return EXIT_FAILED
        state["done"][chunk.key] = {
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 1),
            "models": built,
        }
        save_state(state_file, state)
        ran += 1
        print(f"{label}: OK in {duration(seconds)} ({plural(built, 'model')})", file=out,
              flush=True)
    print(f"Summary: {len(plan.chunks)} chunks, {ran} run, {skipped} skipped (done before), "
          f"0 failed, in {duration(time.monotonic() - started)}. "
          f"State: {display_path(state_file)}", file=out)
    return EXIT_OK


# --------------------------------------------------------------------------- CLI


def chunk_days_type(value: str) -> int:
    try:
        days = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of days: {value!r}") from None
    if not 1 <= days <= MAX_CHUNK_DAYS:
        raise argparse.ArgumentTypeError(
            f"must be between 1 and {MAX_CHUNK_DAYS} (Athena writes at most "
            f"{MAX_CHUNK_DAYS} partitions a query), not {days}")
    return days


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.backfill_models",
        description="Rebuild the incremental dbt models over a range of days, in chunks, "
                    "resumably (finished chunks are recorded and skipped on rerun). Models "
                    "partitioned by delivery day (staging) are backfilled over the whole range "
                    "before the models partitioned by event day.",
        epilog="Exit status: 0 success, 1 dbt failure (rerun to resume), 2 invalid input. "
               "Example: python -m vpc_flow_logs.backfill_models --start 2024-06-01 "
               "--end 2024-06-30 --vars '{flow_logs_root: ./logs}'")
    parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD (inclusive)")
    parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD (INCLUSIVE)")
    parser.add_argument("--chunk-days", type=chunk_days_type, default=DEFAULT_CHUNK_DAYS,
                        help=f"days per dbt run, 1..{MAX_CHUNK_DAYS} (default "
                             f"{DEFAULT_CHUNK_DAYS}; Athena writes at most {MAX_CHUNK_DAYS} "
                             "partitions a query)")
    parser.add_argument("--select", default=DEFAULT_SELECT,
                        help=f"dbt selection; only its incremental models are backfilled "
                             f"(default: {DEFAULT_SELECT})")
    parser.add_argument("--target", help="dbt target (default: the profile's default target)")
    parser.add_argument("--vars", help="extra dbt vars, a YAML/JSON mapping, merged with the "
                                       "window vars (e.g. '{flow_logs_root: ./logs}')")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the plan and each chunk's dbt command; run nothing")
    parser.add_argument("--state-file", type=Path,
                        help="where finished chunks are recorded (default: "
                             "target/backfill_state/<hash of the backfill>.json)")
    parser.add_argument("--restart", action="store_true",
                        help="ignore the recorded chunks and run every chunk again")
    parser.add_argument("--no-prepare", dest="prepare", action="store_false",
                        help="do not build the non-incremental models the selection reads "
                             "(views) before the first chunk")
    parser.add_argument("--reparse", action="store_true",
                        help="parse the dbt project for every chunk instead of once")
    parser.add_argument("--dbt-output", action="store_true",
                        help="show dbt's own log lines (default: only its errors)")
    parser.add_argument("--project-dir", default=str(PROJECT_DIR),
                        help="dbt project directory (default: this repository)")
    return parser


def validate(args: argparse.Namespace) -> None:
    args.start_day = parse_date(args.start, "--start")
    args.end_day = parse_date(args.end, "--end")
    if args.start_day > args.end_day:
        raise InvalidInput(f"--start {args.start} is after --end {args.end} (both inclusive).")
    args.user_vars = parse_vars(args.vars)
    if not (Path(args.project_dir) / "dbt_project.yml").is_file():
        raise InvalidInput(f"--project-dir {args.project_dir} has no dbt_project.yml.")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    out = sys.stdout
    try:
        validate(args)
        dbt = Dbt(args)
        manifest, common = dbt.load()
        plan = build_plan(args, manifest, dbt.select(args.select, common))
        ident = identity(args, plan)
        state_file = args.state_file or default_state_file(args, ident)
        state = load_state(state_file, ident, args.restart)
    except InvalidInput as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    except DbtFailure as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED
    print_plan(plan, dbt, args, state_file, state["done"], out)
    if args.dry_run:
        print("Dry run: nothing was run.", file=out)
        return EXIT_OK
    if manifest.metadata.adapter_type == "athena":
        from vpc_flow_logs.aws import AwsSetupError, make_session, require_credentials

        try:  # one line now, rather than the same dbt error in every chunk
            require_credentials(make_session(region=os.environ.get("AWS_REGION", "us-east-1")))
        except AwsSetupError as error:
            print(f"error: {error}", file=sys.stderr)
            return EXIT_INVALID
    return execute(plan, dbt, args, state_file, state, out)


if __name__ == "__main__":
    sys.exit(main())
