"""Run the project's Athena SQL on DuckDB, over an emulation of Athena's raw table (tests only).

The Athena target is compiled against moto (no Athena to run it on), each compiled
model is transpiled from Trino SQL to DuckDB SQL with sqlglot, and the models run in
DAG order in an in-memory DuckDB database whose catalog and schema names are
Athena's. What sqlglot cannot translate is replaced by shims written from Trino's
documented semantics (listed in `SHIMS`); everything else is sqlglot's translation.

The raw table is emulated the way Athena reads the external table that
`create_raw_flow_logs_table` defines (RegexSerDe `^(.*)$` over TextInputFormat,
partition projection over the AWS key layout):

- the objects under each projected partition location (accounts and regions of the
  vars, days from `flow_logs_start_date` to today, hours 00-23 when hourly), read
  recursively, whatever their name: another object in a delivery folder is read too;
- `.gz` objects are gunzipped (a corrupt one fails the query), others read as text;
  an empty object has no lines;
- every line, header lines included, split as Hadoop's LineRecordReader splits
  them (LF, CRLF or a lone CR; a last line without terminator counts), decoded as
  UTF-8 with U+FFFD for invalid bytes (Hadoop's Text);
- the partition columns as strings and the hidden column `"$path"` (the object's
  s3:// URI);
- the session time zone is UTC, as in Athena.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import re
import threading
import urllib.request
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

ATHENA_TIME_ZONE = "UTC"
SHIMS = {
    "ipaddress": "cast / try_cast(varchar as ipaddress) and its varchar form",
    "contains(cidr, ipaddress)": "Trino's IpAddressFunctions.contains, with its errors",
    "regexp_extract": "NULL when the pattern does not match (DuckDB returns '')",
}


class AthenaQueryError(RuntimeError):
    """A query that Athena would fail (unreadable object, invalid CIDR...)."""


# ---------------------------------------------------------------------------------------
# The raw table


@dataclass(frozen=True)
class RawTable:
    """The external table: its S3 location and the partitions projection enumerates."""

    location: str  # s3://bucket/prefix/AWSLogs/
    accounts: tuple[str, ...]
    regions: tuple[str, ...]
    start_date: date
    hourly: bool = False
    today: date = field(default_factory=lambda: datetime.now(UTC).date())

    def partitions(self, root: Path) -> Iterator[tuple[Path, tuple[str, ...]]]:
        """(folder, partition values) of every projected location that exists under root."""
        for account in self.accounts:
            for region in self.regions:
                base = root / "AWSLogs" / account / "vpcflowlogs" / region
                if not base.is_dir():
                    continue
                for day_folder in sorted(base.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]")):
                    day = "/".join(day_folder.parts[-3:])
                    try:
                        parsed = datetime.strptime(day, "%Y/%m/%d").date()
                    except ValueError:
                        continue
                    if not self.start_date <= parsed <= self.today:
                        continue
                    if not self.hourly:
                        yield day_folder, (account, region, day)
                        continue
                    for hour in range(24):
                        folder = day_folder / f"{hour:02d}"
                        if folder.is_dir():
                            yield folder, (account, region, day, f"{hour:02d}")


def split_lines(data: bytes) -> list[bytes]:
    """Lines as Hadoop's LineRecordReader returns them: ends at LF, CRLF or a lone CR."""
    return re.split(rb"\r\n|\r|\n", data[:-2] if data.endswith(b"\r\n") else
                    data[:-1] if data.endswith((b"\n", b"\r")) else data) if data else []


def read_object(path: Path) -> bytes:
    """An object's text bytes: gunzipped by extension like Hadoop's codecs."""
    data = path.read_bytes()
    if not data:
        return b""
    if path.name.endswith(".gz"):
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise AthenaQueryError(f"HIVE_CURSOR_ERROR: {path}: {exc}") from exc
    return data


def raw_rows(root: Path, table: RawTable) -> Iterator[tuple]:
    """(line, "$path", partition values...) for every line Athena's table holds."""
    s3_root = table.location.rstrip("/")
    local_root = root / "AWSLogs"
    for folder, values in table.partitions(root):
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            uri = s3_root + "/" + path.relative_to(local_root).as_posix()
            for line in split_lines(read_object(path)):
                yield (line.decode("utf-8", errors="replace"), uri, *values)


# ---------------------------------------------------------------------------------------
# Shims for what sqlglot cannot translate


