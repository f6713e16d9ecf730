"""The security report: rendered from the sample build, opened in headless Chromium.

The browser tests need Debian's `chromium` and `chromium-driver` (`make test`
installs them when missing, through .ci/ensure-chromium) and selenium; without them
they fail with a message saying so, they never skip.
The Athena backend is checked against a moto server over HTTP: moto does not run
SQL, so it is handed the rows DuckDB returns for the same queries, as Athena's API
would return them (strings, typed by the column metadata).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
import duckdb
import pytest
import sqlglot

from tests.python.dbt_runner import run_dbt
from tests.python.moto_server import REGION, moto_endpoint, moto_server  # noqa: F401
from tests.python.test_athena_compile import functions_called
from tests.python.trino_functions import TRINO_FUNCTIONS
from vpc_flow_logs.common import Relation, load_manifest, project_relations
from vpc_flow_logs.queries import REPORT, render
from vpc_flow_logs.report import (
    AthenaBackend,
    AthenaSettings,
    DuckDBBackend,
    collect,
    main,
    required_marts,
)

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,1600", "--hide-scrollbars",
)
# Installed before any script of the page runs (CDP Page.addScriptToEvaluateOnNewDocument).
ERROR_COLLECTOR = """
window.__reportErrors = [];
window.addEventListener("error", function (event) {
  var where = event.filename ? " (" + event.filename + ":" + event.lineno + ")" : "";
  window.__reportErrors.push(String(event.message || event.type) + where);
}, true);
window.addEventListener("unhandledrejection", function (event) {
  window.__reportErrors.push("unhandled rejection: " + String(event.reason));
});
(function () {
  var original = console.error;
  console.error = function () {
    window.__reportErrors.push("console.error: " + Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
})();
"""
# Per chart container: the plotly graph, its data traces and the marks drawn in its SVG
# (bars and markers are `.point`, lines `.js-line`) that have a visible size.
CHART_STATE = """
function visible(mark) {
  var box = mark.getBBox();
  return box.width > 0 || box.height > 0;
}
return Array.from(document.querySelectorAll(".chart")).map(function (chart) {
  var plot = chart.querySelector(".js-plotly-plot");
  var marks = plot ? Array.from(plot.querySelectorAll(
    ".main-svg .trace .point, .main-svg .trace .js-line")) : [];
  return {
    id: plot ? plot.id : null,
    traces: plot && plot.data ? plot.data.length : 0,
    svg: plot ? plot.querySelectorAll(".main-svg").length : 0,
    marks: marks.filter(visible).length
  };
});
"""
EXPECTED_CHARTS = {"chart-rejected-per-day", "chart-top-rejected-sources", "chart-top-talkers",
                   "chart-ssh-rdp", "chart-alarms"}
EXTERNAL_REFERENCE = re.compile(
    r"<(?:script|link|img|iframe|source|embed)\b[^>]*\b(?:src|href)\s*=\s*[\"']?\s*"
    r"(?:https?:)?//", re.IGNORECASE)


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium driven by selenium through Debian's chromedriver, offline."""
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.fail(
            "The report test needs headless Chromium: install Debian's packages with "
            "`apt-get install -y chromium chromium-driver` (`make test` does it when missing).",
            pytrace=False)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is not installed: `pip install -r requirements.lock`.",
                    pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_COLLECTOR})
        yield driver
    finally:
        driver.quit()


def open_report(driver: Any, html: Path) -> None:
    """Load the report and fail on any JavaScript error or non-local resource."""
    driver.get_log("browser")  # drop entries of earlier pages
    driver.get(html.resolve().as_uri())
    errors = driver.execute_script("return window.__reportErrors")
    severe = [entry["message"] for entry in driver.get_log("browser")
              if entry["level"] == "SEVERE"]
    assert errors == [], f"JavaScript errors: {errors}"
    assert severe == [], f"browser console errors: {severe}"
    resources = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    remote = [name for name in resources if not name.startswith(("file:", "data:", "blob:"))]
    assert remote == [], f"the report loaded resources from elsewhere: {remote}"


