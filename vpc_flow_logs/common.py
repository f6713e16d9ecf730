"""What every tool shares: input errors, dates, regions, sizes, paths and dbt's manifest.

Each helper exists once, here; the tools import it instead of keeping a copy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

PROJECT = "vpc_flow_logs"
PROJECT_DIR = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "target/vpc_flow_logs.duckdb"
DEFAULT_TARGET_PATH = "target"

# AWS region names: us-east-1, us-gov-west-1, us-isob-east-1, cn-north-1, eusc-de-east-1.
REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$")
DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class InvalidInput(ValueError):
    """An argument is not valid; the message is one sentence for the user."""


# --------------------------------------------------------------------------- arguments


def parse_date(text: str, option: str) -> dt.date:
    """A day written YYYY-MM-DD (nothing else), as a date; `option` names it in the error."""
    if not DATE_RE.match(text):
        raise InvalidInput(f"{option} must be a date written YYYY-MM-DD, not '{text}'.")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} '{text}' is not a real calendar date.") from None


def is_region(name: str) -> bool:
    """True for an AWS region name such as us-east-1."""
    return bool(REGION_RE.match(name))


def parse_vars(text: str | None) -> dict[str, Any]:
    """`--vars` as a mapping (YAML or JSON, as dbt accepts it); {} when empty."""
    if not text:
        return {}
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput(f"--vars is not valid YAML/JSON: {error}".splitlines()[0]) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("--vars must be a mapping, e.g. '{flow_logs_root: ./logs}'.")
    return {str(key): item for key, item in value.items()}


# --------------------------------------------------------------------------- formatting


def human_bytes(value: float, base: int = 1024) -> str:
    """A size for people: 1536 -> '1.5 KiB' (base 1024), 1500 -> '1.5 kB' (base 1000)."""
    units = ("B", "KiB", "MiB", "GiB", "TiB", "PiB") if base == 1024 else (
        "B", "kB", "MB", "GB", "TB", "PB")
    scaled, unit = float(value), 0
    while abs(scaled) >= base and unit < len(units) - 1:
        scaled, unit = scaled / base, unit + 1
    return f"{scaled:.0f} B" if unit == 0 else f"{scaled:.1f} {units[unit]}"


# --------------------------------------------------------------------------- paths


def default_database(env: Mapping[str, str] = os.environ) -> Path:
    """The DuckDB file of the profile: $DBT_DUCKDB_PATH, else target/vpc_flow_logs.duckdb."""
    return Path(env.get("DBT_DUCKDB_PATH") or DEFAULT_DATABASE)


def default_manifest(env: Mapping[str, str] = os.environ) -> Path:
    """dbt's manifest of the last run: $DBT_TARGET_PATH/manifest.json, else target/."""
    return Path(env.get("DBT_TARGET_PATH") or DEFAULT_TARGET_PATH) / "manifest.json"


def dbt_executable() -> str:
    """The dbt next to this Python (a virtualenv need not be activated), else dbt on PATH."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else "dbt"


# --------------------------------------------------------------------------- dbt manifest


def day_column(config: Any) -> str | None:
    """The day a model is partitioned by: its unique_key (or single partition column).

    `config` is a node's config from dbt's manifest, as an object or as JSON."""
    def get(key: str) -> Any:
        if isinstance(config, Mapping):
            return config.get(key)
        value = getattr(config, key, None)
        return config.get(key) if value is None and hasattr(config, "get") else value

    unique_key = get("unique_key")
    if isinstance(unique_key, str) and unique_key:
        return unique_key
    if isinstance(unique_key, list) and len(unique_key) == 1:
        return str(unique_key[0])
    partitioned_by = get("partitioned_by")
    if isinstance(partitioned_by, list) and len(partitioned_by) == 1:
        return str(partitioned_by[0])
    return None


@dataclass(frozen=True)
class Relation:
    """Where dbt put a model, seed or source: schema and table name. The catalog is the
    connection's (:func:`in_catalog`), so a DuckDB file opened under another name, or an
    Athena catalog set by the query context, still resolves."""

    schema: str
    identifier: str
    catalog: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        prefix = f'"{self.catalog}".' if self.catalog else ""
        return f'{prefix}"{self.schema}"."{self.identifier}"'


def in_catalog(relations: Mapping[str, Relation], catalog: str) -> dict[str, Relation]:
    """The relations qualified with `catalog` (DuckDB: the attached file's name)."""
    return {name: replace(relation, catalog=catalog) for name, relation in relations.items()}


class ManifestError(InvalidInput):
    """dbt's manifest is missing, unreadable or not the project's."""


def load_manifest(path: Path) -> dict[str, Any]:
    """dbt's target/manifest.json as JSON, or one clear error."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(
            f"{path} does not exist; run dbt first (`make demo`, `dbt build` or "
            "`dbt parse`) so the relation names come from the project.") from None
    except (OSError, ValueError) as error:
        raise ManifestError(f"{path} is not a readable dbt manifest ({error}).") from None
    if not isinstance(manifest, dict) or "nodes" not in manifest:
        raise ManifestError(f"{path} is not a dbt manifest (no nodes).")
    return manifest


def manifest_adapter(manifest: Mapping[str, Any]) -> str | None:
    """The adapter (duckdb, athena) the manifest was written for."""
    return (manifest.get("metadata") or {}).get("adapter_type")


def project_relations(manifest: Mapping[str, Any]) -> dict[str, Relation]:
    """Relations of the project's models and seeds by name, and of its sources by
    `source_name.table_name`, as the manifest records them."""
    relations: dict[str, Relation] = {}
    for node in manifest.get("nodes", {}).values():
        if (node.get("package_name") == PROJECT and node.get("resource_type") in {"model", "seed"}
                and node.get("relation_name")):
            relations[node["name"]] = Relation(node["schema"], node.get("alias") or node["name"])
    for source in manifest.get("sources", {}).values():
        if source.get("package_name") == PROJECT and source.get("relation_name"):
            relations[f"{source['source_name']}.{source['name']}"] = Relation(
                source["schema"], source.get("identifier") or source["name"])
    return relations
