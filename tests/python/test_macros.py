"""The macro layout the project keeps: one macro family per file, named after it;
`default__` only for portable SQL, otherwise `athena__` + `duckdb__` bodies and a
`default__` that stops the run with a clear message."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from tests.python.dbt_runner import REPO, run_dbt

MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\(")
ADAPTERS = ("default", "athena", "duckdb")


def macro_files() -> dict[Path, list[str]]:
    """Every macro file outside macros/tests (generic tests) with its macro names."""
    return {path: MACRO.findall(path.read_text())
            for path in sorted((REPO / "macros").rglob("*.sql"))
            if path.parent.name != "tests"}


def family_problems(files: dict[Path, list[str]], root: Path = REPO) -> list[str]:
    """Files holding a macro that is neither the file's name nor one of its bodies."""
    problems = []
    for path, names in files.items():
        family = path.stem
        allowed = {family, *(f"{adapter}__{family}" for adapter in ADAPTERS)}
        problems += [f"{path.relative_to(root)}: {name}" for name in names if name not in allowed]
        if family not in names:
            problems.append(f"{path.relative_to(root)}: no macro named {family}")
    return problems


def dispatch_problems(files: dict[Path, list[str]]) -> list[str]:
    """Dispatched families whose default__ is neither portable nor paired with both engines."""
    problems = []
    for path, names in files.items():
        text = path.read_text()
        family = path.stem
        if f"adapter.dispatch('{family}'" not in text:
            continue
        if f"default__{family}" not in names:
            problems.append(f"{family}: no default__ body")
            continue
        default_body = text.split(f"macro default__{family}(", 1)[1].split("endmacro", 1)[0]
        engine_bodies = {f"athena__{family}", f"duckdb__{family}"} & set(names)
        if "unsupported_adapter" in default_body:
            if len(engine_bodies) != 2:
                problems.append(f"{family}: default__ raises but an engine body is missing")
        elif len(engine_bodies) == 2:
            problems.append(f"{family}: default__ is never used (both engines have a body)")
    return problems


def test_each_file_holds_one_macro_family_named_after_it() -> None:
    files = macro_files()
    assert len(files) >= 40
    assert family_problems(files) == []


def test_default_bodies_are_portable_or_raise() -> None:
    assert dispatch_problems(macro_files()) == []


def test_the_checks_find_each_kind_of_mistake(tmp_path: Path) -> None:
    """Hand-made macro files, one per mistake, under a fake repository root."""
    folder = tmp_path / "macros" / "x"
    folder.mkdir(parents=True)
    (folder / "good.sql").write_text(
        "{% macro good(a) %}{{ return(adapter.dispatch('good', 'p')(a)) }}{% endmacro %}\n"
        "{% macro default__good(a) %}{{ vpc_flow_logs.unsupported_adapter('good') }}"
        "{% endmacro %}\n{% macro athena__good(a) %}x{% endmacro %}\n"
        "{% macro duckdb__good(a) %}y{% endmacro %}\n")
    (folder / "two.sql").write_text(
        "{% macro two() %}1{% endmacro %}\n{% macro other() %}2{% endmacro %}\n")
    (folder / "half.sql").write_text(
        "{% macro half(a) %}{{ return(adapter.dispatch('half', 'p')(a)) }}{% endmacro %}\n"
        "{% macro default__half(a) %}{{ vpc_flow_logs.unsupported_adapter('half') }}"
        "{% endmacro %}\n{% macro athena__half(a) %}x{% endmacro %}\n")
    (folder / "shadowed.sql").write_text(
        "{% macro shadowed(a) %}{{ return(adapter.dispatch('shadowed', 'p')(a)) }}"
        "{% endmacro %}\n{% macro default__shadowed(a) %}x{% endmacro %}\n"
        "{% macro athena__shadowed(a) %}x{% endmacro %}\n"
        "{% macro duckdb__shadowed(a) %}y{% endmacro %}\n")
    (folder / "misnamed.sql").write_text("{% macro renamed() %}1{% endmacro %}\n")
    files = {path: MACRO.findall(path.read_text()) for path in sorted(folder.glob("*.sql"))}
    assert family_problems(files, root=tmp_path) == [
        "macros/x/misnamed.sql: renamed", "macros/x/misnamed.sql: no macro named misnamed",
        "macros/x/two.sql: other"]
    assert dispatch_problems(files) == [
        "half: default__ raises but an engine body is missing",
        "shadowed: default__ is never used (both engines have a body)"]


