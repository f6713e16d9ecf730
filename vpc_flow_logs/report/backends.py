"""Where the report reads the marts: a local DuckDB build or Athena, behind one interface.

Both backends answer the same portable SQL (:mod:`vpc_flow_logs.queries`) and hand the
renderer the same plain Python values (:func:`plain`): a label for the report, the
relations of the project (from dbt's manifest) and ``rows(sql)``.
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from vpc_flow_logs.common import Relation, in_catalog
from vpc_flow_logs.queries import REPORT, referenced

Row = dict[str, Any]


class ReportError(Exception):
    """The report cannot be built (missing database, unbuilt marts, failed query)."""


class Backend(Protocol):
    """Where the marts are: a label for the report, the project's relations, rows of a query."""

    label: str
    relations: Mapping[str, Relation]

    def rows(self, sql: str) -> list[Row]:
        """Rows of `sql` as dicts of plain Python values (see :func:`plain`)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def plain(value: Any) -> Any:
    """Decimals become int (or float): both engines then hand the renderer the same types."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


class DuckDBBackend:
    """The marts of a local DuckDB build (read-only)."""

    def __init__(self, database: Path, relations: Mapping[str, Relation]) -> None:
        import duckdb

        if not database.is_file():
            raise ReportError(
                f"{database} does not exist; run `make demo` (or `dbt build`) first.")
        self._duckdb = duckdb
        try:
            self._connection = duckdb.connect(str(database), read_only=True)
        except duckdb.Error as error:
            raise ReportError(f"cannot open {database} with DuckDB: {first_line(error)}") from None
        self.database = database
        self.label = f"DuckDB {database}"
        (catalog,) = self._connection.execute("select current_database()").fetchall()[0]
        self.relations = in_catalog(relations, catalog)
        self._check_marts()

    def _check_marts(self) -> None:
        found = {Relation(schema, name) for schema, name in self._connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()").fetchall()}
        wanted = {self.relations[name] for name in required_marts()}
        missing = sorted(wanted - found, key=str)
        if missing:
            self.close()
            schemas = ", ".join(sorted({relation.schema for relation in wanted}))
            what = (f"no marts (schema {schemas})" if len(missing) == len(wanted)
                    else f"no table {', '.join(map(str, missing))}")
            raise ReportError(
                f"{self.database} has {what}; run `make demo` (or `dbt build`) first.")

    def rows(self, sql: str) -> list[Row]:
        try:
            cursor = self._connection.execute(sql)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, map(plain, row), strict=True)) for row in cursor.fetchall()]
        except self._duckdb.CatalogException as error:
            raise ReportError(
                f"the marts of {self.database} do not match the report ({first_line(error)}); "
                "rebuild them with `dbt build`.") from None
        except self._duckdb.Error as error:
            raise ReportError(f"query failed on {self.database}: {first_line(error)}") from None

    def close(self) -> None:
        self._connection.close()


@dataclass(frozen=True)
class AthenaSettings:
    """How to reach Athena, from the variables of profiles.example.yml."""

    work_group: str
    region: str
    catalog: str = "awsdatacatalog"
    s3_staging_dir: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> AthenaSettings:
        return cls(
            work_group=env.get("ATHENA_WORK_GROUP", "primary"),
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
            catalog=env.get("ATHENA_CATALOG", "awsdatacatalog"),
            s3_staging_dir=env.get("ATHENA_S3_STAGING_DIR") or None,
        )


def athena_value(value: str | None, athena_type: str) -> Any:
    """A value of Athena's GetQueryResults (always a string) as a Python value."""
    if value is None:
        return None
    kind = athena_type.lower().split("(")[0].strip()
    if kind in {"tinyint", "smallint", "integer", "int", "bigint"}:
        return int(value)
    if kind == "decimal":
        return plain(Decimal(value))
    if kind in {"double", "real", "float"}:
        return float(value)
    if kind == "boolean":
        return value.lower() == "true"
    if kind == "date":
        return date.fromisoformat(value)
    if kind.startswith("timestamp"):
        return datetime.fromisoformat(value.removesuffix(" UTC"))
    return value


def check_aws_setup(settings: AthenaSettings) -> None:
    """Raise ReportError with one line when AWS has no region or no credentials."""
    from vpc_flow_logs.aws import AwsSetupError, make_session, require_credentials

    try:
        require_credentials(make_session(region=settings.region))
    except AwsSetupError as error:
        raise ReportError(str(error)) from None


