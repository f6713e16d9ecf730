"""The model backfill on DuckDB: chunks equal a full refresh, and a killed run resumes.

The backfill runs as its real CLI, in a subprocess (`python -m vpc_flow_logs.backfill_models`),
so the kill test interrupts it the way an orchestrator or a lost machine would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.python.dbt_runner import REPO, run_dbt, snapshot
from vpc_flow_logs.backfill_models import main
from vpc_flow_logs.generate_sample_logs import generate

FIRST, LAST = date(2024, 6, 1), date(2024, 6, 5)  # 5 days: 3 chunks of <= 2 days per phase
CHUNKS = 6  # 3 delivery_date chunks (staging), then 3 event_date chunks
BACKFILLED = sorted([
    "main_staging.base_vpc_flow_logs__lines", "main_staging.stg_vpc_flow_logs",
    "main_intermediate.int_flows_enriched",
    *(f"main_marts.{name}" for name in (
        "fct_bytes_per_ip", "fct_flow_log_coverage", "fct_https_traffic_by_destination",
        "fct_metric_alarms", "fct_nacl_asymmetric_flows", "fct_port_scans",
        "fct_rejects_by_source", "fct_ssh_rdp_activity", "fct_traffic_daily",
        "fct_transit_gateway_packets_lost",
        "fct_security_findings", "fct_detection_port_scans",
        "fct_detection_ssh_rdp_brute_force", "fct_detection_exposed_services",
        "fct_detection_egress_volume_anomalies", "fct_detection_unusual_ip_protocols",
        "fct_detection_threat_intel_matches", "fct_detection_metric_alarms",
        "fct_detection_skipdata", "ocsf_network_activity")),
])
NO_TRACKING = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}

@dataclass(frozen=True)
class Sample:
    root: Path
    seeded: Path  # a DuckDB file with the seeds loaded, copied for each build
    reference: dict[str, Counter]  # `dbt run --full-refresh` of the same files
    vars: dict


def dbt_env(database: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO),
        "DBT_DUCKDB_PATH": str(database),
        "DBT_TARGET_PATH": str(database.with_suffix(".target")),
        "DBT_LOG_PATH": str(database.with_suffix(".logs")),
        **NO_TRACKING,
    }


def backfill_command(sample: Sample, state_file: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "vpc_flow_logs.backfill_models", "--start", FIRST.isoformat(),
            "--end", LAST.isoformat(), "--chunk-days", "2", "--vars", json.dumps(sample.vars),
            "--state-file", str(state_file), *extra]


def backfill(sample: Sample, database: Path, state_file: Path,
             *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(backfill_command(sample, state_file, *extra), cwd=REPO,
                          env=dbt_env(database), capture_output=True, text=True, check=False,
                          timeout=300)


def assert_equals_reference(sample: Sample, database: Path) -> None:
    """Every table the backfill wrote (and the view it needed) equals the full refresh.

    The other non-incremental models (stg_vpc_flow_logs__malformed/__files views,
    fct_file_reconciliation) are not the backfill's business: they read the tables compared
    here, and building them would only add a dbt run to the test.
    """
    built = snapshot(database)
    assert sorted(built) == BACKFILLED
    for relation in BACKFILLED:
        assert built[relation] == sample.reference[relation], relation


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    base = tmp_path_factory.mktemp("backfill")
    root = base / "logs"
    summary = generate(root, start_date=FIRST, days=(LAST - FIRST).days + 1, records=3000,
                       seed=17, late_fraction=0.05)
    # Late deliveries cross chunk boundaries: an event day's records are staged by the next
    # chunk's delivery days, which is why staging is backfilled before the event-day models.
    assert summary.late_records > 0
    dbt_vars = {"flow_logs_root": str(root)}
    seeded = base / "seeded.duckdb"
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=seeded, env=NO_TRACKING)
    full = base / "full.duckdb"
    shutil.copy(seeded, full)
    run_dbt(["run", "--full-refresh"], vars=dbt_vars, duckdb_path=full, env=NO_TRACKING)
    return Sample(root=root, seeded=seeded, reference=snapshot(full), vars=dbt_vars)


def test_backfill_in_chunks_equals_full_refresh(sample: Sample, tmp_path: Path) -> None:
    database = tmp_path / "backfill.duckdb"
    shutil.copy(sample.seeded, database)
    state_file = tmp_path / "state.json"

    dry = backfill(sample, database, state_file, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert dry.stdout.count("    dbt run --select ") == CHUNKS
    assert "chunk 4/6 event_date 2024-06-01..2024-06-02" in dry.stdout
    assert not state_file.exists()
    assert snapshot(database) == {}, "a dry run builds nothing"

    process = backfill(sample, database, state_file)
    assert process.returncode == 0, process.stdout + process.stderr
    finished = re.findall(r"^chunk (\d)/6 (\w+) (\S+): OK in ", process.stdout, re.MULTILINE)
    assert finished == [
        ("1", "delivery_date", "2024-06-01..2024-06-02"),
        ("2", "delivery_date", "2024-06-03..2024-06-04"),
        ("3", "delivery_date", "2024-06-05..2024-06-05"),
        ("4", "event_date", "2024-06-01..2024-06-02"),
        ("5", "event_date", "2024-06-03..2024-06-04"),
        ("6", "event_date", "2024-06-05..2024-06-05"),
    ]
    assert "Summary: 6 chunks, 6 run, 0 skipped" in process.stdout
    assert_equals_reference(sample, database)


def test_killed_backfill_resumes_without_redoing_chunks(sample: Sample, tmp_path: Path) -> None:
    database = tmp_path / "killed.duckdb"
    shutil.copy(sample.seeded, database)
    state_file = tmp_path / "state.json"
    log = tmp_path / "first_run.log"

    with log.open("w") as output:
        process = subprocess.Popen(backfill_command(sample, state_file), cwd=REPO,
                                   env=dbt_env(database), stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 90
            while not (state_file.exists() and json.loads(state_file.read_text())["done"]):
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "no chunk finished in 90 s"
                time.sleep(0.05)
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # the backfill and anything it started
            process.wait()
    first_run = json.loads(state_file.read_text())["done"]
    assert list(first_run) == ["delivery_date:2024-06-01..2024-06-02"], log.read_text()

    resumed = backfill(sample, database, state_file)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "skipping chunk 1/6 delivery_date 2024-06-01..2024-06-02 (done)" in resumed.stdout
    assert "chunk 1/6 delivery_date 2024-06-01..2024-06-02: running" not in resumed.stdout
    assert len(re.findall(r"^chunk \d/6 .*: OK in ", resumed.stdout, re.MULTILINE)) == 5
    assert "Summary: 6 chunks, 5 run, 1 skipped (done before), 0 failed" in resumed.stdout
    done = json.loads(state_file.read_text())["done"]
    assert len(done) == CHUNKS
    chunk_1 = "delivery_date:2024-06-01..2024-06-02"
    assert done[chunk_1] == first_run[chunk_1], "chunk 1 was not run again"
    assert_equals_reference(sample, database)


@pytest.mark.parametrize("argv", [
    ["--start", "2024-06-05", "--end", "2024-06-01"],
    ["--start", "2024-02-30", "--end", "2024-03-01"],
    ["--start", "2024-6-1", "--end", "2024-06-02"],
    ["--start", "2024-06-01", "--end", "2024-06-02", "--vars", "{backfill_start_date: x}"],
    ["--start", "2024-06-01", "--end", "2024-06-02", "--vars", "[1, 2]"],
    ["--start", "2024-06-01", "--end", "2024-06-02", "--project-dir", "/nonexistent"],
])
def test_invalid_input_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("error: ")


@pytest.mark.parametrize("days", ["0", "101", "ten"])
def test_chunk_days_must_be_1_to_100(days: str) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--start", "2024-06-01", "--end", "2024-06-02", "--chunk-days", days])
    assert exit_info.value.code == 2
