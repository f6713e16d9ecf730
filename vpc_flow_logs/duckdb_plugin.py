"""dbt-duckdb plugin: a robust inventory of the flow log files in a local folder.

DuckDB's ``read_csv`` aborts a whole query when one matched file is not a valid
gzip stream. This plugin registers one SQL function on every dbt connection,

    vpc_flow_logs_inspect_files(paths VARCHAR[]) -> STRUCT(...)[]

which checks each file once, in parallel threads, and reports for each: whether
it is a flow log object (by its AWS key, default or Hive-compatible prefixes, text
`.log.gz` or Parquet `.log.parquet`), whether it is a complete gzip stream or a
readable Parquet object, how many lines and line bytes it holds (the independent
side of the per-file reconciliation), and an MD5 of its bytes (duplicate
deliveries). A Parquet object is read as text lines: one synthetic header (its
field names) and one line per row, values joined by a space, NULL as `-`. The
macro ``duckdb__prepare_raw_source`` stores the results in a table and builds
the ``raw_flow_logs`` view over the readable files only.

Lines are what Athena reads: split at ``\n``, ``\r\n`` and lone ``\r`` (Hadoop's
LineRecordReader), decoded as UTF-8 (U+FFFD for invalid sequences). DuckDB's CSV
reader agrees on plain files; for an object with lone carriage returns, mixed line
ends or invalid UTF-8 (rare: AWS writes ASCII with ``\n``) the view reads a
normalized copy instead, written once by ``vpc_flow_logs_normalized_copy``.

Enable it in ``profiles.yml``::

    plugins:
      - module: vpc_flow_logs.duckdb_plugin
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import ipaddress
import json
import os
import re
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

try:  # dbt-duckdb is only needed when loaded as a plugin.
    from dbt.adapters.duckdb.plugins import BasePlugin
except ImportError:  # pragma: no cover - importable without dbt for tests
    BasePlugin = object  # type: ignore[assignment,misc]

FUNCTION_NAME = "vpc_flow_logs_inspect_files"
CIDR_FUNCTION_NAME = "vpc_flow_logs_ip_in_cidr"
COPY_FUNCTION_NAME = "vpc_flow_logs_normalized_copy"

# Both key layouts AWS delivers to, text (.log.gz) or Parquet (.log.parquet):
#   default <root>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]<file>
#   Hive    <root>/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/
#           aws-region=<region>/year=YYYY/month=MM/day=DD/[hour=HH/]<file>
# <file> = <account>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz|.log.parquet
# A key is one layout or the other, never a mix: the Hive branch names every segment.
_FILE_NAME = (
    r"(?P<file_account>\d{12})_vpcflowlogs_(?P<file_region>[a-z0-9-]+)_"
    r"(?P<flow_log_id>fl-[0-9a-zA-Z]+)_(?P<window>\d{8}T\d{4}Z)_(?P<name_hash>[0-9a-zA-Z]+)"
    r"\.log\.(?P<suffix>gz|parquet)$"
)
KEY_PATTERN = re.compile(
    r"AWSLogs/(?:"
    r"(?P<account>\d{12})/vpcflowlogs/(?P<region>[a-z0-9-]+)/"
    r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?:(?P<hour>\d{2})/)?"
    r"|"
    r"aws-account-id=(?P<h_account>\d{12})/aws-service=vpcflowlogs/aws-region=(?P<h_region>[a-z0-9-]+)/"
    r"year=(?P<h_year>\d{4})/month=(?P<h_month>\d{2})/day=(?P<h_day>\d{2})/(?:hour=(?P<h_hour>\d{2})/)?"
    r")" + _FILE_NAME
)

CHUNK = 1 << 20

# AWSLogs/<account>/<service>/...: the prefix AWS uses for every service's log delivery
# (aws-account-id=<account>/aws-service=<service>/ under Hive-compatible prefixes).
SERVICE_PREFIX = re.compile(
    r"AWSLogs/(?:aws-account-id=)?(?P<account>[^/]+)/(?:aws-service=)?(?P<service>[^/]+)/")
FOLDER_LAYOUT = re.compile(
    r"AWSLogs/(?:\d{12}/vpcflowlogs/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/(?:\d{2}/)?"
    r"|aws-account-id=\d{12}/aws-service=vpcflowlogs/aws-region=[a-z0-9-]+/"
    r"year=\d{4}/month=\d{2}/day=\d{2}/(?:hour=\d{2}/)?)[^/]+$")


def not_flow_log_reason(path: str) -> str:
    """Why a file under AWSLogs/ is not read as a flow log: the variants AWS can deliver
    that the project does not read are named, so users know what to change."""
    normalized = path.replace(os.sep, "/")
    match = KEY_PATTERN.search(normalized)
    if match and _key_value(match, "account") != match["file_account"]:
        return (f"folder account {_key_value(match, 'account')} and file name account "
                f"{match['file_account']} disagree (object moved or copied by hand?)")
    if match and _key_value(match, "region") != match["file_region"]:
        return (f"folder region {_key_value(match, 'region')} and file name region "
                f"{match['file_region']} disagree (object moved or copied by hand?)")
    service = SERVICE_PREFIX.search(normalized)
    if service and service["service"] != "vpcflowlogs":
        return (f"under AWSLogs/{service['account']}/{service['service']}/: another AWS "
                "service's logs, not VPC flow logs")
    if FOLDER_LAYOUT.search(normalized):
        return ("file name does not follow <account>_vpcflowlogs_<region>_<flow-log-id>_"
                "<YYYYMMDDTHHmmZ>_<hash>.log.gz (or .log.parquet)")
    return "name does not follow the AWS flow log key layout"


@dataclass
class FileReport:
    """What the inventory knows about one file."""

    path: str
    status: str  # ok | unreadable | not_flow_log
    reason: str | None
    size_bytes: int
    line_count: int | None
    line_bytes: int | None
    content_md5: str | None
    account_partition: str | None
    region_partition: str | None
    date_partition: str | None
    hour_partition: str | None
    flow_log_id: str | None
    name_hash: str | None
    # Why DuckDB reads a normalized copy instead of the object (None: read directly).
    normalized_reason: str | None = None
    file_format: str | None = None  # text | parquet (from the key's suffix)
    key_layout: str | None = None  # default | hive (from the key's prefixes)
    # Parquet: the object's column names in its column order (a JSON array) and the
    # synthetic header line made of them (AWS's spelling, `-` for `_`).
    parquet_columns: str | None = None
    fields: str | None = None


def parse_key(path: str) -> dict[str, str | None] | None:
    """Return the partition values encoded in an AWS flow log key, or None."""
    normalized = path.replace(os.sep, "/")
    match = KEY_PATTERN.search(normalized)
    if match is None:
        return None
    account, region = _key_value(match, "account"), _key_value(match, "region")
    if account != match["file_account"] or region != match["file_region"]:
        return None
    return {
        "account_partition": account,
        "region_partition": region,
        "date_partition": (f"{_key_value(match, 'year')}/{_key_value(match, 'month')}/"
                           f"{_key_value(match, 'day')}"),
        "hour_partition": _key_value(match, "hour"),
        "flow_log_id": match["flow_log_id"],
        "name_hash": match["name_hash"],
        "file_format": "parquet" if match["suffix"] == "parquet" else "text",
        "key_layout": "default" if match["account"] is not None else "hive",
    }


def _key_value(match: re.Match[str], name: str) -> str | None:
    """A partition value of either layout's branch of KEY_PATTERN."""
    value = match[name]
    return value if value is not None else match[f"h_{name}"]