def wait_for_charts(driver: Any, expected: set[str]) -> list[dict[str, Any]]:
    """Chart states once every expected chart has drawn marks (or after 15 s)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    def drawn(current: Any) -> list[dict[str, Any]] | bool:
        state = current.execute_script(CHART_STATE)
        ready = {chart["id"] for chart in state if chart["marks"] > 0}
        return state if expected <= ready else False

    try:
        return WebDriverWait(driver, 15).until(drawn)
    except TimeoutException:
        return driver.execute_script(CHART_STATE)


def column_keys(driver: Any, table_id: str, index: int) -> list[str]:
    return driver.execute_script(
        "var table = arguments[0], index = arguments[1];"
        "return Array.from(document.querySelectorAll('#' + table + ' tbody tr'))"
        ".map(function (row) { return row.cells[index].getAttribute('data-sort'); });",
        table_id, index)


def click_header(driver: Any, table_id: str, label: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(
        By.XPATH, f"//table[@id='{table_id}']/thead//th[normalize-space()='{label}']").click()


def header_sort_state(driver: Any, table_id: str) -> dict[str, str]:
    """{header label: aria-sort} of the headers that show a sort order."""
    return driver.execute_script(
        "var state = {};"
        "document.querySelectorAll('#' + arguments[0] + ' th[aria-sort]').forEach("
        "function (th) { state[th.textContent.trim()] = th.getAttribute('aria-sort'); });"
        "return state;", table_id)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def assert_self_contained(html: str) -> None:
    assert EXTERNAL_REFERENCE.search(html) is None, EXTERNAL_REFERENCE.search(html)
    assert "<script src" not in html.lower()
    assert 'rel="stylesheet"' not in html.lower()


# --------------------------------------------------------------------------- tests


def sample_relations(sample_build: Any) -> dict[str, Relation]:
    return project_relations(load_manifest(sample_build.manifest))


def test_report_renders_and_works_in_chromium(sample_build: Any, tmp_path: Path,
                                              browser: Any) -> None:
    output = tmp_path / "security_report.html"
    assert main(["--database", str(sample_build.database), "--manifest",
                 str(sample_build.manifest), "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert_self_contained(html)
    assert "No findings" not in html  # the sample data plants every kind of finding

    open_report(browser, output)
    charts = wait_for_charts(browser, EXPECTED_CHARTS)
    assert {chart["id"] for chart in charts} == EXPECTED_CHARTS
    for chart in charts:
        assert chart["traces"] > 0 and chart["svg"] > 0, f"chart not drawn: {chart}"
        assert chart["marks"] > 0, f"chart drawn empty (no bars, points or lines): {chart}"

    table = "table-top-talkers"
    initial = [int(key) for key in column_keys(browser, table, 1)]
    assert len(initial) > 1 and initial == sorted(initial, reverse=True)
    click_header(browser, table, "Total bytes")
    ascending = [int(key) for key in column_keys(browser, table, 1)]
    assert ascending != initial and ascending == sorted(initial)
    click_header(browser, table, "Total bytes")
    assert [int(key) for key in column_keys(browser, table, 1)] == initial
    by_bytes = column_keys(browser, table, 0)
    click_header(browser, table, "IP")
    by_ip = column_keys(browser, table, 0)
    assert by_ip != by_bytes and sorted(by_ip) == sorted(by_bytes)
    assert header_sort_state(browser, table) == {"IP": "ascending"}

    screenshot = tmp_path / "report.png"
    assert browser.save_screenshot(str(screenshot))
    width, height = png_size(screenshot)
    assert width == 1280 and height > 1000
    assert screenshot.stat().st_size > 60_000, "the screenshot looks blank"


def marts_copy(sample_build: Any, database: Path, full: tuple[str, ...] = ()) -> None:
    """The sample build's marts, empty except those named in `full`."""
    relations = sample_relations(sample_build)
    with duckdb.connect(str(database)) as connection:
        connection.execute(f"attach '{sample_build.database}' as built (read_only)")
        for name in required_marts():
            relation = relations[name]
            limit = "" if name in full else " limit 0"
            connection.execute(f'create schema if not exists "{relation.schema}"')
            connection.execute(f"create table {relation} as select * from built.{relation}"
                               f"{limit}")