def trino_ipaddress(text: str | None) -> str | None:
    """cast(varchar as ipaddress), kept in its varchar form (Trino's cast back to varchar).

    Trino parses with Guava's InetAddresses.forString (no leading zeros in IPv4,
    no zone ids, no whitespace) and stores 16 bytes; IPv4 and IPv4-mapped IPv6
    print as the dotted quad, IPv6 in RFC 5952 form.
    """
    if text is None:
        return None
    if "%" in text or text != text.strip() or not text:
        raise ValueError(f"Cannot cast value to IPADDRESS: {text}")
    try:
        address = ipaddress.ip_address(text)
    except ValueError as exc:
        raise ValueError(f"Cannot cast value to IPADDRESS: {text}") from exc
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def trino_try_ipaddress(text: str | None) -> str | None:
    """try_cast(varchar as ipaddress): NULL where the cast fails."""
    try:
        return trino_ipaddress(text)
    except ValueError:
        return None


def trino_contains(network: str | None, address: str | None) -> bool | None:
    """contains(varchar, ipaddress) as Trino's IpAddressFunctions implements it.

    Errors fail the query: no '/', an unparsable network address, a prefix that is
    not an integer, negative or longer than the address, IPv4 host bits set, and an
    address of another IP version than the network.
    """
    if network is None or address is None:
        return None
    base_text, slash, prefix_text = network.partition("/")
    if not slash:
        raise ValueError(f"Invalid CIDR: {network}")
    try:
        base = ipaddress.ip_address(trino_ipaddress(base_text))
    except ValueError as exc:
        raise ValueError(f"Invalid network IP address: {network}") from exc
    if not re.fullmatch(r"[+-]?[0-9]+", prefix_text):
        raise ValueError(f"For input string: \"{prefix_text}\"")
    prefix = int(prefix_text)
    if prefix < 0:
        raise ValueError(f"Invalid prefix length: {network}")
    length = base.max_prefixlen
    if prefix > length:
        raise ValueError(f"Prefix length exceeds address length: {network}")
    if base.version == 4 and int(base) & (0xFFFFFFFF >> prefix):
        raise ValueError(f"Invalid CIDR: {network}")
    ip = ipaddress.ip_address(address)
    if ip.version != base.version:
        raise ValueError(f"IP address version should be the same: {network}, {address}")
    if prefix == 0:
        return True
    return int(base) >> (length - prefix) == int(ip) >> (length - prefix)


def register_shims(connection: duckdb.DuckDBPyConnection) -> None:
    varchar, boolean = duckdb.sqltype("VARCHAR"), duckdb.sqltype("BOOLEAN")
    for name, function, arguments, result in (
            ("trino_ipaddress", trino_ipaddress, [varchar], varchar),
            ("trino_try_ipaddress", trino_try_ipaddress, [varchar], varchar),
            ("trino_contains", trino_contains, [varchar, varchar], boolean)):
        connection.create_function(name, function, arguments, result, null_handling="special")


def _is_ipaddress(node: exp.Expression) -> bool:
    if isinstance(node, exp.Cast):
        return node.to.is_type(exp.DataType.Type.IPADDRESS)
    return isinstance(node, exp.Anonymous) and node.name in ("trino_ipaddress",
                                                             "trino_try_ipaddress")


def _shim(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Cast) and _is_ipaddress(node):
        name = "trino_try_ipaddress" if isinstance(node, exp.TryCast) else "trino_ipaddress"
        return exp.Anonymous(this=name, expressions=[node.this])
    if isinstance(node, exp.ArrayContains) and _is_ipaddress(node.expression):
        return exp.Anonymous(this="trino_contains",
                             expressions=[node.this, _shim(node.expression)])
    if isinstance(node, exp.Cast) and _is_ipaddress(node.this) and node.to.is_type(
            exp.DataType.Type.VARCHAR):
        return _shim(node.this)
    if isinstance(node, exp.Length) and isinstance(node.this, exp.Encode):
        # Trino's length(to_utf8(s)): the bytes of s in UTF-8, DuckDB's strlen(s).
        return exp.Anonymous(this="strlen", expressions=[node.this.this.copy()])
    if isinstance(node, exp.RegexpExtract):
        return exp.Case(ifs=[exp.If(this=exp.RegexpLike(this=node.this.copy(),
                                                         expression=node.expression.copy()),
                                    true=node)])
    return node


FRACTIONAL = (exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT, exp.DataType.Type.DECIMAL)