def test_a_default_body_without_portable_sql_stops_the_run(tmp_path: Path) -> None:
    """Called on DuckDB, the default__ body of an engine-specific macro names itself
    and the adapter instead of emitting another engine's SQL."""
    process = run_dbt(["run-operation", "default__bit_is_set", "--args", "{value: 7, mask: 2}"],
                      duckdb_path=tmp_path / "default.duckdb", check=False)
    assert process.returncode != 0
    output = process.stdout + process.stderr
    assert ("vpc_flow_logs.bit_is_set has SQL for the athena and duckdb adapters only, "
            "not duckdb: add a duckdb__bit_is_set macro.") in " ".join(output.split())


def contributing() -> str:
    return (REPO / "docs" / "CONTRIBUTING.md").read_text()


def engine_table(text: str) -> dict[str, str]:
    """The CONTRIBUTING map's engine table: dispatched macro -> the file it names."""
    section = text.split("### Where each engine difference is", 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"\| `(\w+)` \| `(macros/[\w/]+\.sql)` \|", line)
        if match:
            rows[match.group(1)] = match.group(2)
    return rows


def test_the_map_lists_every_engine_difference_where_it_is() -> None:
    with_engine_bodies = {}
    for path, names in macro_files().items():
        for name in names:
            if name.startswith("athena__"):
                with_engine_bodies[name.removeprefix("athena__")] = str(path.relative_to(REPO))
    assert len(with_engine_bodies) >= 13
    assert engine_table(contributing()) == with_engine_bodies
    # Models with one file per engine are listed too.
    per_engine = {path.name for path in (REPO / "models").rglob("athena/*.sql")}
    assert per_engine == {path.name for path in (REPO / "models").rglob("duckdb/*.sql")}
    for name in per_engine:
        assert f"| model `{name.removesuffix('.sql')}` |" in contributing()


def statements(sql: str) -> list[str]:
    """The config call and the window statement before the first CTE, whitespace removed."""
    preamble = sql.split("\nwith ", 1)[0]
    config = re.findall(r"\{\{\s*config\(.*?\)\s*\}\}", preamble, re.S)
    window = re.findall(r"\{%-?\s*set window = .*?%\}", preamble, re.S)
    return ["".join(text.split()) for text in config + window]


def test_the_contributing_mart_template_starts_like_the_marts() -> None:
    section = contributing().split("## Add a model", 1)[1]
    template = textwrap.dedent(section.split("```sql\n", 1)[1].split("```", 1)[0])
    marts = {path.stem: path.read_text()
             for path in sorted((REPO / "models" / "marts").rglob("fct_*.sql"))
             if "rebuild_window" in path.read_text()}
    assert len(marts) >= 9
    expected = statements(template)
    assert len(expected) == 2 and "require_flow_log_fields(" in template
    assert {name: statements(sql) for name, sql in marts.items()} == {
        name: expected for name in marts}
    # The body's sums are those of the marts.
    assert "sum_decimal('bytes')" in template
    assert [name for name, sql in marts.items()
            if re.search(r"sum\(\s*cast\([^()]*decimal\(38", sql)] == []


def test_every_path_contributing_names_exists() -> None:
    folders = "macros|models|tests|vpc_flow_logs|docs|orchestration"
    paths = set(re.findall(rf"`((?:{folders})/[\w./-]*?)/?`", contributing()))
    assert len(paths) >= 40
    assert sorted(path for path in paths if not (REPO / path).exists()) == []