def count_lines(path: str) -> tuple[int, int, str, str | None]:
    """Decompress a gzip file and count its lines as Athena's reader (Hadoop's
    LineRecordReader) splits them.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``; a last line without a newline
    counts. Line bytes are those of each line's UTF-8 text, invalid UTF-8 sequences
    replaced by U+FFFD (as Athena decodes text; the object's own bytes when it is valid
    UTF-8). Returns (lines, line bytes, md5 of the compressed bytes, the reason DuckDB
    must read a normalized copy or None). Raises ValueError with a human-readable
    reason when the file is not a complete gzip stream.
    """
    digest = hashlib.md5(usedforsecurity=False)
    utf8 = codecs.getincrementaldecoder("utf-8")("strict")
    valid_utf8, seen_non_ascii = True, False
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    newlines = carriage_returns = crlf = total = 0
    previous_was_cr = False
    last_byte = b""
    seen_any = False
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            if not seen_any and not chunk.startswith(b"\x1f\x8b"):
                raise ValueError("not a gzip stream")
            seen_any = True
            digest.update(chunk)
            data = chunk
            while data:
                try:
                    out = decompressor.decompress(data)
                except zlib.error as exc:
                    raise ValueError(f"corrupt gzip stream ({exc})") from exc
                if out:
                    if valid_utf8 and (seen_non_ascii or not out.isascii()):
                        seen_non_ascii = True
                        try:
                            utf8.decode(out)
                        except UnicodeDecodeError:
                            valid_utf8 = False
                    newlines += out.count(b"\n")
                    carriage_returns += out.count(b"\r")
                    crlf += out.count(b"\r\n")
                    if previous_was_cr and out[:1] == b"\n":
                        crlf += 1
                    previous_was_cr = out[-1:] == b"\r"
                    last_byte = out[-1:]
                    total += len(out)
                if decompressor.eof:
                    # Concatenated gzip members are valid gzip: keep reading them.
                    data = decompressor.unused_data
                    if data:
                        decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    continue
                data = b""
    if not seen_any:
        raise ValueError("empty file (0 bytes), not a gzip stream")
    if not decompressor.eof:
        raise ValueError("truncated gzip stream (unexpected end of data)")
    if valid_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            valid_utf8 = False
    breaks = newlines + carriage_returns - crlf
    line_bytes = total - newlines - carriage_returns
    lines = breaks + (1 if total and last_byte not in (b"\n", b"\r") else 0)
    lone_cr, lf_only = carriage_returns - crlf, newlines - crlf
    reason = None
    if not valid_utf8:
        reason = "invalid UTF-8, decoded with U+FFFD as Athena does"
        text_lines = athena_lines(path)
        lines, line_bytes = len(text_lines), sum(len(line.encode()) for line in text_lines)
    elif lone_cr:
        reason = "lone carriage returns, split as Athena splits lines"
    elif lf_only and crlf:
        reason = "mixed LF and CRLF line ends"
    return lines, line_bytes, digest.hexdigest(), reason


