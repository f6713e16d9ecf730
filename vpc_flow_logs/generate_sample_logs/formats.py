"""The flow log format: AWS field names by version, presets, the header and line
templates, and the files AWS writes (gzip text or Parquet)."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path

V2_FIELDS = (
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
    "start end action log-status"
).split()


V3_FIELDS = "vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr".split()


V4_FIELDS = "region az-id sublocation-type sublocation-id".split()


V5_FIELDS = "pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path".split()


V7_FIELDS = (
    "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id "
    "ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn "
    "ecs-task-arn ecs-task-id"
).split()


V8_FIELDS = ["reject-reason"]


DEFAULT_FORMAT: list[str] = list(V2_FIELDS)


ALL_FIELDS: list[str] = V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS + V7_FIELDS + V8_FIELDS


FIELD_VERSION: dict[str, int] = {
    **dict.fromkeys(V2_FIELDS, 2), **dict.fromkeys(V3_FIELDS, 3),
    **dict.fromkeys(V4_FIELDS, 4), **dict.fromkeys(V5_FIELDS, 5),
    **dict.fromkeys(V7_FIELDS, 7), **dict.fromkeys(V8_FIELDS, 8),
}


FORMATS: dict[str, list[str]] = {
    "default": DEFAULT_FORMAT,
    "v3": V2_FIELDS + V3_FIELDS,
    "v5": V2_FIELDS + V3_FIELDS + V4_FIELDS + V5_FIELDS,
    "all": ALL_FIELDS,
}


# Fields whose value changes per record, in the order of the value tuples below.
# Every other field is a property of the network interface (or of the run: version).
DYNAMIC_FIELDS = (
    "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end",
    "action", "log-status", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
    "reject-reason",
)


_DYNAMIC_INDEX = {name: index for index, name in enumerate(DYNAMIC_FIELDS)}


def write_gzip(path: Path, lines: Sequence[str]) -> int:
    """Write lines as one gzip member (mtime 0, level 6); return the file size."""
    data = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6,
                           mtime=0) as handle:
            handle.write(data)
        return raw.tell()


def write_flow_log_file(path: Path, fields: list[str], rows: list[list[str]] | list[str], *,
                        header: bool = True) -> None:
    """Write one flow log object as AWS does: gzip text, header line, `\\n` line ends.

    `rows` are token lists (joined with one space) or raw lines written as given, so
    tests can craft any content, malformed lines included.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [" ".join(fields)] if header else []
    lines += [row if isinstance(row, str) else " ".join(row) for row in rows]
    write_gzip(path, lines)


# AWS's Parquet types (VPC User Guide, "Available fields"): INT_32 for these, INT_64 for
# counters and times, STRING for every other field. Columns are the field names with `_`.
PARQUET_INT32 = {"version", "srcport", "dstport", "protocol", "tcp-flags", "traffic-path"}
PARQUET_INT64 = {"packets", "bytes", "start", "end"}


def parquet_type(name: str) -> str:
    """The DuckDB type of a field's Parquet column, as AWS types it."""
    if name in PARQUET_INT32:
        return "INTEGER"
    return "BIGINT" if name in PARQUET_INT64 else "VARCHAR"


def write_parquet(path: Path, fields: Sequence[str], lines: Sequence[str]) -> int:
    """Write record lines (tokens joined by one space, `-` for no value) as one Parquet
    object as AWS does: one column per field named with `_` for `-`, AWS's types, NULL
    for `-`, gzip compression. Returns the file size. Written by DuckDB (no pyarrow)."""
    import tempfile

    import duckdb

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ", ".join(f"'{name.replace('-', '_')}': '{parquet_type(name)}'" for name in fields)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as text:
        text.write("".join(line + "\n" for line in lines))
    try:
        with duckdb.connect() as connection:
            connection.execute(
                f"copy (select * from read_csv(?, columns = {{{columns}}}, header = false, "
                "delim = ' ', quote = '', escape = '', nullstr = '-', auto_detect = false)) "
                "to '" + str(path).replace("'", "''") + "' (format parquet, compression gzip)",
                [text.name])
    finally:
        Path(text.name).unlink()
    return path.stat().st_size


def parse_format(text: str | Sequence[str]) -> list[str]:
    """A preset name, a space-separated field list or a list of fields, validated.

    Raises ValueError with one sentence when a field is unknown or repeated.
    """
    if isinstance(text, str):
        if text.strip() in FORMATS:
            return list(FORMATS[text.strip()])
        fields = text.split()
    else:
        fields = list(text)
    if not fields:
        raise ValueError("--format needs a preset (" + ", ".join(FORMATS) + ") or at least "
                         "one AWS flow log field name.")
    unknown = [name for name in fields if name not in FIELD_VERSION]
    if unknown:
        raise ValueError(f"--format has unknown field(s) {', '.join(unknown)}: use a preset "
                         f"({', '.join(FORMATS)}) or AWS field names such as "
                         "'srcaddr dstaddr action'.")
    repeated = sorted({name for name in fields if fields.count(name) > 1})
    if repeated:
        raise ValueError(f"--format repeats field(s) {', '.join(repeated)}: AWS allows each "
                         "field once.")
    return fields


def format_version(fields: Sequence[str]) -> int:
    """The `version` AWS writes for a format: the highest version among its fields."""
    return max(FIELD_VERSION[name] for name in fields)


def line_template(fields: Sequence[str], static: dict[str, str]) -> str:
    return " ".join("%s" if name in _DYNAMIC_INDEX else static[name].replace("%", "%%")
                    for name in fields)


def value_picker(fields: Sequence[str]) -> Callable[[tuple], tuple]:
    positions = [_DYNAMIC_INDEX[name] for name in fields if name in _DYNAMIC_INDEX]
    if not positions:
        return lambda values: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda values: (values[only],)
    return itemgetter(*positions)
