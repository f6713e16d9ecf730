"""The docs site documents everything the project builds, and `vpc_flow_logs.docs` builds it.

The catalog is what really exists in the sample build's database; the manifest is
what the YAML says. Every model, seed and source column that exists must be
described (and nothing described that does not exist), every macro and its
arguments, every var the project reads.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.python.conftest import Build
from tests.python.dbt_runner import REPO
from vpc_flow_logs import docs
from vpc_flow_logs.queries import REPORT

PROJECT = "vpc_flow_logs"
VAR_CALL = re.compile(r"""\b(?:var|date_var|list_var)\(\s*['"]([a-z_]+)['"]""")


@dataclass(frozen=True)
class Site:
    path: Path
    manifest: dict
    catalog: dict
    stdout: str


def project_nodes(manifest: dict, *kinds: str) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["package_name"] == PROJECT and node["resource_type"] in kinds}


@pytest.fixture(scope="module")
def site(sample_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """`python -m vpc_flow_logs.docs --no-serve` over the sample build (one docs generate)."""
    path = tmp_path_factory.mktemp("docs") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DBT_DUCKDB_PATH", str(sample_build.database))
        patch.setenv("DBT_PROFILES_DIR", str(REPO))
        patch.setenv("DBT_LOG_PATH", str(path.with_name("logs")))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = docs.main(["--no-serve", "--check", "--target-path", str(path),
                              "--vars", json.dumps(sample_build.vars)])
    assert code == 0, out.getvalue()
    return Site(path, json.loads((path / "manifest.json").read_text()),
                json.loads((path / "catalog.json").read_text()), out.getvalue())


def test_docs_script_builds_the_site_and_the_single_file(site: Site) -> None:
    for name in ("index.html", "manifest.json", "catalog.json", "static_index.html"):
        assert (site.path / name).stat().st_size > 0, name
    static = (site.path / "static_index.html").read_text()
    assert "__overview__" in static and "fct_rejects_by_source" in static  # embedded
    assert f"site         {site.path / 'index.html'}" in site.stdout
    assert f"single file  {site.path / 'static_index.html'}" in site.stdout
    assert "Everything of the project is documented." in site.stdout


def undescribed_columns(uid: str, node: dict, existing: set[str]) -> list[str]:
    """The columns of the database table that the node's YAML does not describe."""
    described = {name.lower() for name, column in node["columns"].items()
                 if column["description"].strip()}
    return [f"{uid}.{name}: not described" for name in sorted(existing - described)]


def test_every_model_and_seed_column_that_exists_is_described(site: Site) -> None:
    nodes = project_nodes(site.manifest, "model", "seed")
    # Everything the project builds is in the database the catalog read.
    assert set(nodes) <= set(site.catalog["nodes"])
    problems = []
    for uid, node in nodes.items():
        if not node["description"].strip():
            problems.append(f"{uid}: no description")
        existing = {name.lower() for name in site.catalog["nodes"][uid]["columns"]}
        problems += undescribed_columns(uid, node, existing)
        problems += [f"{uid}.{name}: described, does not exist"
                     for name in sorted(set(map(str.lower, node["columns"])) - existing)]
    assert problems == []


def test_every_source_table_and_column_is_described(site: Site) -> None:
    sources = {uid: source for uid, source in site.manifest["sources"].items()
               if source["package_name"] == PROJECT}
    assert {source["name"] for source in sources.values()} == {
        "raw_flow_logs", "raw_flow_log_files"}
    problems = []
    for uid, source in sources.items():
        if not source["description"].strip():
            problems.append(f"{uid}: no description")
        existing = {name.lower() for name in site.catalog["sources"][uid]["columns"]}
        problems += undescribed_columns(uid, source, existing)
    assert problems == []


def test_descriptions_state_the_grain(site: Site) -> None:
    nodes = project_nodes(site.manifest, "model", "seed", "analysis")
    assert len([n for n in nodes.values() if n["resource_type"] == "seed"]) == 6
    assert [node["name"] for node in nodes.values()
            if not node["description"].startswith("One row per")] == []


def test_every_macro_and_argument_is_described(site: Site) -> None:
    macros = {macro["name"]: macro for macro in site.manifest["macros"].values()
              if macro["package_name"] == PROJECT}
    on_disk = set()
    for path in (REPO / "macros").rglob("*.sql"):
        text = path.read_text()
        on_disk |= set(re.findall(r"\{%-?\s*macro\s+(\w+)\s*\(", text))
        on_disk |= {f"test_{name}" for name in re.findall(r"\{%-?\s*test\s+(\w+)\s*\(", text)}
        on_disk |= {f"materialization_{name}_{adapter}" for name, adapter in re.findall(
            r"\{%-?\s*materialization\s+(\w+)\s*,\s*adapter\s*=\s*[\"'](\w+)[\"']", text)}
    assert set(macros) == on_disk
    problems = [name for name, macro in macros.items() if not macro["description"].strip()]
    for name, macro in macros.items():
        if name.startswith("materialization_"):
            continue  # takes no arguments
        signature = re.search(r"\((.*?)\)\s*-?%\}", macro["macro_sql"], re.S).group(1)
        expected = [part.split("=")[0].strip() for part in signature.split(",") if part.strip()]
        documented = [(arg["name"], bool(arg["description"].strip())) for arg in macro["arguments"]]
        if documented != [(arg, True) for arg in expected]:
            problems.append(f"{name}: arguments {expected} documented as {documented}")
    assert problems == []


def test_shared_flow_log_fields_use_their_docs_block(site: Site) -> None:
    """Outside the marts (whose columns aggregate), a column named like a flow log
    field docs block is described by exactly that block: one definition per field.
    Only columns that hold something else under the same name are exempt."""
    derived = {
        # coalesce(account-id, account of the object key)
        ("int_flows_enriched", "account_id"),
        # coalesce(region, region of the object key)
        ("int_flows_enriched", "region"),
        # DuckDB-only raw column; Athena exposes the object as "$path"
        ("raw_flow_logs", "source_file"),
    }
    blocks = {doc["name"]: doc["block_contents"].strip() for doc in site.manifest["docs"].values()
              if doc["package_name"] == PROJECT and doc["name"] != "__overview__"}
    assert {"srcaddr", "dstaddr", "action", "log_status", "event_date"} <= set(blocks)
    resources = [*project_nodes(site.manifest, "model").values(),
                 *site.manifest["sources"].values()]
    checked, problems = 0, []
    for resource in resources:
        if "/marts/" in resource["original_file_path"]:
            continue
        for name, column in resource["columns"].items():
            if name in blocks and (resource["name"], name) not in derived:
                checked += 1
                if column["description"].strip() != blocks[name]:
                    problems.append(f"{resource['name']}.{name}")
    assert problems == []
    enriched = site.manifest["nodes"]["model.vpc_flow_logs.int_flows_enriched"]["columns"]
    assert enriched["traffic_type"]["description"].strip() == blocks["type"]
    assert checked >= 150, checked


def test_exposures_name_what_they_read(site: Site) -> None:
    exposures = {e["name"]: e for e in site.manifest["exposures"].values()}
    assert set(exposures) == {"security_report", "quicksight_network_security_dashboard"}
    queried = {name for query in REPORT.values()
               for name in re.findall(r"ref\('(fct_\w+)'\)", query.sql)}
    assert len(queried) >= 7
    report = exposures["security_report"]
    assert {uid.split(".")[-1] for uid in report["depends_on"]["nodes"]} == queried
    dashboard = exposures["quicksight_network_security_dashboard"]
    assert dashboard["type"] == "dashboard"
    assert {uid.split(".")[-1] for uid in dashboard["depends_on"]["nodes"]} == {
        "fct_traffic_daily", "fct_rejects_by_source", "fct_bytes_per_ip",
        "fct_https_traffic_by_destination", "fct_metric_alarms", "fct_flow_log_coverage"}
    for exposure in exposures.values():
        assert exposure["description"].strip() and exposure["owner"]["name"]


def configuration_table(readme: str) -> dict[str, tuple[str, str]]:
    """The README's Configuration table: var name -> (default cell, meaning cell)."""
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            for name in re.findall(r"`([a-z_]+)`", cells[0]):
                rows[name] = (cells[1], cells[2])
    return rows


def shown_default(value: object) -> str | None:
    """How the README shows a default; None for defaults it describes in words."""
    if value is None:
        return "none"
    if value == []:
        return "`[]`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, (int, float, str)) and " " not in str(value):
        return f"`{value}`"
    return None


def configuration_problems(readme: str, defaults: dict, used: set[str]) -> list[str]:
    rows = configuration_table(readme)
    problems = [f"{name}: no row" for name in sorted((set(defaults) | used) - set(rows))]
    unread = set(rows) - set(defaults) - used
    problems += [f"{name}: described, never read" for name in sorted(unread)]
    problems += [f"{name}: no meaning" for name, (_, text) in sorted(rows.items()) if not text]
    for name, value in sorted(defaults.items()):
        expected = shown_default(value)
        if name in rows and expected is not None and rows[name][0] != expected:
            problems.append(f"{name}: default shown {rows[name][0]}, is {expected}")
    return problems


def test_readme_configuration_describes_every_var_the_project_reads(site: Site) -> None:
    """One description per var: the README's Configuration table, with the real
    defaults; dbt_project.yml and the docs site point to it."""
    defaults = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
    used = set()
    for folder in ("models", "macros", "tests", "analyses"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".sql", ".yml"):
                used |= set(VAR_CALL.findall(path.read_text()))
    assert "backfill_start_date" in used and "raw_schema" in used
    readme = (REPO / "README.md").read_text()
    assert len(configuration_table(readme)) >= 20
    assert configuration_problems(readme, defaults, used) == []
    overview = site.manifest["docs"]["doc.vpc_flow_logs.__overview__"]["block_contents"]
    assert "**Configuration** section of the repository's `README.md`" in overview
    assert "README.md" in (REPO / "dbt_project.yml").read_text()


def test_configuration_check_finds_each_kind_of_gap() -> None:
    readme = ("# x\n\n## Configuration\n\n| var | default | meaning |\n|---|---|---|\n"
              "| `a`, `b` | `[]` | lists |\n| `c` | `7` | wrong default |\n"
              "| `d` | none | |\n| `gone` | `1` | no longer read |\n\n## Next\n| `e` | `1` | x |\n")
    defaults = {"a": [], "b": [], "c": 8, "d": None, "e": 1, "f": "two words"}
    assert configuration_problems(readme, defaults, {"g"}) == [
        "e: no row", "f: no row", "g: no row", "gone: described, never read",
        "d: no meaning", "c: default shown `7`, is `8`"]


def test_mart_owner_is_set_once_in_dbt_project(site: Site) -> None:
    """Static config lives in dbt_project.yml: no model YAML repeats `meta`."""
    repeated = []
    for path in sorted((REPO / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            if "meta" in model or "meta" in (model.get("config") or {}):
                repeated.append(model["name"])
    assert repeated == []
    marts = [node for node in project_nodes(site.manifest, "model").values()
             if "/marts/" in node["original_file_path"]]
    assert len(marts) >= 10
    owners = {node["name"]: node["config"]["meta"].get("owner") for node in marts}
    assert set(owners.values()) == {"security", "data-platform"}, owners
    assert owners["fct_file_reconciliation"] == "data-platform"


def test_check_reports_each_kind_of_gap() -> None:
    """find_undocumented on a hand-made manifest and catalog: the exact gaps."""
    manifest = {
        "nodes": {
            "model.vpc_flow_logs.a": {
                "resource_type": "model", "package_name": PROJECT, "name": "a",
                "description": "Rows of a.",
                "columns": {"x": {"description": "X."}, "gone": {"description": "Old."},
                            "y": {"description": ""}}},
            "seed.vpc_flow_logs.s": {
                "resource_type": "seed", "package_name": PROJECT, "name": "s",
                "description": "", "columns": {}},
            "model.other.b": {"resource_type": "model", "package_name": "other", "name": "b",
                              "description": "", "columns": {}},
        },
        "sources": {"source.vpc_flow_logs.raw.t": {
            "package_name": PROJECT, "source_name": "raw", "name": "t", "description": "T.",
            "columns": {}}},
        "macros": {"macro.vpc_flow_logs.m": {
            "package_name": PROJECT, "name": "m", "description": "M.",
            "macro_sql": "{% macro m(a, b=none) %}{% endmacro %}",
            "arguments": [{"name": "a", "description": "A."}, {"name": "c", "description": "C."}]}},
        "exposures": {},
    }
    catalog = {
        "nodes": {"model.vpc_flow_logs.a": {"columns": {"X": {}, "y": {}, "z": {}}}},
        "sources": {"source.vpc_flow_logs.raw.t": {"columns": {"line": {}}}},
    }
    assert docs.find_undocumented(manifest, catalog) == [
        "model a: description does not start with its grain ('One row per ...')",
        "model a: column y has no description",
        "model a: column z is not documented",
        "model a: column gone is documented but does not exist",
        "seed s: no description",
        "source raw.t: column line is not documented",
        "macro m: argument b is not documented",
        "macro m: argument c is documented but does not exist",
    ]
    assert docs.macro_arguments("{%- macro f(x, y=[1, 2], z='a,b') -%}") == ["x", "y", "z"]
    assert docs.macro_arguments("{% test t(model, column_name) %}") == ["model", "column_name"]


def test_server_serves_the_site(site: Site) -> None:
    server = docs.make_server(site.path, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static_index.html") as response:
            assert response.status == 200
            assert response.read() == (site.path / "static_index.html").read_bytes()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_invalid_input_fails_with_one_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert docs.main(["--no-serve", "--vars", "[1, 2]"]) == 2
    assert capsys.readouterr().err == (
        "error: --vars must be a mapping, e.g. '{flow_logs_root: ./logs}'.\n")
    with pytest.raises(SystemExit) as exit_info:
        docs.main(["--port", "70000"])
    assert exit_info.value.code == 2


def test_pre_commit_watches_folders_that_exist() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    watched = {(hook["id"], folder)
               for repo in config["repos"] for hook in repo["hooks"]
               for group in re.findall(r"\^\(([^)]*)\)/", hook.get("files", ""))
               for folder in group.split("|")}
    assert {folder for _, folder in watched} >= {"models", "macros", "vpc_flow_logs"}
    assert sorted(pair for pair in watched if not (REPO / pair[1]).is_dir()) == []


def test_contributing_maps_every_python_module() -> None:
    """Each module of the package is named in CONTRIBUTING's Python map, and exists."""
    text = (REPO / "docs" / "CONTRIBUTING.md").read_text()
    section = text.split("### Where the Python is", 1)[1].split("\n## ", 1)[0]
    named = set()
    for row in section.splitlines():
        package = None
        for token in re.findall(r"`([^`]+)`", row):
            if token.startswith("vpc_flow_logs/") and token.endswith("/"):
                package = token
            elif token.startswith("vpc_flow_logs/"):
                named.add(token)
            elif token.endswith((".py", ".html")) and package:
                named.add(package + token)
    # Entry points (__main__.py) and package files that only re-export need no line.
    modules = {path.relative_to(REPO).as_posix()
               for path in (REPO / "vpc_flow_logs").rglob("*.py")
               if path.name != "__main__.py"
               and (path.name != "__init__.py" or "\ndef " in path.read_text())}
    assert sorted(modules - named) == []
    assert sorted(name for name in named if not (REPO / name).exists()) == []