def inspect_file(path: str) -> FileReport:
    """Classify one file found under the flow logs root."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        size = -1
        error: str | None = f"cannot stat file ({exc.strerror})"
    else:
        error = None
    keys = parse_key(path)
    empty: dict[str, Any] = {
        "line_count": None,
        "line_bytes": None,
        "content_md5": None,
    }
    base = {
        "path": path,
        "size_bytes": size,
        **(keys or dict.fromkeys(
            ("account_partition", "region_partition", "date_partition",
             "hour_partition", "flow_log_id", "name_hash", "file_format",
             "key_layout"))),
    }
    if keys is None:
        return FileReport(status="not_flow_log",
                          reason=not_flow_log_reason(path),
                          **empty, **base)
    if error is not None:
        return FileReport(status="unreadable", reason=error, **empty, **base)
    if keys["file_format"] == "parquet":
        try:
            lines, line_bytes, md5, columns = count_parquet_lines(path)
        except (ValueError, OSError) as exc:
            return FileReport(status="unreadable", reason=str(exc), **empty, **base)
        return FileReport(
            status="ok", reason=None, line_count=lines, line_bytes=line_bytes,
            content_md5=md5, parquet_columns=json.dumps(columns),
            fields=" ".join(parquet_field_name(column) for column in columns), **base)
    try:
        lines, line_bytes, md5, normalized_reason = count_lines(path)
    except (ValueError, OSError) as exc:
        return FileReport(status="unreadable", reason=str(exc), **empty, **base)
    return FileReport(status="ok", reason=None, line_count=lines, line_bytes=line_bytes,
                      content_md5=md5, normalized_reason=normalized_reason, **base)


def parquet_field_name(column: str) -> str:
    """The flow log field name of a Parquet column: AWS names the columns after the
    fields with `_` for `-` (`account_id` for `account-id`); anything else a header
    token cannot hold becomes `-` too, so the synthetic header stays one line of tokens."""
    return re.sub(r"[^a-z0-9-]", "-", column.lower().replace("_", "-"))


def parquet_line_sql(columns: list[str]) -> str:
    """The SQL expression of one Parquet row as a text line: the values in column order
    joined by one space, NULL written `-` (as AWS writes a missing field), integers in
    decimal. `duckdb__prepare_raw_source` builds the same expression in Jinja
    (`parquet_line`): both must agree for the line counts and bytes to reconcile."""
    quoted = ['"' + column.replace('"', '""') + '"' for column in columns]
    values = ", ".join(f"coalesce(cast({column} as varchar), '-')" for column in quoted)
    return f"concat_ws(' ', {values})"


def count_parquet_lines(path: str) -> tuple[int, int, str, list[str]]:
    """The synthetic lines of a Parquet object: one header (its field names) and one
    line per row. Returns (lines, line bytes, md5 of the object, column names). Raises
    ValueError with the reader's message when the object is not readable Parquet."""
    import duckdb

    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    try:
        with duckdb.connect() as connection:
            columns = [row[0] for row in connection.execute(
                "select name from parquet_schema(?) where num_children is null", [path]
            ).fetchall()]
            if not columns:
                raise ValueError("Parquet object without columns")
            header = " ".join(parquet_field_name(column) for column in columns)
            rows, row_bytes = connection.execute(
                f"select count(*), coalesce(sum(strlen({parquet_line_sql(columns)})), 0) "
                "from read_parquet(?, hive_partitioning = false)", [path]
            ).fetchone()
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ValueError(f"not a readable Parquet object ({message})") from exc
    return rows + 1, row_bytes + len(header.encode()), digest.hexdigest(), columns