def _fractional(node: exp.Expression) -> bool:
    """The expression has a fractional operand: a cast to double/real/decimal or a
    literal with a decimal point, outside subqueries."""
    for child in node.walk(prune=lambda n: isinstance(n, exp.Query)):
        if isinstance(child, exp.Cast) and child.to.is_type(*FRACTIONAL):
            return True
        if isinstance(child, exp.Literal) and not child.is_string and "." in child.this:
            return True
    return False


def to_duckdb(trino_sql: str) -> str:
    """One Trino statement as DuckDB SQL: sqlglot's translation plus the shims.

    Trino divides two integers as integers, DuckDB's `/` does not, and sqlglot
    cannot tell the operands' types: a division without a fractional operand is
    refused (cast one operand to double or decimal in the model)."""
    tree = sqlglot.parse_one(trino_sql, read="athena")
    for division in tree.find_all(exp.Div):
        if not (_fractional(division.this) or _fractional(division.expression)):
            raise NotImplementedError(
                f"integer or fractional division? cast an operand: {division.sql('athena')}")
    tree = tree.transform(_shim)
    leftovers = [node.sql("athena") for node in tree.find_all(exp.DataType)
                 if node.is_type(exp.DataType.Type.IPADDRESS)]
    leftovers += [node.sql("athena") for node in tree.find_all(exp.ArrayContains)]
    if leftovers:
        raise NotImplementedError(f"no DuckDB translation for: {leftovers}")
    return tree.sql(dialect="duckdb", unsupported_level=sqlglot.ErrorLevel.RAISE)


# ---------------------------------------------------------------------------------------
# The project's models, in DAG order


def models_in_dag_order(manifest: dict) -> list[dict]:
    """Enabled models of the manifest, each after the models it depends on."""
    models = {key: node for key, node in manifest["nodes"].items()
              if node["resource_type"] == "model"}
    ordered: list[dict] = []
    done: set[str] = set()

    def visit(key: str, path: tuple[str, ...] = ()) -> None:
        if key in done:
            return
        if key in path:
            raise ValueError(f"cycle through {key}")
        for parent in models[key]["depends_on"]["nodes"]:
            if parent in models:
                visit(parent, (*path, key))
        done.add(key)
        ordered.append(models[key])

    for key in sorted(models):
        visit(key)
    return ordered


def relation_parts(relation_name: str) -> list[str]:
    return [part.strip('"') for part in relation_name.split(".")]


