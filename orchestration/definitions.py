"""Dagster definitions: the dbt project as daily-partitioned assets, with a schedule.

A Dagster partition is one UTC day. Materializing a range of partitions (one day,
a scheduled run, or a backfill launched from Dagster) runs ONE ``dbt build`` of
the ``daily_partitioned`` selector (selectors.yml) with the project's window vars::

    backfill_start_date = first day of the range       (inclusive)
    backfill_end_date   = day after the last day        (exclusive)

so the raw files delivered on those days are re-parsed and the marts of those
event days are overwritten, on DuckDB and on Athena alike.

Assets and jobs
    vpc_flow_logs_reference_data  seeds (selector ``reference_data``), unpartitioned
    vpc_flow_logs_daily           every day-partitioned model and its tests
    vpc_flow_logs_reconciliation  fct_file_reconciliation (selector ``whole_history``),
                                  unpartitioned, requested after each successful daily run
Schedules
    vpc_flow_logs_daily_schedule           02:00 UTC: yesterday and the ``lookback``
                                           days before it, in one run (late records)
    vpc_flow_logs_reference_data_schedule  01:30 UTC: reload the seeds

Settings (environment variables, read when Dagster loads the definitions)
    VPC_FLOW_LOGS_ROOT                     var flow_logs_root (folder or s3:// prefix
                                           containing AWSLogs/); project default if unset
    VPC_FLOW_LOGS_DBT_VARS                 other dbt vars, a JSON object (e.g.
                                           flow_log_fields, flow_logs_accounts)
    VPC_FLOW_LOGS_START_DATE               first partition (default: var flow_logs_start_date)
    VPC_FLOW_LOGS_SCHEDULE_LOOKBACK_DAYS   earlier days each scheduled run rebuilds
                                           (default: 2)
    VPC_FLOW_LOGS_MANIFEST_DIR             where ``dbt parse`` writes the manifest Dagster
                                           reads (default: $DBT_TARGET_PATH, else target)
    VPC_FLOW_LOGS_DBT_PROJECT_DIR          the dbt project (default: this repository)
    DBT_PROFILES_DIR, DBT_TARGET, DBT_DUCKDB_PATH, ATHENA_*   as for dbt itself

One dbt invocation runs at a time (pool ``vpc_flow_logs_dbt`` and the run tag
``vpc_flow_logs/dbt``, limited in orchestration/dagster.yaml).

Usage (install: pip install --no-deps -r requirements-orchestration.lock)
    dagster-daemon run -m orchestration.definitions   # schedules and sensor
    dagster dev -m orchestration.definitions          # UI + daemon (needs dagster-webserver)
    python -m orchestration.definitions               # what is defined, as text
    python -m orchestration.definitions --days 2024-06-01 2024-06-03
                                                      # the dbt command for those days
"""

import argparse
import json
import os
import shlex
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import yaml
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from vpc_flow_logs.common import InvalidInput, parse_date

REPO = Path(__file__).resolve().parents[1]
DAILY_SELECTOR = "daily_partitioned"
REFERENCE_SELECTOR = "reference_data"
WHOLE_HISTORY_SELECTOR = "whole_history"
# One dbt invocation at a time (a DuckDB file has a single writer; on Athena two dbt runs
# of the same model would share its temporary tables). Every dbt op is in this pool,
# however its run was launched (job backfills launch one run per partition); runs
# launched by the jobs, schedules and sensor also carry the tag, which
# orchestration/dagster.yaml limits to one run at a time so they start in order.
POOL = "vpc_flow_logs_dbt"
CONCURRENCY_TAG = "vpc_flow_logs/dbt"
# Dagster's run tags for a run over a range of partitions (as its single-run backfills
# set them); a scheduled run covers yesterday and the lookback days before it.
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
WINDOW_VARS = ("backfill_start_date", "backfill_end_date")
# Earlier days each scheduled partition run rebuilds with yesterday (late records).
DEFAULT_SCHEDULE_LOOKBACK_DAYS = 2


