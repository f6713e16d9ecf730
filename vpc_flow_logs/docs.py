"""Build the dbt docs site (and its single-file form), check it, and serve it locally.

Usage: python -m vpc_flow_logs.docs [--no-serve] [--port 8080] [--host 127.0.0.1]
                              [--target-path target] [--target {local,athena}]
                              [--vars YAML] [--check]

Runs ``dbt docs generate --static`` once, which writes the site (``index.html``,
``manifest.json``, ``catalog.json``) and ``static_index.html``, a single file with
the manifest and catalog embedded that opens from disk, mails or attaches to a
ticket. Then lists what is undocumented (models, columns, seeds, sources, macros,
exposures of this project; ``--check`` makes any gap an error, for CI) and serves
the site over HTTP until Ctrl+C (``--no-serve`` stops after building).

The catalog (column types, and the columns that really exist) is read from the
database: on DuckDB build first (``make demo``), or the columns show as unknown.

Exit status: 0 built (and served), 1 dbt failed or ``--check`` found gaps,
2 invalid input.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from vpc_flow_logs.common import (
    PROJECT_DIR,
    InvalidInput,
    dbt_executable,
    default_database,
    parse_vars,
)

REPO = PROJECT_DIR
PROJECT = "vpc_flow_logs"
SITE_FILES = ("index.html", "manifest.json", "catalog.json")
STATIC_FILE = "static_index.html"
GRAIN_PREFIX = "One row per"
GRAIN_TYPES = ("model", "seed", "snapshot", "analysis")
COLUMN_TYPES = ("model", "seed", "snapshot")
MACRO_SIGNATURE = re.compile(r"\{%-?\s*(?:macro|test)\s+\w+\s*\((.*?)\)\s*-?%\}", re.S)


def generate_command(target_path: Path, target: str | None,
                     dbt_vars: Mapping[str, Any]) -> list[str]:
    """The `dbt docs generate --static` command line."""
    command = [dbt_executable(), "docs", "generate", "--static",
               "--target-path", str(target_path)]
    if target:
        command += ["--target", target]
    if dbt_vars:
        command += ["--vars", json.dumps(dict(dbt_vars))]
    return command


def macro_arguments(macro_sql: str) -> list[str]:
    """Argument names of a macro or generic test, from its `{% macro name(...) %}` line."""
    match = MACRO_SIGNATURE.search(macro_sql)
    if not match or not match.group(1).strip():
        return []
    names, depth, quote, current = [], 0, "", ""
    for char in match.group(1) + ",":
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0 and not quote:
            names.append(current.split("=")[0].strip())
            current = ""
        else:
            current += char
    return [name for name in names if name]


def _blank(text: Any) -> bool:
    return not str(text or "").strip()


def _columns_gaps(label: str, documented: Mapping[str, Any],
                  catalog_node: Mapping[str, Any] | None) -> list[str]:
    gaps = [f"{label}: column {name} has no description"
            for name, column in documented.items() if _blank(column.get("description"))]
    if catalog_node is None:
        return gaps
    existing = {name.lower() for name in catalog_node.get("columns", {})}
    described = {name.lower() for name in documented}
    gaps += [f"{label}: column {name} is not documented"
             for name in sorted(existing - described)]
    gaps += [f"{label}: column {name} is documented but does not exist"
             for name in sorted(described - existing)]
    return gaps


def find_undocumented(manifest: Mapping[str, Any], catalog: Mapping[str, Any] | None,
                      project: str = PROJECT) -> list[str]:
    """Every documentation gap of the project's resources, one sentence each.

    Columns are compared with the catalog (what exists in the database) when the
    resource is in it: undocumented and documented-but-missing columns are both gaps.
    """
    catalog_nodes = (catalog or {}).get("nodes", {})
    catalog_sources = (catalog or {}).get("sources", {})
    gaps: list[str] = []
    for unique_id, node in sorted(manifest.get("nodes", {}).items()):
        kind = node.get("resource_type")
        if node.get("package_name") != project or kind not in GRAIN_TYPES:
            continue
        label = f"{kind} {node['name']}"
        description = str(node.get("description") or "").strip()
        if not description:
            gaps.append(f"{label}: no description")
        elif not description.startswith(GRAIN_PREFIX):
            gaps.append(f"{label}: description does not start with its grain "
                        f"('{GRAIN_PREFIX} ...')")
        if kind in COLUMN_TYPES:
            gaps += _columns_gaps(label, node.get("columns", {}), catalog_nodes.get(unique_id))
    for unique_id, source in sorted(manifest.get("sources", {}).items()):
        if source.get("package_name") != project:
            continue
        label = f"source {source['source_name']}.{source['name']}"
        if _blank(source.get("description")):
            gaps.append(f"{label}: no description")
        gaps += _columns_gaps(label, source.get("columns", {}), catalog_sources.get(unique_id))
    for _, macro in sorted(manifest.get("macros", {}).items()):
        if macro.get("package_name") != project:
            continue
        label = f"macro {macro['name']}"
        if _blank(macro.get("description")):
            gaps.append(f"{label}: no description")
        documented = {argument["name"]: argument for argument in macro.get("arguments", [])}
        actual = macro_arguments(macro.get("macro_sql", ""))
        gaps += [f"{label}: argument {name} is not documented"
                 for name in actual if name not in documented]
        gaps += [f"{label}: argument {name} is documented but does not exist"
                 for name in documented if name not in actual]
        gaps += [f"{label}: argument {name} has no description"
                 for name, argument in documented.items()
                 if name in actual and _blank(argument.get("description"))]
    for _, exposure in sorted(manifest.get("exposures", {}).items()):
        if exposure.get("package_name") != project:
            continue
        if _blank(exposure.get("description")):
            gaps.append(f"exposure {exposure['name']}: no description")
    return gaps


def make_server(directory: Path, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the site directory (port 0: any free port)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((host, port), handler)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.docs",
        description="Build the dbt docs site (also target/static_index.html) and serve it.")
    parser.add_argument("--no-serve", action="store_true",
                        help="only build the site, do not serve it")
    parser.add_argument("--port", type=int, default=8080, help="port to serve on (default 8080)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to serve on (default 127.0.0.1; 0.0.0.0 for all)")
    parser.add_argument("--target-path", type=Path,
                        default=Path(os.environ.get("DBT_TARGET_PATH") or "target"),
                        help="where dbt writes the site (default $DBT_TARGET_PATH or target)")
    parser.add_argument("--target", help="dbt target (default: the profile's, $DBT_TARGET)")
    parser.add_argument("--vars", help="dbt vars, YAML or JSON, as for dbt")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when anything of the project is undocumented")
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(f"--port must be between 0 and 65535, not {args.port}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        dbt_vars = parse_vars(args.vars)
    except InvalidInput as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    target_path = args.target_path if args.target_path.is_absolute() else REPO / args.target_path
    database = REPO / default_database()
    if (args.target or os.environ.get("DBT_TARGET", "local")) == "local" and not database.exists():
        print(f"note: {database} does not exist: build first (`make demo`) for column types.")
    command = generate_command(target_path, args.target, dbt_vars)
    print("$ " + shlex.join(["dbt", *command[1:]]), flush=True)
    process = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if process.returncode != 0:
        print(process.stdout[-4000:], process.stderr[-2000:], sep="\n", file=sys.stderr)
        print(f"error: dbt docs generate failed ({process.returncode}).", file=sys.stderr)
        return 1
    missing = [name for name in (*SITE_FILES, STATIC_FILE) if not (target_path / name).exists()]
    if missing:
        print(f"error: dbt did not write {', '.join(missing)} in {target_path}.", file=sys.stderr)
        return 1

    manifest = json.loads((target_path / "manifest.json").read_text())
    catalog = json.loads((target_path / "catalog.json").read_text())
    gaps = find_undocumented(manifest, catalog)
    print("Docs site built:")
    print(f"  site         {target_path / 'index.html'} (+ manifest.json, catalog.json)")
    print(f"  single file  {target_path / STATIC_FILE} (opens from disk, no server needed)")
    if gaps:
        print(f"Undocumented ({len(gaps)}):")
        for gap in gaps:
            print(f"  - {gap}")
        if args.check:
            return 1
    else:
        print("Everything of the project is documented.")
    if args.no_serve:
        return 0

    try:
        server = make_server(target_path, args.host, args.port)
    except OSError as error:
        print(f"error: cannot serve on {args.host}:{args.port} ({error.strerror}); "
              "choose another --port.", file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    print(f"Serving http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped.")
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