class AthenaEmulation:
    """An in-memory DuckDB database laid out like the Athena catalog."""

    def __init__(self, manifest: dict, *, time_zone: str = ATHENA_TIME_ZONE) -> None:
        self.manifest = manifest
        self.connection = duckdb.connect(":memory:")
        self._answer_lock = threading.Lock()
        self.connection.execute(f"set TimeZone = '{time_zone}'")
        register_shims(self.connection)
        self.catalogs: set[str] = set()
        self.sql: dict[str, str] = {}

    def _create_schema(self, relation_name: str) -> None:
        catalog, schema, _ = relation_parts(relation_name)
        if catalog not in self.catalogs:
            self.connection.execute(f'attach \':memory:\' as "{catalog}"')
            self.catalogs.add(catalog)
        self.connection.execute(f'create schema if not exists "{catalog}"."{schema}"')

    def load_raw_table(self, root: Path, table: RawTable) -> int:
        source = next(node for node in self.manifest["sources"].values()
                      if node["name"] == "raw_flow_logs")
        relation = source["relation_name"]
        self._create_schema(relation)
        hour = ", hour_partition varchar" if table.hourly else ""
        self.connection.execute(f"""create or replace table {relation} (
            line varchar, "$path" varchar, account_partition varchar,
            region_partition varchar, date_partition varchar{hour})""")
        rows = list(raw_rows(root, table))
        if rows:
            columns = list(zip(*rows, strict=True))
            selects = ", ".join(f"unnest(${i + 1})" for i in range(len(columns)))
            self.connection.execute(f"insert into {relation} select {selects}",
                                    [list(column) for column in columns])
        return len(rows)

    def load_seeds(self, duckdb_file: Path, duckdb_manifest: dict) -> None:
        """Seeds as the DuckDB target loaded them (the same CSV files)."""
        self.connection.execute(f"attach '{duckdb_file}' as duckdb_target (read_only)")
        targets = {node["name"]: node for node in duckdb_manifest["nodes"].values()
                   if node["resource_type"] == "seed"}
        for node in self.manifest["nodes"].values():
            if node["resource_type"] != "seed":
                continue
            target = targets[node["name"]]
            self._create_schema(node["relation_name"])
            self.connection.execute(
                f"create or replace table {node['relation_name']} as select * from "
                f'duckdb_target."{target["schema"]}"."{target["alias"]}"')
        self.connection.execute("detach duckdb_target")

    def run_models(self, manifest: dict | None = None) -> list[str]:
        """Run every model of `manifest` (default: the one given at creation) in DAG
        order; return their names. A model whose table exists and whose
        materialization is incremental gets its strategy (`write_incremental`), the
        others are created or replaced."""
        names = []
        for node in models_in_dag_order(manifest or self.manifest):
            sql = to_duckdb(node["compiled_code"])
            self.sql[node["name"]] = sql
            self._create_schema(node["relation_name"])
            try:
                if node["config"]["materialized"] == "incremental" and self.exists(
                        node["relation_name"]):
                    self.write_incremental(node, sql)
                else:
                    self.connection.execute(
                        f"create or replace table {node['relation_name']} as {sql}")
            except duckdb.Error as exc:
                raise AthenaQueryError(f"{node['name']}: {exc}") from exc
            names.append(node["name"])
        return names

    def exists(self, relation_name: str) -> bool:
        catalog, schema, name = relation_parts(relation_name)
        return bool(self.connection.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ?"
            " and table_name = ?", [catalog, schema, name]).fetchone()[0])

    def write_incremental(self, node: dict, sql: str) -> None:
        """dbt-athena's incremental strategies on Hive tables, as its materialization
        applies them to the rows of the model's SQL:

        - insert_overwrite (the default): the partitions (`partitioned_by`) present in
          the new rows are deleted from the table, then the new rows inserted; other
          partitions are kept. Without partitions, the whole table is replaced.
        - append: the new rows are inserted.
        Any other strategy fails here until it is emulated.
        """
        relation, config = node["relation_name"], node["config"]
        strategy = config.get("incremental_strategy") or "insert_overwrite"
        self.connection.execute(f"create or replace temp table new_rows as {sql}")
        if strategy == "insert_overwrite":
            partitions = config.get("partitioned_by") or []
            if partitions:
                same = " and ".join(f'new_rows."{c}" is not distinct from target."{c}"'
                                    for c in partitions)
                self.connection.execute(f"delete from {relation} as target where exists "
                                        f"(select 1 from new_rows where {same})")
            else:
                self.connection.execute(f"delete from {relation}")
        elif strategy != "append":
            raise NotImplementedError(f"{node['name']}: incremental strategy {strategy} is "
                                      "not emulated (tests/python/athena_emulation.py)")
        self.connection.execute(f"insert into {relation} by name select * from new_rows")
        self.connection.execute("drop table new_rows")

    def rows(self, relation_name: str) -> tuple[list[str], list[tuple]]:
        result = self.connection.execute(f"select * from {relation_name}")
        return [d[0] for d in result.description], result.fetchall()

    def answer(self, trino_sql: str) -> dict | None:
        """The result set Athena's GetQueryResults would return for a query that dbt
        runs while compiling (a window's latest day, a seed setting), computed on the
        emulation; None for a statement that is not a query (DDL)."""
        try:
            statement = sqlglot.parse_one(trino_sql, read="athena")
        except sqlglot.errors.ParseError:
            return None
        if not isinstance(statement, exp.Query):
            return None
        # moto serves requests on several threads (dbt compiles two models at once);
        # a DuckDB connection runs one call at a time.
        with self._answer_lock:
            relation = self.connection.sql(to_duckdb(trino_sql))
            names, types = relation.columns, [athena_type(t) for t in relation.types]
            fetched = relation.fetchall()
        rows = [{"Data": [{"VarCharValue": name} for name in names]}]
        rows += [{"Data": [{} if value is None else {"VarCharValue": athena_text(value)}
                           for value in row]} for row in fetched]
        return {"rows": rows, "column_info": [
            {"Name": name, "Label": name, "Type": kind, "Nullable": "UNKNOWN"}
            for name, kind in zip(names, types, strict=True)]}


def athena_type(duckdb_type: object) -> str:
    text = str(duckdb_type).upper()
    for prefix, kind in (("DECIMAL", "decimal"), ("BIGINT", "bigint"), ("HUGEINT", "bigint"),
                         ("INTEGER", "integer"), ("SMALLINT", "integer"),
                         ("TINYINT", "integer"), ("DOUBLE", "double"), ("FLOAT", "double"),
                         ("BOOLEAN", "boolean"), ("DATE", "date"),
                         ("TIMESTAMP", "timestamp")):
        if text.startswith(prefix):
            return kind
    return "varchar"


