"""dbt-duckdb plugin: a robust inventory of the flow log files in a local folder.

DuckDB's ``read_csv`` aborts a whole query when one matched file is not a valid
gzip stream. This plugin registers one SQL function on every dbt connection,

    vpc_flow_logs_inspect_files(paths VARCHAR[]) -> STRUCT(...)[]

which checks each file once, in parallel threads, and reports for each: whether
it is a flow log object (by its AWS key layout), whether it is a complete gzip
stream, how many lines and line bytes it holds (the independent side of the
per-file reconciliation), and an MD5 of its bytes (duplicate deliveries). The
macro ``duckdb__prepare_raw_source`` stores the results in a table and builds
the ``raw_flow_logs`` view over the readable files only.

Enable it in ``profiles.yml``::

    plugins:
      - module: vpc_flow_logs.duckdb_plugin
"""

from __future__ import annotations

import hashlib
import ipaddress
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

# <root>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]<account>_vpcflowlogs_
# <region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz
KEY_PATTERN = re.compile(
    r"AWSLogs/(?P<account>\d{12})/vpcflowlogs/(?P<region>[a-z0-9-]+)/"
    r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?:(?P<hour>\d{2})/)?"
    r"(?P<file_account>\d{12})_vpcflowlogs_(?P<file_region>[a-z0-9-]+)_"
    r"(?P<flow_log_id>fl-[0-9a-zA-Z]+)_(?P<window>\d{8}T\d{4}Z)_(?P<name_hash>[0-9a-zA-Z]+)"
    r"\.log\.gz$"
)

CHUNK = 1 << 20

HIVE_PREFIX = re.compile(r"AWSLogs/(?:[^/]+/)*aws-account-id=\d+/")
# AWSLogs/<account>/<service>/...: the prefix AWS uses for every service's log delivery.
SERVICE_PREFIX = re.compile(r"AWSLogs/(?P<account>[^/]+)/(?P<service>[^/]+)/")
FOLDER_LAYOUT = re.compile(
    r"AWSLogs/\d{12}/vpcflowlogs/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/(?:\d{2}/)?[^/]+$")


def not_flow_log_reason(path: str) -> str:
    """Why a file under AWSLogs/ is not read as a flow log: the variants AWS can deliver
    that the project does not read are named, so users know what to change."""
    normalized = path.replace(os.sep, "/")
    if normalized.endswith(".parquet"):
        return ("Parquet flow log file: this project reads the text format "
                "(log file format 'Text', gzip)")
    if HIVE_PREFIX.search(normalized):
        return ("Hive-compatible S3 prefix (aws-account-id=...): this project reads the "
                "default key layout AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/")
    match = KEY_PATTERN.search(normalized)
    if match and match["account"] != match["file_account"]:
        return (f"folder account {match['account']} and file name account "
                f"{match['file_account']} disagree (object moved or copied by hand?)")
    if match and match["region"] != match["file_region"]:
        return (f"folder region {match['region']} and file name region "
                f"{match['file_region']} disagree (object moved or copied by hand?)")
    service = SERVICE_PREFIX.search(normalized)
    if service and service["service"] != "vpcflowlogs":
        return (f"under AWSLogs/{service['account']}/{service['service']}/: another AWS "
                "service's logs, not VPC flow logs")
    if FOLDER_LAYOUT.search(normalized):
        return ("file name does not follow <account>_vpcflowlogs_<region>_<flow-log-id>_"
                "<YYYYMMDDTHHmmZ>_<hash>.log.gz")
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


def parse_key(path: str) -> dict[str, str | None] | None:
    """Return the partition values encoded in an AWS flow log key, or None."""
    normalized = path.replace(os.sep, "/")
    match = KEY_PATTERN.search(normalized)
    if match is None:
        return None
    if match["account"] != match["file_account"] or match["region"] != match["file_region"]:
        return None
    return {
        "account_partition": match["account"],
        "region_partition": match["region"],
        "date_partition": f"{match['year']}/{match['month']}/{match['day']}",
        "hour_partition": match["hour"],
        "flow_log_id": match["flow_log_id"],
        "name_hash": match["name_hash"],
    }


def count_lines(path: str) -> tuple[int, int, str]:
    """Decompress a gzip file and count its lines the way DuckDB's reader splits them.

    Lines end at ``\\n``, ``\\r\\n`` or a lone ``\\r``; a last line without a newline
    counts. Returns (lines, bytes of line content, md5 of the compressed bytes).
    Raises ValueError with a human-readable reason when the file is not a complete
    gzip stream.
    """
    digest = hashlib.md5(usedforsecurity=False)
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
    breaks = newlines + carriage_returns - crlf
    line_bytes = total - newlines - carriage_returns
    lines = breaks + (1 if total and last_byte not in (b"\n", b"\r") else 0)
    return lines, line_bytes, digest.hexdigest()


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
             "hour_partition", "flow_log_id", "name_hash"))),
    }
    if keys is None:
        return FileReport(status="not_flow_log",
                          reason=not_flow_log_reason(path),
                          **empty, **base)
    if error is not None:
        return FileReport(status="unreadable", reason=error, **empty, **base)
    try:
        lines, line_bytes, md5 = count_lines(path)
    except (ValueError, OSError) as exc:
        return FileReport(status="unreadable", reason=str(exc), **empty, **base)
    return FileReport(status="ok", reason=None, line_count=lines, line_bytes=line_bytes,
                      content_md5=md5, **base)


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

