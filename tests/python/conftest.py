"""Shared fixtures: sample data generated once and built once with dbt on DuckDB."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.python.dbt_runner import REPO, run_dbt

if not (REPO / "profiles.yml").exists():
    (REPO / "profiles.yml").write_text((REPO / "profiles.example.yml").read_text())


@dataclass(frozen=True)
class Build:
    """A generated sample dataset and the DuckDB database dbt built from it."""

    root: Path
    database: Path
    vars: dict

    @property
    def manifest(self) -> Path:
        """dbt's manifest of the build (run_dbt gives each database its own target/)."""
        return self.database.with_suffix(".target") / "manifest.json"


SAMPLE_ARGS = {"days": 3, "records": 12000, "seed": 11, "start_date": "2024-06-01"}


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Sample flow logs (default format) built with `dbt seed` + `dbt build`."""
    from vpc_flow_logs.generate_sample_logs import generate

    base = tmp_path_factory.mktemp("sample")
    root = base / "logs"
    generate(output=root, **SAMPLE_ARGS)
    database = base / "sample.duckdb"
    dbt_vars = {"flow_logs_root": str(root)}
    run_dbt(["seed"], vars=dbt_vars, duckdb_path=database)
    run_dbt(["build"], vars=dbt_vars, duckdb_path=database)
    return Build(root=root, database=database, vars=dbt_vars)