class SettingsError(ValueError):
    """A setting (environment variable) is invalid; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    """Where the dbt project is and how partitions map to its vars."""

    project_dir: Path
    profiles_dir: Path
    manifest_dir: Path
    start_date: date
    schedule_lookback_days: int
    flow_logs_root: str | None = None
    extra_vars: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """Settings from environment variables, defaults from dbt_project.yml."""
        env = os.environ if environ is None else environ
        project_dir = Path(env.get("VPC_FLOW_LOGS_DBT_PROJECT_DIR") or REPO).resolve()
        project_vars = dbt_project_vars(project_dir)
        profiles_dir = Path(env.get("DBT_PROFILES_DIR") or project_dir).resolve()
        if not (profiles_dir / "profiles.yml").exists():
            raise SettingsError(
                f"No profiles.yml in {profiles_dir}: copy profiles.example.yml to profiles.yml "
                "(`make install` does it) or set DBT_PROFILES_DIR.")
        manifest_dir = Path(env.get("VPC_FLOW_LOGS_MANIFEST_DIR")
                            or env.get("DBT_TARGET_PATH") or "target")
        if not manifest_dir.is_absolute():
            manifest_dir = project_dir / manifest_dir
        start_text = env.get("VPC_FLOW_LOGS_START_DATE") or str(
            project_vars.get("flow_logs_start_date"))
        lookback_text = env.get("VPC_FLOW_LOGS_SCHEDULE_LOOKBACK_DAYS") or str(
            DEFAULT_SCHEDULE_LOOKBACK_DAYS)
        return cls(
            project_dir=project_dir,
            profiles_dir=profiles_dir,
            manifest_dir=manifest_dir,
            start_date=parse_day(start_text, "VPC_FLOW_LOGS_START_DATE"),
            schedule_lookback_days=parse_days(lookback_text),
            flow_logs_root=env.get("VPC_FLOW_LOGS_ROOT") or None,
            extra_vars=parse_extra_vars(env.get("VPC_FLOW_LOGS_DBT_VARS", "")),
        )

    def base_vars(self) -> dict[str, Any]:
        """The dbt vars every run of this code location passes."""
        dbt_vars = dict(self.extra_vars)
        if self.flow_logs_root:
            dbt_vars["flow_logs_root"] = self.flow_logs_root
        return dbt_vars

    def window_vars(self, first_day: date, end_day: date) -> dict[str, Any]:
        """dbt vars rebuilding event days [first_day, end_day) (end exclusive)."""
        if end_day <= first_day:
            raise SettingsError(f"Empty window: {first_day} to {end_day} (end is exclusive).")
        return {
            **self.base_vars(),
            "backfill_start_date": first_day.isoformat(),
            "backfill_end_date": end_day.isoformat(),
        }


def dbt_project_vars(project_dir: Path) -> dict[str, Any]:
    """The `vars:` of dbt_project.yml (defaults of the project)."""
    path = project_dir / "dbt_project.yml"
    if not path.exists():
        raise SettingsError(f"{project_dir} is not a dbt project (no dbt_project.yml).")
    return dict(yaml.safe_load(path.read_text()).get("vars") or {})


def parse_day(text: str, name: str) -> date:
    try:
        return parse_date(text.strip(), name)
    except InvalidInput as error:
        raise SettingsError(str(error)) from None


def parse_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise SettingsError(
            f"VPC_FLOW_LOGS_SCHEDULE_LOOKBACK_DAYS must be an integer >= 0, not {text!r}.")
    return days


def parse_extra_vars(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise SettingsError(f"VPC_FLOW_LOGS_DBT_VARS is not valid JSON: {error}.") from None
    if not isinstance(value, dict):
        raise SettingsError("VPC_FLOW_LOGS_DBT_VARS must be a JSON object of dbt vars.")
    owned = sorted(set(value) & set(WINDOW_VARS))
    if owned:
        raise SettingsError(
            f"VPC_FLOW_LOGS_DBT_VARS must not set {', '.join(owned)}: partitions set them.")
    return value


def dbt_project(settings: Settings) -> DbtProject:
    return DbtProject(
        project_dir=settings.project_dir,
        target_path=settings.manifest_dir,
        profiles_dir=settings.profiles_dir,
    )


def dbt_executable() -> str:
    """The dbt next to this Python (a virtualenv need not be activated), else dbt on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


