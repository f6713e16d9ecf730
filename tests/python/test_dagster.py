"""The Dagster definitions load, and a daily partition builds exactly that day.

Skipped unless the optional extra is installed
(`pip install --no-deps -r requirements-orchestration.lock`).
Every expected row is computed in plain Python from the generated files
(tests/python/expected_marts.py), never by the models.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

dg = pytest.importorskip("dagster")
pytest.importorskip("dagster_dbt")

from orchestration import definitions as orchestration  # noqa: E402
from tests.python import expected_marts as expected  # noqa: E402
from tests.python.dbt_runner import REPO, query  # noqa: E402
from tests.python.reference import read_records, start_time  # noqa: E402
from vpc_flow_logs.generate_sample_logs import SCENARIOS, generate  # noqa: E402

FIRST_DAY = date(2024, 6, 1)
LAST_DAY = date(2024, 6, 2)

# Each mart: its columns in the order expected_marts builds its tuples, and the
# position of the day the row belongs to (a date, or a timestamp whose date it is).
MARTS: dict[str, tuple[str, int, Callable[[expected.Flows], set[tuple]]]] = {
    "fct_rejects_by_source": (
        "event_date, account_id, srcaddr, rejected_flows, rejected_packets, rejected_bytes,"
        " distinct_dst_addrs, distinct_dst_ports, first_seen_at, last_seen_at",
        0, expected.rejects_by_source),
    "fct_bytes_per_ip": (
        "event_date, account_id, ip, bytes_sent, bytes_received, total_bytes, packets_sent,"
        " packets_received, flows_as_source, flows_as_destination", 0, expected.bytes_per_ip),
    "fct_ssh_rdp_activity": (
        "event_date, account_id, interface_id, srcaddr, dstaddr, service_port, is_response,"
        " action, service, flows, packets, bytes, first_seen_at, last_seen_at,"
        " is_trusted_source", 0, expected.ssh_rdp_activity),
    "fct_https_traffic_by_destination": (
        "event_date, account_id, dstaddr, flows, packets, bytes, distinct_sources",
        0, expected.https_by_destination),
    "fct_metric_alarms": (
        "filter_name, period_start, account_id, matched_records, threshold, in_alarm",
        1, expected.metric_alarms),
    "fct_port_scans": (
        "window_start, account_id, srcaddr, distinct_dst_ports, distinct_dst_addrs, flows,"
        " rejected_flows, scan_type", 0, expected.port_scans),
    "fct_flow_log_coverage": (
        "event_date, account_id, interface_id, ok_records, nodata_records, skipdata_records,"
        " total_records", 0, expected.flow_log_coverage),
    "fct_nacl_asymmetric_flows": (
        "event_date, account_id, interface_id, client_addr, server_addr, protocol,"
        " server_port, distinct_server_ports, connections, accepted_request_flows,"
        " rejected_response_flows", 0, expected.nacl_asymmetric_flows),
    "fct_traffic_daily": (
        "event_date, account_id, region, interface_id, action, protocol, flow_direction,"
        " flows, packets, bytes", 0, expected.traffic_daily),
}


@dataclass(frozen=True)
class Orchestrated:
    root: Path
    database: Path
    settings: orchestration.Settings
    definitions: dg.Definitions
    instance: dg.DagsterInstance


def day_of(value: object) -> date:
    return value.date() if isinstance(value, datetime) else value


def mart_rows(database: Path, mart: str) -> set[tuple]:
    columns = MARTS[mart][0]
    return {tuple(int(v) if isinstance(v, Decimal) else v for v in row)
            for row in query(database, f"select {columns} from main_marts.{mart}")}


def expected_rows(flows: expected.Flows, mart: str, days: set[date]) -> set[tuple]:
    _, day_position, compute = MARTS[mart]
    return {row for row in compute(flows) if day_of(row[day_position]) in days}


@pytest.fixture(scope="module")
def orchestrated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Orchestrated]:
    """Two days of flow logs, the definitions loaded for them, seeds loaded."""
    base = tmp_path_factory.mktemp("dagster")
    root = base / "logs"
    generate(root, start_date=FIRST_DAY, days=2, records=3000, seed=23, late_fraction=0.05)
    database = base / "dagster.duckdb"
    env = {
        "DBT_DUCKDB_PATH": str(database),
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_TARGET_PATH": str(base / "dbt-target"),
        "DBT_LOG_PATH": str(base / "dbt-logs"),
        "VPC_FLOW_LOGS_ROOT": str(root),
        "VPC_FLOW_LOGS_START_DATE": FIRST_DAY.isoformat(),
        "VPC_FLOW_LOGS_SCHEDULE_LOOKBACK_DAYS": "2",
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.delenv("DAGSTER_IS_DEV_CLI", raising=False)
        settings = orchestration.Settings.from_env()
        definitions = orchestration.build_definitions(settings)
        instance = dg.DagsterInstance.ephemeral()
        seeded = definitions.resolve_job_def("vpc_flow_logs_reference_data").execute_in_process(
            instance=instance)
        assert seeded.success
        yield Orchestrated(root, database, settings, definitions, instance)


@pytest.fixture(scope="module")
def flows(orchestrated: Orchestrated) -> expected.Flows:
    return expected.Flows(orchestrated.root)


def test_settings_map_a_window_to_the_project_vars(orchestrated: Orchestrated) -> None:
    settings = orchestrated.settings
    assert settings.start_date == FIRST_DAY
    assert settings.manifest_dir == orchestrated.root.parent / "dbt-target"
    assert (settings.manifest_dir / "manifest.json").exists()  # `dbt parse` at load
    assert settings.window_vars(LAST_DAY, date(2024, 6, 3)) == {
        "flow_logs_root": str(orchestrated.root),
        "backfill_start_date": "2024-06-02",
        "backfill_end_date": "2024-06-03",
    }
    assert orchestration.window_command(settings, FIRST_DAY, LAST_DAY) == [
        "dbt", "build", "--selector", "daily_partitioned", "--vars", json.dumps({
            "flow_logs_root": str(orchestrated.root),
            "backfill_start_date": "2024-06-01", "backfill_end_date": "2024-06-03"})]
    with pytest.raises(orchestration.SettingsError, match="must not set backfill_start_date"):
        orchestration.parse_extra_vars('{"backfill_start_date": "2024-06-01"}')
    with pytest.raises(orchestration.SettingsError, match="YYYY-MM-DD"):
        orchestration.parse_day("2024/06/01", "VPC_FLOW_LOGS_START_DATE")


def test_definitions_load(orchestrated: Orchestrated) -> None:
    definitions = orchestrated.definitions
    dg.Definitions.validate_loadable(definitions)
    assert {job.name for job in definitions.jobs} == {
        "vpc_flow_logs_reference_data", "vpc_flow_logs_daily", "vpc_flow_logs_reconciliation"}
    manifest = json.loads((orchestrated.settings.manifest_dir / "manifest.json").read_text())
    models = {node["name"]: node["config"]["materialized"] for node in manifest["nodes"].values()
              if node["resource_type"] == "model" and node["package_name"] == "vpc_flow_logs"}
    daily = definitions.get_assets_def(dg.AssetKey(["marts", "fct_rejects_by_source"]))
    assert {key.path[-1] for key in daily.keys} == {
        name for name, materialized in models.items() if materialized in ("incremental", "view")}
    assert isinstance(daily.partitions_def, dg.DailyPartitionsDefinition)
    assert daily.partitions_def.get_first_partition_key() == "2024-06-01"
    reconciliation = definitions.get_assets_def(dg.AssetKey(["marts", "fct_file_reconciliation"]))
    assert reconciliation.partitions_def is None
    assert {key.path[-1] for key in reconciliation.keys} == {
        name for name, materialized in models.items() if materialized == "table"}


def test_reference_data_job_loaded_every_seed(orchestrated: Orchestrated) -> None:
    for csv_path in sorted((REPO / "seeds").glob("*.csv")):
        with csv_path.open(newline="") as handle:
            csv_rows = sum(1 for _ in csv.DictReader(handle))
        assert query(orchestrated.database,
                     f"select count(*) from main_reference.{csv_path.stem}") == [
                         (csv_rows,)], csv_path.stem


def test_daily_schedule_covers_yesterday_and_the_lookback_days(
        orchestrated: Orchestrated) -> None:
    repository = orchestrated.definitions.get_repository_def()
    schedule = repository.get_schedule_def("vpc_flow_logs_daily_schedule")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "vpc_flow_logs_daily"

    def requests_at(moment: datetime) -> list:
        context = dg.build_schedule_context(instance=orchestrated.instance,
                                            scheduled_execution_time=moment,
                                            repository_def=repository)
        return schedule.evaluate_tick(context).run_requests

    # 2024-06-05 02:00 UTC: yesterday (06-04) and the 2 lookback days before it.
    [request] = requests_at(datetime(2024, 6, 5, 2, 0, tzinfo=UTC))
    assert request.tags[orchestration.RANGE_START_TAG] == "2024-06-02"
    assert request.tags[orchestration.RANGE_END_TAG] == "2024-06-04"
    # Never before the first partition: on 06-02 only 06-01 exists; on 06-01, none.
    [request] = requests_at(datetime(2024, 6, 2, 2, 0, tzinfo=UTC))
    assert request.partition_key == "2024-06-01"
    assert requests_at(datetime(2024, 6, 1, 2, 0, tzinfo=UTC)) == []


def test_one_partition_builds_exactly_that_day(
        orchestrated: Orchestrated, flows: expected.Flows) -> None:
    job = orchestrated.definitions.resolve_job_def("vpc_flow_logs_daily")
    result = job.execute_in_process(partition_key=LAST_DAY.isoformat(),
                                    instance=orchestrated.instance)
    assert result.success
    materialized = {event.asset_key.path[-1]: event.partition
                    for event in result.get_asset_materialization_events()
                    for event in [event.event_specific_data.materialization]}
    assert set(materialized.values()) == {"2024-06-02"}
    assert "fct_rejects_by_source" in materialized and "base_vpc_flow_logs__lines" in materialized

    database = orchestrated.database
    # Only the files delivered that day were parsed; only that event day is in the marts.
    assert query(database, "select distinct delivery_date from "
                 "main_staging.base_vpc_flow_logs__lines") == [(LAST_DAY,)]
    assert query(database, "select distinct event_date from "
                 "main_intermediate.int_flows_enriched") == [(LAST_DAY,)]
    for mart in MARTS:
        assert mart_rows(database, mart) == expected_rows(flows, mart, {LAST_DAY}), mart
    # The planted port scans happen on the last day: the partition found both.
    scans = mart_rows(database, "fct_port_scans")
    assert {row[2] for row in scans} == {SCENARIOS["vertical_port_scan"]["srcaddr"],
                                         SCENARIOS["horizontal_port_scan"]["srcaddr"]}

    # A successful daily run makes the sensor request the reconciliation, once per run.
    repository = orchestrated.definitions.get_repository_def()
    sensor = repository.get_sensor_def("vpc_flow_logs_reconcile_after_daily")
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=result.get_run_success_event(),
        dagster_instance=orchestrated.instance, dagster_run=result.dagster_run,
        repository_def=repository)
    request = sensor(context)
    assert request.run_key == result.run_id
    assert request.job_name in (None, "vpc_flow_logs_reconciliation")
    assert sensor.job_name == "vpc_flow_logs_reconciliation"


def test_a_range_of_partitions_runs_as_one_window(
        orchestrated: Orchestrated, flows: expected.Flows) -> None:
    """What the schedule and Dagster backfills launch: days 1-2 in one dbt build."""
    job = orchestrated.definitions.resolve_job_def("vpc_flow_logs_daily")
    result = job.execute_in_process(
        instance=orchestrated.instance,
        tags={orchestration.RANGE_START_TAG: FIRST_DAY.isoformat(),
              orchestration.RANGE_END_TAG: LAST_DAY.isoformat()})
    assert result.success
    partitions = {event.event_specific_data.materialization.partition
                  for event in result.get_asset_materialization_events()}
    assert partitions == {"2024-06-01", "2024-06-02"}
    database = orchestrated.database
    assert query(database, "select distinct delivery_date from main_staging."
                 "base_vpc_flow_logs__lines order by 1") == [(FIRST_DAY,), (LAST_DAY,)]
    # Records of day 1 delivered late, in day 2's files, are staged and in day 1's marts.
    late = sum(1 for record in read_records(orchestrated.root)
               if record.reason is None and record.delivery_date == LAST_DAY
               and (start := start_time(record)) is not None and start.date() == FIRST_DAY)
    assert late > 0
    assert query(database, "select count(*) from main_staging.stg_vpc_flow_logs where "
                 "event_date = date '2024-06-01' and delivery_date = date '2024-06-02'") == [
                     (late,)]
    for mart in MARTS:
        assert mart_rows(database, mart) == expected_rows(flows, mart, {FIRST_DAY, LAST_DAY}), mart