def test_empty_marts_say_no_data_never_no_findings(sample_build: Any, tmp_path: Path,
                                                   browser: Any) -> None:
    database = tmp_path / "empty.duckdb"
    marts_copy(sample_build, database)
    output = tmp_path / "empty.html"
    assert main(["--database", str(database), "--manifest", str(sample_build.manifest),
                 "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert "No findings" not in html
    assert html.count("No data: no flow log record was read.") == 9
    assert "NO DATA: the marts hold no flow log record" in html
    assert 'class="chart"' not in html and "<table" not in html
    open_report(browser, output)


def test_records_without_findings_say_no_findings(sample_build: Any, tmp_path: Path) -> None:
    database = tmp_path / "quiet.duckdb"
    marts_copy(sample_build, database, full=("fct_traffic_daily", "fct_flow_log_coverage"))
    output = tmp_path / "quiet.html"
    assert main(["--database", str(database), "--manifest", str(sample_build.manifest),
                 "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert "No findings" in html and "NO DATA" not in html and "No data" not in html


def test_missing_or_unbuilt_database_exits_2(sample_build: Any, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.duckdb"
    assert main(["--database", str(missing), "--output", str(tmp_path / "a.html")]) == 2
    error = capsys.readouterr().err.strip()
    assert error == f"error: {missing} does not exist; run `make demo` (or `dbt build`) first."

    unbuilt = tmp_path / "unbuilt.duckdb"
    duckdb.connect(str(unbuilt)).close()
    assert main(["--database", str(unbuilt), "--manifest", str(sample_build.manifest),
                 "--output", str(tmp_path / "b.html")]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (f'error: {unbuilt} has no marts (schema main_marts); run `make demo` '
                     "(or `dbt build`) first.")
    assert not (tmp_path / "a.html").exists() and not (tmp_path / "b.html").exists()


def test_missing_foreign_or_other_engine_manifest_exits_2(
        sample_build: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    database = ["--database", str(sample_build.database), "--output", str(tmp_path / "r.html")]
    missing = tmp_path / "target" / "manifest.json"
    assert main([*database, "--manifest", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {missing} does not exist; run dbt first")

    broken = tmp_path / "broken.json"
    broken.write_text('{"nodes": {"model.vpc_flow_logs.fct_traffic_daily": ')
    assert main([*database, "--manifest", str(broken)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {broken} is not a readable dbt manifest")

    # Another project's manifest: none of the report's models.
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"metadata": {"adapter_type": "duckdb"}, "sources": {},
                                 "nodes": {"model.shop.orders": {
                                     "name": "orders", "package_name": "shop",
                                     "resource_type": "model", "schema": "main",
                                     "alias": "orders", "relation_name": '"db"."main"."orders"'}}}))
    assert main([*database, "--manifest", str(other)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: the dbt manifest has no fct_")
    assert error.count("\n") == 1

    # The sample build's (DuckDB) manifest does not name the Athena tables.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    assert main(["--target", "athena", "--manifest", str(sample_build.manifest),
                 "--output", str(tmp_path / "a.html")]) == 2
    assert capsys.readouterr().err == (
        f"error: {sample_build.manifest} was written for duckdb, not athena: run "
        "`dbt parse --target athena` (or point --manifest at that target's manifest.json).\n")
    assert not (tmp_path / "r.html").exists() and not (tmp_path / "a.html").exists()


def test_help_lists_the_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for option in ("--database", "--output", "--target", "--manifest", "--screenshot",
                   "ATHENA_SCHEMA"):
        assert option in out


# --------------------------------------------------------------------------- Athena (moto)

ATHENA_ENV = {"ATHENA_SCHEMA": "security_lake", "ATHENA_WORK_GROUP": "primary",
              "ATHENA_S3_STAGING_DIR": "s3://report-results/athena/", "AWS_REGION": REGION}


@pytest.fixture(scope="module")
def athena_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The manifest of `dbt parse --target athena` with ATHENA_SCHEMA=security_lake."""
    target = tmp_path_factory.mktemp("athena_parse")
    run_dbt(["parse", "--target-path", str(target)], target="athena",
            env={"ATHENA_SCHEMA": ATHENA_ENV["ATHENA_SCHEMA"], "DBT_LOG_PATH": str(target)})
    return target / "manifest.json"


def athena_relations(manifest: Path) -> dict[str, Relation]:
    return project_relations(load_manifest(manifest))


def athena_type(duckdb_type: str) -> str:
    name = duckdb_type.split("(")[0].upper()
    return {"HUGEINT": "bigint", "DECIMAL": "decimal", "TIMESTAMP": "timestamp"}.get(
        name, name.lower())


def athena_text(value: Any) -> dict[str, str]:
    """A cell as Athena's GetQueryResults writes it."""
    if value is None:
        return {}
    if isinstance(value, bool):
        return {"VarCharValue": str(value).lower()}
    if isinstance(value, datetime):
        return {"VarCharValue": value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]}
    return {"VarCharValue": str(value)}  # date, Decimal, int, float, str


def athena_result(database: Path, sql: str) -> dict[str, Any]:
    """What Athena would answer to `sql` (DuckDB's rendering), computed on the sample build."""
    with duckdb.connect(str(database), read_only=True) as connection:
        cursor = connection.execute(sql)
        columns = [(column[0], athena_type(str(column[1]))) for column in cursor.description]
        rows = cursor.fetchall()
    header = {"Data": [{"VarCharValue": name} for name, _ in columns]}
    return {
        "rows": [header, *({"Data": [athena_text(value) for value in row]} for row in rows)],
        "column_info": [{"CatalogName": "hive", "SchemaName": "", "TableName": "",
                         "Name": name, "Label": name, "Type": kind, "Precision": 0,
                         "Scale": 0, "Nullable": "UNKNOWN", "CaseSensitive": kind == "varchar"}
                        for name, kind in columns],
    }


def post_json(url: str, payload: dict[str, Any]) -> None:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30):  # noqa: S310 - local moto server
        pass


def queue_athena_results(endpoint: str, build: Any) -> None:
    """Queue one result per report query, in the order the report runs them."""
    post_json(f"{endpoint}/moto-api/state-manager/set-transition",
              {"model_name": "athena::execution", "transition": {"progression": "immediate"}})
    relations = sample_relations(build)
    results = [athena_result(build.database, render(query, relations))
               for query in REPORT.values()]
    post_json(f"{endpoint}/moto-api/static/athena/query-results",
              {"region": REGION, "results": results})


def athena_queries() -> list[dict[str, Any]]:
    client = boto3.client("athena", region_name=REGION)
    ids = client.list_query_executions()["QueryExecutionIds"]
    return [client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
            for query_id in ids]


def test_report_queries_are_trino_sql(athena_manifest: Path) -> None:
    relations = athena_relations(athena_manifest)
    assert str(relations["fct_traffic_daily"]) == '"security_lake_marts"."fct_traffic_daily"'
    for name, query in REPORT.items():
        statement = render(query, relations)
        parsed = sqlglot.parse(statement, read="athena")
        assert len(parsed) == 1 and parsed[0] is not None, name
        unknown = functions_called(statement) - TRINO_FUNCTIONS
        assert not unknown, f"query {name} calls functions Trino lacks: {sorted(unknown)}"


@pytest.mark.parametrize("use_pyathena", [True, False], ids=["pyathena", "boto3"])
def test_athena_backend_returns_what_duckdb_returns(
        sample_build: Any, moto_endpoint: str, athena_manifest: Path,  # noqa: F811
        use_pyathena: bool) -> None:
    queue_athena_results(moto_endpoint, sample_build)
    backend = AthenaBackend(AthenaSettings.from_env(ATHENA_ENV),
                            athena_relations(athena_manifest), use_pyathena=use_pyathena)
    athena = collect(backend)
    local_backend = DuckDBBackend(sample_build.database, sample_relations(sample_build))
    try:
        assert athena == collect(local_backend)
    finally:
        local_backend.close()
    assert all(athena[name] for name in REPORT)  # every section had rows to compare

    executions = athena_queries()
    assert len(executions) == len(REPORT)
    for execution in executions:
        assert '"security_lake_marts"."fct_' in execution["Query"]
        assert "main_marts" not in execution["Query"]
        assert execution["WorkGroup"] == "primary"
        assert execution["QueryExecutionContext"]["Database"] == "security_lake_marts"


def test_report_command_on_athena(sample_build: Any, moto_endpoint: str, tmp_path: Path,  # noqa: F811
                                  athena_manifest: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ATHENA_ENV.items():
        monkeypatch.setenv(name, value)
    queue_athena_results(moto_endpoint, sample_build)
    output = tmp_path / "athena.html"
    assert main(["--target", "athena", "--manifest", str(athena_manifest),
                 "--output", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert "Athena awsdatacatalog.security_lake_marts (work group primary, us-east-1)" in html
    assert "No findings" not in html
    assert_self_contained(html)