def dbt_resource(project: DbtProject) -> DbtCliResource:
    return DbtCliResource(project_dir=project, dbt_executable=dbt_executable())


def prepare_manifest(project: DbtProject, dbt_vars: Mapping[str, Any]) -> Path:
    """manifest.json for the definitions: `dbt parse` when missing, or always under `dagster dev`.

    Parsed with the vars of the unpartitioned runs, whose dbt invocations then start
    from this parse (dagster-dbt copies partial_parse.msgpack from DBT_TARGET_PATH).
    """
    if os.getenv("DAGSTER_IS_DEV_CLI") or not project.manifest_path.exists():
        args = ["parse", "--quiet"] + (["--vars", json.dumps(dict(dbt_vars))] if dbt_vars else [])
        dbt_resource(project).cli(args, target_path=project.target_path).wait()
    return project.manifest_path


class FlowLogsTranslator(DagsterDbtTranslator):
    """dbt resources to Dagster assets, grouped by layer (staging, intermediate, marts)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference_data"
        fqn = dbt_resource_props.get("fqn") or []
        return fqn[1] if len(fqn) > 2 else "vpc_flow_logs"


def daily_partitions(settings: Settings) -> dg.DailyPartitionsDefinition:
    """One partition per UTC day from the first day of data; the last is yesterday."""
    return dg.DailyPartitionsDefinition(
        start_date=settings.start_date.isoformat(), timezone="UTC")


def scheduled_days(scheduled_at: datetime, settings: Settings) -> tuple[date, date]:
    """First and last partition (inclusive) of the run scheduled at `scheduled_at`.

    The last is yesterday (UTC); first > last when no day is complete yet.
    """
    last = scheduled_at.astimezone(UTC).date() - timedelta(days=1)
    first = max(last - timedelta(days=settings.schedule_lookback_days), settings.start_date)
    return first, last


def window_command(settings: Settings, first_day: date, last_day: date) -> list[str]:
    """The dbt command a run over partitions [first_day, last_day] executes."""
    dbt_vars = settings.window_vars(first_day, last_day + timedelta(days=1))
    return ["dbt", "build", "--selector", DAILY_SELECTOR, "--vars", json.dumps(dbt_vars)]


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every asset, job, schedule and sensor of the project, for these settings."""
    project = dbt_project(settings)
    manifest = prepare_manifest(project, settings.base_vars())
    partitions = daily_partitions(settings)
    translator = FlowLogsTranslator()
    run_tags = {CONCURRENCY_TAG: "build"}

    @dbt_assets(manifest=manifest, selector=REFERENCE_SELECTOR,
                name="vpc_flow_logs_seeds", dagster_dbt_translator=translator, pool=POOL)
    def reference_data(context: AssetExecutionContext,
                       dbt: DbtCliResource) -> Iterator[Any]:
        """The seeds and their tests."""
        args = ["build", "--vars", json.dumps(settings.base_vars())]
        yield from dbt.cli(args, context=context).stream()

    @dbt_assets(manifest=manifest, selector=DAILY_SELECTOR, name="vpc_flow_logs_daily_models",
                partitions_def=partitions, backfill_policy=dg.BackfillPolicy.single_run(),
                dagster_dbt_translator=translator, pool=POOL)
    def daily_models(context: AssetExecutionContext,
                     dbt: DbtCliResource) -> Iterator[Any]:
        """One dbt build over the days of the run's partitions (one day or a range)."""
        window = context.partition_time_window
        dbt_vars = settings.window_vars(window.start.date(), window.end.date())
        context.log.info(
            f"dbt build of days {dbt_vars['backfill_start_date']} to "
            f"{dbt_vars['backfill_end_date']} (end exclusive)")
        yield from dbt.cli(["build", "--vars", json.dumps(dbt_vars)], context=context).stream()

    @dbt_assets(manifest=manifest, selector=WHOLE_HISTORY_SELECTOR,
                name="vpc_flow_logs_whole_history_models", dagster_dbt_translator=translator,
                pool=POOL)
    def whole_history(context: AssetExecutionContext,
                      dbt: DbtCliResource) -> Iterator[Any]:
        """Models rebuilt whole on every run (the file reconciliation) and their tests."""
        args = ["build", "--vars", json.dumps(settings.base_vars())]
        yield from dbt.cli(args, context=context).stream()

    reference_job = dg.define_asset_job(
        "vpc_flow_logs_reference_data", selection=dg.AssetSelection.assets(reference_data),
        description="Load the seeds (selector reference_data).", run_tags=run_tags)
    daily_job = dg.define_asset_job(
        "vpc_flow_logs_daily", selection=dg.AssetSelection.assets(daily_models),
        run_tags=run_tags,
        description="dbt build of the daily_partitioned selector for the run's days.")
    reconciliation_job = dg.define_asset_job(
        "vpc_flow_logs_reconciliation", selection=dg.AssetSelection.assets(whole_history),
        description="Rebuild fct_file_reconciliation (selector whole_history).",
        run_tags=run_tags)

    @dg.schedule(job=daily_job, cron_schedule="0 2 * * *", execution_timezone="UTC",
                 name="vpc_flow_logs_daily_schedule",
                 description="Yesterday and the lookback days before it, in one run.")
    def daily_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
        first, last = scheduled_days(context.scheduled_execution_time, settings)
        if first > last:
            return dg.SkipReason(f"No complete day since the first partition, {first}.")
        if first == last:
            return dg.RunRequest(partition_key=last.isoformat())
        return dg.RunRequest(tags={RANGE_START_TAG: first.isoformat(),
                                   RANGE_END_TAG: last.isoformat()})

    reference_schedule = dg.ScheduleDefinition(
        name="vpc_flow_logs_reference_data_schedule", job=reference_job,
        cron_schedule="30 1 * * *", execution_timezone="UTC",
        description="Reload the seeds before the daily run.")

    @dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[daily_job],
                          request_job=reconciliation_job,
                          name="vpc_flow_logs_reconcile_after_daily")
    def reconcile_after_daily(context: dg.RunStatusSensorContext) -> dg.RunRequest:
        return dg.RunRequest(run_key=context.dagster_run.run_id)

    return dg.Definitions(
        assets=[reference_data, daily_models, whole_history],
        jobs=[reference_job, daily_job, reconciliation_job],
        schedules=[daily_schedule, reference_schedule],
        sensors=[reconcile_after_daily],
        resources={"dbt": dbt_resource(project)},
    )


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev -m orchestration.definitions` loads."""
    return build_definitions(Settings.from_env())


def describe(definitions: dg.Definitions, settings: Settings) -> str:
    """A plain-text summary of the definitions."""
    lines = [f"dbt project   {settings.project_dir}",
             f"manifest      {settings.manifest_dir / 'manifest.json'}",
             f"partitions    daily (UTC) from {settings.start_date}",
             f"dbt vars      {json.dumps(settings.base_vars())}"]
    for assets_def in definitions.assets or []:
        keys = sorted(key.to_user_string() for key in assets_def.keys)
        lines.append(f"assets        {assets_def.node_def.name}: {len(keys)} ({', '.join(keys)})")
    lines += [f"job           {job.name}" for job in definitions.jobs or []]
    lines += [f"schedule      {item.name}: {item.cron_schedule} UTC"
              for item in definitions.schedules or []]
    lines += [f"sensor        {item.name}" for item in definitions.sensors or []]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orchestration.definitions",
        description="Show the Dagster definitions, or the dbt command a run of some days runs.")
    parser.add_argument("--days", nargs=2, metavar=("FIRST", "LAST"),
                        help="print the dbt command for partitions FIRST..LAST (inclusive)")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
        if args.days:
            first, last = (parse_day(text, "--days") for text in args.days)
            if last < first:
                raise SettingsError(f"--days: {last} is before {first}.")
            print(shlex.join(window_command(settings, first, last)))
            return 0
        print(describe(build_definitions(settings), settings))
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