LINE_END = re.compile(r"\r\n|\r|\n")


def athena_lines(path: str) -> list[str]:
    """The lines of a gzip object as Athena reads them: split at ``\\n``, ``\\r\\n`` and
    lone ``\\r`` (Hadoop's LineRecordReader), decoded as UTF-8 with U+FFFD for invalid
    sequences (no ASCII byte is ever part of one, so decoding before splitting is the
    same)."""
    with gzip.open(path, "rb") as handle:
        text = handle.read().decode("utf-8", errors="replace")
    lines = LINE_END.split(text)
    if lines and lines[-1] == "":  # the last terminator ends a line, it starts none
        lines.pop()
    return lines


def normalized_copy(path: str | None, folder: str | None) -> str | None:
    """Path of a copy of `path` that DuckDB's CSV reader reads line for line as Athena
    reads the object: valid UTF-8, every line ended by ``\\n``. Written once into
    `folder`, named by the object's MD5; rewritten when missing."""
    if path is None or folder is None:
        return None
    with open(path, "rb") as handle:
        md5 = hashlib.md5(handle.read(), usedforsecurity=False).hexdigest()
    target = os.path.join(folder, f"{md5}.log.gz")
    if not os.path.exists(target):
        os.makedirs(folder, exist_ok=True)
        text = "".join(line + "\n" for line in athena_lines(path))
        temporary = f"{target}.{os.getpid()}.tmp"
        with gzip.open(temporary, "wb") as out:
            out.write(text.encode())
        os.replace(temporary, target)
    return target


def inspect_files(paths: list[str] | None) -> list[dict[str, Any]]:
    """Inspect many files in parallel (zlib releases the GIL while inflating)."""
    if not paths:
        return []
    workers = max(1, min(len(paths), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return [asdict(report) for report in pool.map(inspect_file, paths)]


@lru_cache(maxsize=4096)
def _network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 16)
def _address(ip: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def ip_in_cidr(ip: str | None, cidr: str | None) -> bool | None:
    """True when ip is inside cidr (IPv4 or IPv6; IPv4-mapped IPv6 counts as IPv4)."""
    if ip is None or cidr is None:
        return None
    address, network = _address(ip), _network(cidr)
    if address is None or network is None or address.version != network.version:
        return False
    return address in network


def _return_type(duckdb_module: Any) -> Any:
    fields = {
        "path": "VARCHAR",
        "status": "VARCHAR",
        "reason": "VARCHAR",
        "size_bytes": "BIGINT",
        "line_count": "BIGINT",
        "line_bytes": "BIGINT",
        "content_md5": "VARCHAR",
        "account_partition": "VARCHAR",
        "region_partition": "VARCHAR",
        "date_partition": "VARCHAR",
        "hour_partition": "VARCHAR",
        "flow_log_id": "VARCHAR",
        "name_hash": "VARCHAR",
        "normalized_reason": "VARCHAR",
        "file_format": "VARCHAR",
        "key_layout": "VARCHAR",
        "parquet_columns": "VARCHAR",
        "fields": "VARCHAR",
    }
    struct = duckdb_module.struct_type({k: duckdb_module.sqltype(v) for k, v in fields.items()})
    return duckdb_module.list_type(struct)


def register(connection: Any) -> None:
    """Register the inventory function on a DuckDB connection (idempotent)."""
    import duckdb

    try:
        connection.create_function(
            FUNCTION_NAME,
            inspect_files,
            [duckdb.list_type(duckdb.sqltype("VARCHAR"))],
            _return_type(duckdb),
            side_effects=True,
        )
    except duckdb.CatalogException as exc:  # cursors share their parent's functions
        if "already exists" not in str(exc):
            raise
    try:
        connection.create_function(
            COPY_FUNCTION_NAME,
            normalized_copy,
            [duckdb.sqltype("VARCHAR"), duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("VARCHAR"),
            side_effects=True,
        )
    except duckdb.CatalogException as exc:
        if "already exists" not in str(exc):
            raise
    try:
        connection.create_function(
            CIDR_FUNCTION_NAME,
            ip_in_cidr,
            [duckdb.sqltype("VARCHAR"), duckdb.sqltype("VARCHAR")],
            duckdb.sqltype("BOOLEAN"),
            null_handling="special",
        )
    except duckdb.CatalogException as exc:
        if "already exists" not in str(exc):
            raise


class Plugin(BasePlugin):  # type: ignore[misc,valid-type]
    """dbt-duckdb plugin entry point."""

    def configure_connection(self, conn: Any) -> None:
        register(conn)

