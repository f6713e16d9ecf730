"""Render the security report: one self-contained HTML file built from the marts.

Usage: python -m vpc_flow_logs.report [--database target/vpc_flow_logs.duckdb]
                                [--output target/security_report.html]
                                [--target {local,athena}] [--manifest target/manifest.json]
                                [--screenshot PNG]

The report reads the marts of a local DuckDB build (default) or of Athena
(``--target athena``, configured by the same environment variables as
``profiles.example.yml``); the tables are those dbt's manifest names. The package:

- :mod:`vpc_flow_logs.queries`: the SQL (shared with the build summary);
- :mod:`.backends`: DuckDB and Athena behind one small interface (a label, the
  relations, ``rows(sql)``);
- :mod:`.charts`: the plotly figures (plotly.js is inlined once: the file works offline);
- :mod:`.html`: tables, sections, summary cards and the page (``template.html``, whose
  small inline script sorts a table when a header is clicked);
- this module: the command line.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from vpc_flow_logs.common import (
    ManifestError,
    default_database,
    default_manifest,
    load_manifest,
    manifest_adapter,
    project_relations,
)
from vpc_flow_logs.queries import REPORT, render, require
from vpc_flow_logs.report.backends import (
    AthenaBackend,
    AthenaSettings,
    Backend,
    DuckDBBackend,
    ReportError,
    Row,
    check_aws_setup,
    first_line,
    required_marts,
)
from vpc_flow_logs.report.html import render as render_html

DEFAULT_OUTPUT = "target/security_report.html"
ADAPTERS = {"local": "duckdb", "athena": "athena"}

__all__ = ["AthenaBackend", "AthenaSettings", "Backend", "DuckDBBackend", "ReportError",
           "build_report", "collect", "main", "required_marts"]


def collect(backend: Backend) -> dict[str, list[Row]]:
    """Rows of every report query, by query name."""
    return {name: backend.rows(render(query, backend.relations))
            for name, query in REPORT.items()}


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` so that a reader never sees half a report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    """A PNG of the top of the report, taken by headless Chromium (Debian's `chromium`)."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise ReportError("--screenshot needs Chromium: apt-get install chromium.")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "--virtual-time-budget=10000",
             f"--screenshot={png.resolve()}", html.resolve().as_uri()],
            check=True, capture_output=True, timeout=120)




def relations_for(target: str, manifest_path: Path) -> dict:
    """The project's relations from the manifest, checked to be written for `target`."""
    manifest = load_manifest(manifest_path)
    adapter = manifest_adapter(manifest)
    if adapter != ADAPTERS[target]:
        hint = ("dbt parse --target athena" if target == "athena" else "dbt build")
        raise ManifestError(
            f"{manifest_path} was written for {adapter or 'an unknown adapter'}, not "
            f"{ADAPTERS[target]}: run `{hint}` (or point --manifest at that target's "
            "manifest.json).")
    relations = project_relations(manifest)
    require(relations, required_marts())
    return relations


def open_backend(args: argparse.Namespace) -> DuckDBBackend | AthenaBackend:
    if args.target == "local" and not args.database.is_file():
        raise ReportError(f"{args.database} does not exist; run `make demo` (or `dbt build`) "
                          "first.")
    if args.target == "athena":
        settings = AthenaSettings.from_env()
        check_aws_setup(settings)  # missing credentials first: nothing else can work
        return AthenaBackend(settings, relations_for(args.target, args.manifest))
    return DuckDBBackend(args.database, relations_for(args.target, args.manifest))


def build_report(backend: Backend, output: Path) -> dict[str, list[Row]]:
    """Query the marts, render the report to `output`; returns the rows used."""
    data = collect(backend)
    write_atomically(output, render_html(data, backend.label))
    return data


def parse_args(argv: Iterable[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.report",
        description="Render the security report (one self-contained HTML file, works "
                    "offline) from the marts of a DuckDB build or of Athena.")
    parser.add_argument("--database", type=Path, default=default_database(),
                        help="DuckDB file built by dbt (default: $DBT_DUCKDB_PATH, else "
                             "target/vpc_flow_logs.duckdb)")
    parser.add_argument("--output", type=Path, default=Path(DEFAULT_OUTPUT),
                        help=f"HTML file to write (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--target", choices=("local", "athena"), default="local",
                        help="local: the DuckDB file (default); athena: the marts on Athena "
                             "(schema from the manifest of `dbt parse --target athena`, whose "
                             "ATHENA_SCHEMA it reflects), with ATHENA_WORK_GROUP, "
                             "ATHENA_S3_STAGING_DIR, AWS_REGION and ATHENA_CATALOG as in "
                             "profiles.example.yml, through PyAthena (else boto3)")
    parser.add_argument("--manifest", type=Path, default=default_manifest(),
                        help="dbt's manifest.json of the same target, which names the tables "
                             "(default: $DBT_TARGET_PATH/manifest.json, else "
                             "target/manifest.json)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG",
                        help="also save a PNG of the top of the report (needs chromium), "
                             "e.g. docs/report.png")
    return parser.parse_args(list(argv) if argv is not None else None)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        backend = open_backend(args)
        try:
            build_report(backend, args.output)
        finally:
            backend.close()
        if args.screenshot:
            screenshot(args.output, args.screenshot)
    except (ReportError, ManifestError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except subprocess.SubprocessError as error:
        print(f"error: the screenshot failed: {first_line(error)}", file=sys.stderr)
        return 1
    print(f"Wrote {args.output} ({args.output.stat().st_size / 1_048_576:.1f} MB)"
          + (f" and {args.screenshot}" if args.screenshot else ""))
    return 0
