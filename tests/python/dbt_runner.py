"""Run the project's dbt from tests, in a subprocess, against a chosen DuckDB file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


def run_dbt(
    args: list[str],
    *,
    vars: dict | None = None,  # noqa: A002 - dbt's own name
    duckdb_path: Path | None = None,
    target: str = "local",
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` from the repository root and return the finished process."""
    command = [str(DBT), *args, "--target", target]
    if vars:
        command += ["--vars", json.dumps(vars)]
    full_env = {**os.environ, "DBT_PROFILES_DIR": str(REPO), **(env or {})}
    if duckdb_path is not None:
        full_env["DBT_DUCKDB_PATH"] = str(duckdb_path)
        # Each database gets its own target/ and logs/, so builds never share state.
        full_env.setdefault("DBT_TARGET_PATH", str(duckdb_path.with_suffix(".target")))
        full_env.setdefault("DBT_LOG_PATH", str(duckdb_path.with_suffix(".logs")))
    elif os.environ.get("PYTEST_XDIST_WORKER"):
        # Parallel test workers (make test) never share a target/, logs/ or DuckDB file.
        scratch = REPO / "target" / f"pytest-{os.environ['PYTEST_XDIST_WORKER']}"
        full_env.setdefault("DBT_TARGET_PATH", str(scratch / "target"))
        full_env.setdefault("DBT_LOG_PATH", str(scratch / "logs"))
        full_env.setdefault("DBT_DUCKDB_PATH", str(scratch / "scratch.duckdb"))
    process = subprocess.run(
        command, cwd=REPO, env=full_env, capture_output=True, text=True, check=False
    )
    if check and process.returncode != 0:
        raise AssertionError(
            f"dbt {' '.join(args)} failed ({process.returncode}):\n"
            f"{process.stdout[-6000:]}\n{process.stderr[-3000:]}"
        )
    return process


def query(duckdb_path: Path, sql: str) -> list[tuple]:
    """Rows of a query against a built DuckDB file (read-only)."""
    with duckdb.connect(str(duckdb_path), read_only=True) as connection:
        return connection.sql(sql).fetchall()


def hashable(row: tuple) -> tuple:
    """A fetched row with nested records (dicts) and arrays (lists) as tuples, so rows
    can be counted in a Counter; field names are kept."""
    def convert(value: object) -> object:
        if isinstance(value, dict):
            return tuple((name, convert(field)) for name, field in value.items())
        if isinstance(value, list):
            return tuple(convert(item) for item in value)
        return value
    return tuple(convert(value) for value in row)


MODEL_TABLES_SQL = """
    select table_schema, table_name from information_schema.tables
    where table_schema in ('main_staging', 'main_intermediate', 'main_marts')
    order by 1, 2
"""


def snapshot(database: Path) -> dict[str, Counter]:
    """Every model's rows, as multisets, by table name; without `parsed_at`, the
    stamp of the run that parsed a line (a full refresh parses everything again)."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = connection.sql(MODEL_TABLES_SQL).fetchall()
        result = {}
        for schema, name in tables:
            columns = [row[0] for row in connection.sql(
                f'describe "{schema}"."{name}"').fetchall() if row[0] != "parsed_at"]
            select = ", ".join(f'"{column}"' for column in columns)
            result[f"{schema}.{name}"] = Counter(map(hashable,
                connection.sql(f'select {select} from "{schema}"."{name}"').fetchall()))
        return result
