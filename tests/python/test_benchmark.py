"""`make bench` works: a small benchmark run writes every figure, all present and positive.

No timing is asserted: the figures depend on the machine. The run uses its own dataset,
databases and output under tmp_path, independent of the other tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.python.dbt_runner import REPO
from vpc_flow_logs.benchmark.cli import main
from vpc_flow_logs.benchmark.cost import ATHENA_MIN_BYTES, MB, athena_billed_bytes

MEASUREMENTS = ("floor_duckdb", "floor_duckdb_latin1", "floor_gzip", "dbt_startup",
                "full_build", "floor_day_duckdb", "incremental_day", "pandas_baseline")
RATIOS = ("build_over_floor", "build_over_gzip_floor", "incremental_over_daily_share",
          "incremental_over_day_floor", "baseline_over_build")
MARTS = ("fct_rejects_by_source", "fct_bytes_per_ip", "fct_ssh_rdp_activity",
         "fct_https_traffic_by_destination", "fct_metric_alarms", "fct_port_scans",
         "fct_flow_log_coverage", "fct_nacl_asymmetric_flows", "fct_traffic_daily")


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """One small benchmark run, as `make bench` runs it, with everything under tmp."""
    base = tmp_path_factory.mktemp("bench")
    output = base / "out" / "benchmark.json"
    process = subprocess.run(
        [sys.executable, "-m", "vpc_flow_logs.benchmark", "--records", "100000", "--days", "2",
         "--repeat", "1", "--output", str(output), "--data-dir", str(base / "data"),
         "--work-dir", str(base / "work")],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=600)
    assert process.returncode == 0, process.stdout[-4000:] + process.stderr[-4000:]
    assert not (base / "work" / "100000_2").exists(), "work files are removed without --keep"
    return json.loads(output.read_text()), process.stdout


def positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_every_measurement_is_present_and_positive(small_run: tuple[dict, str]) -> None:
    result, _ = small_run
    for name in MEASUREMENTS:
        item = result["measurements"][name]
        assert positive(item["seconds"]), name
        assert positive(item["cpu_seconds"]), name
        assert positive(item["peak_rss_bytes"]), name
        assert len(item["runs_seconds"]) == 1, name
        if name != "dbt_startup":
            assert positive(item["records"]), name
            assert positive(item["records_per_second"]), name
    for name in RATIOS:
        assert positive(result["ratios"][name]), name
    for name, target in result["targets"].items():
        assert isinstance(target["met"], bool), name


def test_the_floor_reads_every_line_of_the_dataset(small_run: tuple[dict, str]) -> None:
    result, _ = small_run
    dataset = result["dataset"]
    assert dataset["records"] >= 90_000
    assert positive(dataset["gzip_bytes"]) and positive(dataset["files"])
    assert result["measurements"]["floor_duckdb"]["lines_counted"] == dataset["lines"]
    assert result["measurements"]["floor_duckdb_latin1"]["lines_counted"] == dataset["lines"]
    assert result["measurements"]["floor_gzip"]["lines_counted"] == dataset["lines"]
    rows = result["measurements"]["pandas_baseline"]["result_rows"]
    assert all(positive(rows[key]) for key in
               ("records", "rejects_by_source", "bytes_per_ip", "ssh_rdp_activity"))


def test_dbt_timings_come_from_both_builds(small_run: tuple[dict, str]) -> None:
    result, _ = small_run
    for build in ("full_build", "incremental_day"):
        timing = result["dbt_timing"][build]
        assert positive(timing["elapsed_seconds"])
        assert positive(timing["by_resource_type"]["model"]["seconds"])
        assert timing["slowest"]


def test_athena_cost_model_covers_raw_partitions_and_parquet_columns(
        small_run: tuple[dict, str]) -> None:
    result, _ = small_run
    athena = result["athena_cost"]
    nodes = {node["name"]: node for node in athena["nodes"] if node["kind"] == "model"}
    base = nodes["base_vpc_flow_logs__lines"]["scans"][0]
    assert base["format"] == "gzip text" and positive(base["bytes"])
    assert positive(base["partitions_read"]) and base["windowed"]
    for mart in MARTS:
        scans = nodes[mart]["scans"]
        parquet = [scan for scan in scans if scan["format"] == "parquet"]
        assert parquet, mart
        assert all(scan["columns"] and positive(scan["bytes"]) for scan in parquet), mart
        assert "int_flows_enriched" in parquet[0]["table"]
        assert nodes[mart]["billed_bytes"] >= ATHENA_MIN_BYTES
    for scenario in ("dataset", "scaled"):
        block = athena[scenario]
        for key in ("models", "data_tests", "window_lookups", "naive"):
            assert positive(block[key]["billed_bytes"]), (scenario, key)
            assert positive(block[key]["usd"]), (scenario, key)
        assert positive(block["incremental_build_usd"])
        assert positive(block["naive_over_incremental_models"])


def test_the_table_is_printed(small_run: tuple[dict, str]) -> None:
    _, stdout = small_run
    for text in ("floor: DuckDB", "full build", "incremental day", "pandas baseline",
                 "records/s", "peak RSS", "full build / floor", "Athena", "naive"):
        assert text in stdout, text


def test_athena_billing_rounds_up_to_the_megabyte_with_a_10_mb_minimum() -> None:
    assert athena_billed_bytes(0) == 10 * MB
    assert athena_billed_bytes(10 * MB + 1) == 11 * MB
    assert athena_billed_bytes(25 * MB) == 25 * MB


def test_help_and_invalid_arguments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    assert "--records" in help_text and "--compare-formats" in help_text
    with pytest.raises(SystemExit) as exit_info:
        main(["--repeat", "0", "--output", str(tmp_path / "x.json")])
    assert exit_info.value.code == 2


def test_parquet_scan_counts_the_compressed_column_chunks(tmp_path: Path) -> None:
    """What Athena bills for Parquet: the compressed chunks of the columns read, never
    the footers; the marts' columns are a part of every column. The chunk sizes are
    read back here with DuckDB's parquet_metadata, one file at a time."""
    import duckdb

    from vpc_flow_logs.benchmark.formats import MART_COLUMNS, parquet_scan_bytes
    from vpc_flow_logs.generate_sample_logs.formats import FORMATS, write_parquet

    fields = FORMATS["v3"]
    line = ("3 111122223333 eni-0a1 10.0.0.1 10.0.0.2 443 50000 6 3 300 1718000000 1718000030 "
            "ACCEPT OK vpc-1 subnet-1 i-1 19 IPv4 10.0.0.1 10.0.0.2")
    files = []
    for number in range(2):
        path = tmp_path / f"object{number}.log.parquet"
        write_parquet(path, fields, [line] * (50 + number) + [line.replace("443", "-")])
        files.append(path)
    scan = parquet_scan_bytes(files)
    expected = {"all": 0, "marts": 0}
    with duckdb.connect() as connection:
        for path in files:
            for column, size in connection.execute(
                    "select path_in_schema, total_compressed_size from parquet_metadata(?)",
                    [str(path)]).fetchall():
                expected["all"] += size
                expected["marts"] += size if column in MART_COLUMNS else 0
    assert scan == {"all_columns": expected["all"], "mart_columns": expected["marts"],
                    "file_bytes": sum(path.stat().st_size for path in files)}
    assert 0 < scan["mart_columns"] < scan["all_columns"] < scan["file_bytes"]