def athena_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@contextmanager
def moto_answering_from(emulation: AthenaEmulation) -> Iterator[str]:
    """A moto server (in this process) whose Athena answers each query with its result
    on the emulation; yields its endpoint URL. Moto runs no SQL itself: without this,
    every query dbt runs at compile time would return no rows."""
    from moto.athena.models import AthenaBackend, QueryResults
    from moto.server import ThreadedMotoServer

    original = AthenaBackend.start_query_execution
    # The server answers dbt's threads concurrently; the emulation has one connection.
    lock = threading.Lock()

    def start_query_execution(backend: AthenaBackend, query: str, *args, **kwargs) -> str:
        with lock:
            result = emulation.answer(query)
            if result is not None:
                backend.query_results_queue.insert(0, QueryResults(**result))
            return original(backend, query, *args, **kwargs)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    AthenaBackend.start_query_execution = start_query_execution
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        yield endpoint
    finally:
        urllib.request.urlopen(urllib.request.Request(  # noqa: S310 - the local server
            endpoint + "/moto-api/reset", method="POST")).close()
        server.stop()
        AthenaBackend.start_query_execution = original


# ---------------------------------------------------------------------------------------
# Comparison


def normalise(value: object, replacements: tuple[tuple[str, str], ...] = ()) -> object:
    """One value in a form both engines agree on: exact integers, numbers to 12
    significant digits, timestamps as naive UTC ISO text, dates as ISO text, nested
    records and arrays field by field."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(f"{value:.12g}")
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else float(
            f"{value:.12g}")
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return ("timestamp", value.isoformat())
    if isinstance(value, date):
        return ("date", value.isoformat())
    if isinstance(value, str):
        for old, new in replacements:
            if value.startswith(old):
                value = new + value[len(old):]
        return value
    if isinstance(value, dict):  # a ROW / STRUCT: field names and order count
        return ("struct", tuple((name, normalise(field, replacements))
                                for name, field in value.items()))
    if isinstance(value, list):
        return ("array", tuple(normalise(item, replacements) for item in value))
    return value


@dataclass
class Difference:
    model: str
    columns: list[str]
    only_athena: Counter
    only_duckdb: Counter
    message: str = ""

    def __str__(self) -> str:
        if self.message:
            return f"{self.model}: {self.message}"
        lines = [f"{self.model}: {sum(self.only_athena.values())} rows only on Athena, "
                 f"{sum(self.only_duckdb.values())} only on DuckDB ({', '.join(self.columns)})"]
        for label, rows in (("athena", self.only_athena), ("duckdb", self.only_duckdb)):
            for row, count in list(rows.items())[:3]:
                lines.append(f"  {label} x{count}: {row}")
        return "\n".join(lines)


def mask_non_ascii(value: object) -> object:
    return re.sub(r"[^\x00-\x7f]", "?", value) if isinstance(value, str) else value


def compare(model: str, athena: tuple[list[str], list[tuple]],
            duckdb_rows: tuple[list[str], list[tuple]], *, ignore: Iterable[str] = (),
            masked: Iterable[str] = (),
            replacements: tuple[tuple[str, str], ...] = ()) -> Difference | None:
    """None when both engines hold the same rows (a multiset, normalised); the
    `ignore` columns are left out, the `masked` ones compared with non-ASCII
    characters masked."""
    athena_columns, athena_data = athena
    duckdb_columns, duckdb_data = duckdb_rows
    if sorted(athena_columns) != sorted(duckdb_columns):
        return Difference(model, [], Counter(), Counter(),
                          f"columns differ: {athena_columns} vs {duckdb_columns}")
    columns = [c for c in athena_columns if c not in set(ignore)]
    a_index = [athena_columns.index(c) for c in columns]
    d_index = [duckdb_columns.index(c) for c in columns]
    masks = [mask_non_ascii if c in set(masked) else (lambda value: value) for c in columns]

    def rows(data: list[tuple], index: list[int]) -> Counter:
        return Counter(tuple(normalise(mask(row[i]), replacements)
                             for mask, i in zip(masks, index, strict=True)) for row in data)

    a, d = rows(athena_data, a_index), rows(duckdb_data, d_index)
    if a == d:
        return None
    return Difference(model, columns, a - d, d - a)


def load_manifest(path: Path) -> dict:
    return json.loads(path.read_text())