class AthenaBackend:
    """The marts on Athena: through PyAthena when installed, else boto3's Athena API."""

    POLL_SECONDS = (0.2, 0.5, 1.0, 2.0)
    TIMEOUT_SECONDS = 900

    def __init__(self, settings: AthenaSettings, relations: Mapping[str, Relation],
                 use_pyathena: bool | None = None) -> None:
        from vpc_flow_logs.aws import AwsSetupError, make_client, make_session

        self.settings = settings
        self.relations = relations
        self.schema = marts_schema(relations)
        self.label = (f"Athena {settings.catalog}.{self.schema} "
                      f"(work group {settings.work_group}, {settings.region})")
        try:
            self._session = make_session(region=settings.region)
            self._client = make_client(self._session, "athena")
        except AwsSetupError as error:
            raise ReportError(str(error)) from None
        if use_pyathena is None:
            use_pyathena = _has_module("pyathena")
        self._cursor = self._pyathena_cursor() if use_pyathena else None

    def _pyathena_cursor(self) -> Any:
        import pyathena

        from vpc_flow_logs.aws import client_config

        connection = pyathena.connect(
            s3_staging_dir=self.settings.s3_staging_dir,
            region_name=self.settings.region, work_group=self.settings.work_group,
            schema_name=self.schema, catalog_name=self.settings.catalog,
            session=self._session, config=client_config(self._session), poll_interval=0.5)
        return connection.cursor()

    def rows(self, sql: str) -> list[Row]:
        if self._cursor is not None:
            return self._pyathena_rows(sql)
        return self._boto3_rows(sql)

    def _pyathena_rows(self, sql: str) -> list[Row]:
        from botocore.exceptions import BotoCoreError, ClientError
        from pyathena.error import Error as PyAthenaError

        try:
            self._cursor.execute(sql)
            names = [column[0] for column in self._cursor.description or ()]
            return [dict(zip(names, map(plain, row), strict=True))
                    for row in self._cursor.fetchall()]
        except (PyAthenaError, BotoCoreError, ClientError) as error:
            raise ReportError(f"Athena query failed: {first_line(error)}") from None

    def _boto3_rows(self, sql: str) -> list[Row]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            query_id = self._start(sql)
            self._wait(query_id)
            return self._results(query_id)
        except (BotoCoreError, ClientError) as error:
            raise ReportError(f"Athena query failed: {first_line(error)}") from None

    def _start(self, sql: str) -> str:
        request: dict[str, Any] = {
            "QueryString": sql, "WorkGroup": self.settings.work_group,
            "QueryExecutionContext": {"Database": self.schema,
                                      "Catalog": self.settings.catalog}}
        if self.settings.s3_staging_dir:
            request["ResultConfiguration"] = {"OutputLocation": self.settings.s3_staging_dir}
        return self._client.start_query_execution(**request)["QueryExecutionId"]

    def _wait(self, query_id: str) -> None:
        deadline = time.monotonic() + self.TIMEOUT_SECONDS
        for attempt in itertools.count():
            execution = self._client.get_query_execution(QueryExecutionId=query_id)
            status = execution["QueryExecution"]["Status"]
            state = status["State"]
            if state == "SUCCEEDED":
                return
            if state in {"FAILED", "CANCELLED"}:
                reason = status.get("StateChangeReason", "no reason given")
                raise ReportError(f"Athena query {query_id} {state.lower()}: {reason}")
            if time.monotonic() > deadline:
                raise ReportError(f"Athena query {query_id} still {state.lower()} after "
                                  f"{self.TIMEOUT_SECONDS} s.")
            time.sleep(self.POLL_SECONDS[min(attempt, len(self.POLL_SECONDS) - 1)])

    def _results(self, query_id: str) -> list[Row]:
        paginator = self._client.get_paginator("get_query_results")
        columns: list[tuple[str, str]] = []
        rows: list[Row] = []
        for page in paginator.paginate(QueryExecutionId=query_id):
            result = page["ResultSet"]
            raw_rows = [[cell.get("VarCharValue") for cell in raw["Data"]]
                        for raw in result["Rows"]]
            if not columns:
                columns = [(info["Name"], info["Type"])
                           for info in result["ResultSetMetadata"]["ColumnInfo"]]
                if raw_rows and raw_rows[0] == [name for name, _ in columns]:
                    raw_rows = raw_rows[1:]  # a SELECT's first row repeats the column names
            rows += [{name: athena_value(value, kind)
                      for (name, kind), value in zip(columns, values, strict=True)}
                     for values in raw_rows]
        return rows

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()


def required_marts() -> list[str]:
    """The models the report queries."""
    return sorted({name for query in REPORT.values() for name in referenced(query.sql)})


def marts_schema(relations: Mapping[str, Relation]) -> str:
    """The schema most of the report's tables are in (the queries' default database)."""
    schemas = Counter(relations[name].schema for name in required_marts() if name in relations)
    return schemas.most_common(1)[0][0] if schemas else "default"


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
