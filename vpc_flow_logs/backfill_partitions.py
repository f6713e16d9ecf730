"""Register the partitions of the classic (non-projected) raw flow log table.

The Athena source table uses partition projection and needs no maintenance. The
classic variant, for engines that ignore projection (Glue/Spark, Redshift
Spectrum), only sees the partitions registered in the Glue Data Catalog. This
script finds which account/region/day folders really exist in S3 and registers
one partition per folder, skipping those already registered::

    python -m vpc_flow_logs.backfill_partitions \\
        --location s3://my-log-bucket/vpc \\
        --database flow_logs --table raw_flow_logs_classic \\
        --start 2024-01-01 --end 2024-01-31 \\
        [--accounts 111111111111,222222222222] [--regions us-east-1,eu-west-1] \\
        [--prefixes default|hive] [--dry-run] [--quiet] [--via glue|athena] \\
        [--workgroup primary] \\
        [--output-location s3://my-athena-results/backfill/]

``--location`` is the folder that holds ``AWSLogs/`` (as the dbt var
``flow_logs_root``). Each partition has the keys ``account_partition``,
``region_partition`` and ``date_partition`` (``YYYY/MM/DD``) and points at
``<location>/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/``.

With ``--prefixes hive`` the folders are AWS's Hive-compatible prefixes,
``<location>/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/
aws-region=<region>/year=YYYY/month=MM/day=DD/``: the partitions have the same keys
and values (``date_partition`` stays ``YYYY/MM/DD``), only their locations differ.
The table's columns decide the format it reads (text or Parquet,
``create_raw_flow_logs_table`` with var ``flow_logs_file_format``); partitions are
folders either way.

Hourly-partitioned flow logs (``.../YYYY/MM/DD/HH/``) get the same DAY
partitions: the day folder holds the hour folders, and Athena and Redshift
Spectrum read the files in a partition folder's subfolders too. (Spark reads
nested folders only with ``recursiveFileLookup`` or
``mapreduce.input.fileinputformat.input.dir.recursive=true``.) A classic table
with an extra ``hour_partition`` key is refused.

How it works:

- Discovery lists S3 with ``Delimiter='/'`` level by level (accounts, regions,
  years, months, days), pruned by the filters and the date range: it never
  lists objects, so its cost does not grow with the number of log files.
- Glue (default): ``BatchGetPartition`` finds what is registered already, then
  ``BatchCreatePartition`` adds the rest in batches of at most 100, each with
  the table's storage descriptor and the day folder as its location.
  Per-partition errors that are transient (throttling) are retried with
  bounded exponential backoff and jitter; ``AlreadyExistsException`` counts as
  already present (another run got there first).
- ``--via athena``: the same partitions through ``ALTER TABLE ... ADD IF NOT
  EXISTS PARTITION`` statements (one per batch), each awaited; a failed
  statement fails its batch and is reported. Glue is still read to skip
  partitions that exist.
- Every AWS call retries throttling and 5xx errors (botocore ``standard``
  mode, see ``vpc_flow_logs/aws.py``). A second run creates nothing. ``--dry-run``
  makes only read requests and prints what it would create.

Every input is validated before any AWS request: on invalid input the script
prints one sentence and exits with status 2. AWS failures (including any
partition that could not be registered) exit with 1; success with 0. SQL is
only built from validated values. Standard AWS configuration applies
(``AWS_PROFILE``/``--profile``, ``AWS_REGION``/``--region``, ``AWS_ENDPOINT_URL``).
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import datetime as dt
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, TextIO, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from tqdm import tqdm

from vpc_flow_logs.aws import AwsSetupError, Backoff, describe_error, make_client, make_session
from vpc_flow_logs.common import REGION_RE, InvalidInput, parse_date

PARTITION_KEYS = ("account_partition", "region_partition", "date_partition")
GLUE_BATCH_LIMIT = 100  # BatchCreatePartition accepts at most 100 partitions a call
GLUE_GET_LIMIT = 1000  # BatchGetPartition accepts at most 1000 keys a call
RETRYABLE_PARTITION_ERRORS = frozenset(
    {
        "ThrottlingException",
        "InternalServiceException",
        "OperationTimeoutException",
        "ConcurrentModificationException",
    }
)
ATHENA_FINAL_STATES = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})

ACCOUNT_RE = re.compile(r"^[0-9]{12}$")
NAME_RE = re.compile(r"^[a-z0-9_-]{1,255}$")  # Glue database/table names, lowercased
WORKGROUP_RE = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KEY_SEGMENT_RE = re.compile(r"^[A-Za-z0-9!_.*()=+-]+$")  # S3 "safe" characters, minus quote
SQL_LITERAL_RE = re.compile(r"^[A-Za-z0-9!_.*()=+/:-]*$")
MAX_PREFIX_LENGTH = 800

EXIT_OK, EXIT_FAILED, EXIT_INVALID = 0, 1, 2
T = TypeVar("T")


class BackfillError(Exception):
    """AWS said no (or could not be reached); the message is for the user."""


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class S3Location:
    """An S3 folder: a bucket and a key prefix without leading or trailing slash."""

    bucket: str
    prefix: str = ""

    def key(self, *parts: str) -> str:
        """The key prefix of a subfolder, ending with '/'."""
        return "".join(f"{part}/" for part in (self.prefix, *parts) if part)

    def uri(self, *parts: str) -> str:
        """The s3:// URI of a subfolder, ending with '/'."""
        return f"s3://{self.bucket}/{self.key(*parts)}"


@dataclass(frozen=True, order=True)
class Partition:
    """One day of one account and region: one Glue partition. `hive`: the folder is
    under Hive-compatible prefixes (the partition's values are the same)."""

    account: str
    region: str
    day: dt.date
    hive: bool = field(default=False, compare=False)

    @property
    def date_value(self) -> str:
        return self.day.strftime("%Y/%m/%d")

    @property
    def values(self) -> dict[str, str]:
        """Partition key -> value."""
        return dict(zip(PARTITION_KEYS, (self.account, self.region, self.date_value), strict=True))

    def folder(self) -> tuple[str, ...]:
        """The folder path under the root, as segments."""
        if self.hive:
            return (*region_folder(self.account, self.region, hive=True),
                    f"year={self.day:%Y}", f"month={self.day:%m}", f"day={self.day:%d}")
        return ("AWSLogs", self.account, "vpcflowlogs", self.region, self.date_value)

    def location(self, root: S3Location) -> str:
        """s3://bucket/prefix/AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/, or
        .../AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/
        year=YYYY/month=MM/day=DD/ under Hive-compatible prefixes"""
        return root.uri(*self.folder())

    def label(self) -> str:
        return f"{self.account} {self.region} {self.date_value}"


@dataclass(frozen=True)
class Options:
    """Validated arguments."""

    root: S3Location
    database: str
    table: str
    start: dt.date
    end: dt.date
    accounts: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    via: str = "glue"
    workgroup: str = "primary"
    output_location: str | None = None
    dry_run: bool = False
    quiet: bool = False
    batch_size: int = GLUE_BATCH_LIMIT
    workers: int = 8
    query_timeout: float = 600.0
    profile: str | None = None
    region: str | None = None
    prefixes: str = "default"


@dataclass
class Outcome:
    """What happened to the partitions we tried to register."""

    created: list[Partition] = field(default_factory=list)
    already_present: list[Partition] = field(default_factory=list)
    failed: list[tuple[Partition, str]] = field(default_factory=list)


@dataclass(frozen=True)
class TableInfo:
    """The parts of the Glue table the backfill needs."""

    database: str
    name: str
    key_order: tuple[str, ...]
    storage_descriptor: dict[str, Any]
    location: str

    def values(self, partition: Partition) -> list[str]:
        """Partition values in the table's key order."""
        by_key = partition.values
        return [by_key[key] for key in self.key_order]


# ---------------------------------------------------------------------- validation


def parse_s3_folder(text: str, option: str) -> S3Location:
    """An s3://bucket[/prefix] URI whose prefix is safe to put in a location or SQL string."""
    if not text.startswith("s3://"):
        raise InvalidInput(f"{option} must be an s3://bucket/prefix URI, not '{text}'.")
    bucket, _, prefix = text[len("s3://") :].partition("/")
    if not BUCKET_RE.match(bucket) or ".." in bucket:
        raise InvalidInput(f"{option}: '{bucket}' is not a valid S3 bucket name.")
    prefix = prefix[:-1] if prefix.endswith("/") else prefix
    if len(prefix) > MAX_PREFIX_LENGTH:
        raise InvalidInput(f"{option}: the prefix is longer than {MAX_PREFIX_LENGTH} characters.")
    segments = prefix.split("/") if prefix else []
    for segment in segments:
        if not segment:
            raise InvalidInput(f"{option} must not contain an empty folder ('//'): '{text}'.")
        if not KEY_SEGMENT_RE.match(segment) or segment in {".", ".."}:
            raise InvalidInput(
                f"{option}: folder '{segment}' may only use letters, digits and !-_.*()=+."
            )
    return S3Location(bucket, prefix)


def parse_flow_logs_root(text: str) -> S3Location:
    """--location: the S3 folder that contains AWSLogs/."""
    root = parse_s3_folder(text, "--location")
    if root.prefix.rsplit("/", 1)[-1] == "AWSLogs":
        raise InvalidInput(
            "--location must be the folder that contains AWSLogs/, not AWSLogs itself."
        )
    return root


def parse_list(values: Iterable[str] | None) -> list[str]:
    """Comma-separated values, possibly from a repeated option, stripped and deduplicated."""
    items = [item.strip() for value in values or [] for item in value.split(",")]
    return list(dict.fromkeys(item for item in items if item))


def parse_accounts(values: Iterable[str] | None) -> tuple[str, ...]:
    accounts = parse_list(values)
    for account in accounts:
        if not ACCOUNT_RE.match(account):
            raise InvalidInput(f"--accounts: '{account}' is not a 12-digit AWS account id.")
    return tuple(sorted(accounts))


def parse_regions(values: Iterable[str] | None, option: str = "--regions") -> tuple[str, ...]:
    regions = parse_list(values)
    for region in regions:
        if not REGION_RE.match(region):
            raise InvalidInput(f"{option}: '{region}' is not an AWS region name like us-east-1.")
    return tuple(sorted(regions))


def parse_name(text: str, option: str) -> str:
    """A Glue database or table name (letters, digits, '_' or '-'), lowercased as Glue does."""
    name = (text or "").lower()
    if not NAME_RE.match(name):
        raise InvalidInput(
            f"{option} must be a Glue name of letters, digits, '_' or '-', not '{text}'."
        )
    return name


def validate(args: argparse.Namespace, today: dt.date | None = None) -> Options:
    """Check every argument; raise InvalidInput with one sentence on the first problem."""
    today = today or dt.datetime.now(dt.UTC).date()
    root = parse_flow_logs_root(args.location)
    database = parse_name(args.database, "--database")
    table = parse_name(args.table, "--table")
    start = parse_date(args.start, "--start")
    end = parse_date(args.end, "--end") if args.end else today
    if start > end:
        raise InvalidInput(f"--start {start} is after --end {end}.")
    accounts = parse_accounts(args.accounts)
    regions = parse_regions(args.regions)
    if not 1 <= args.batch_size <= GLUE_BATCH_LIMIT:
        raise InvalidInput(f"--batch-size must be between 1 and {GLUE_BATCH_LIMIT}.")
    if not 1 <= args.workers <= 64:
        raise InvalidInput("--workers must be between 1 and 64.")
    if args.query_timeout <= 0:
        raise InvalidInput("--query-timeout must be a positive number of seconds.")
    if not WORKGROUP_RE.match(args.workgroup or ""):
        raise InvalidInput(f"--workgroup '{args.workgroup}' is not a valid Athena work group name.")
    output_location = None
    if args.output_location:
        output_location = parse_s3_folder(args.output_location, "--output-location").uri()
    if args.via != "athena" and output_location:
        raise InvalidInput("--output-location only applies with --via athena.")
    if args.region:
        parse_regions([args.region], "--region")
    if args.profile is not None and not args.profile.strip():
        raise InvalidInput("--profile must not be empty.")
    return Options(
        root=root,
        database=database,
        table=table,
        start=start,
        end=end,
        accounts=accounts,
        regions=regions,
        via=args.via,
        workgroup=args.workgroup,
        output_location=output_location,
        dry_run=args.dry_run,
        quiet=args.quiet,
        batch_size=args.batch_size,
        workers=args.workers,
        query_timeout=args.query_timeout,
        profile=args.profile,
        region=args.region,
        prefixes=args.prefixes,
    )


# ----------------------------------------------------------------------- discovery


def list_subfolders(s3: Any, bucket: str, prefix: str) -> list[str]:
    """Names of the 'folders' directly under `prefix` (one delimited listing, paginated)."""
    names: list[str] = []
    paginator = s3.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix, Delimiter="/"):
        for common in page.get("CommonPrefixes", []):
            names.append(common["Prefix"][len(prefix) :].rstrip("/"))
    return names


def region_folder(account: str, region: str, *, hive: bool = False) -> tuple[str, ...]:
    """AWSLogs/<account>/vpcflowlogs/<region>, or its Hive-compatible spelling."""
    if hive:
        return ("AWSLogs", f"aws-account-id={account}", "aws-service=vpcflowlogs",
                f"aws-region={region}")
    return ("AWSLogs", account, "vpcflowlogs", region)


def _hive_value(name: str, key: str, hive: bool) -> str | None:
    """A folder name's value: `name` itself, or under Hive-compatible prefixes the
    value of `key=value` (None when the folder is not `key=...`)."""
    if not hive:
        return name
    return name.removeprefix(f"{key}=") if name.startswith(f"{key}=") else None


def list_accounts(s3: Any, root: S3Location, *, hive: bool = False) -> list[str]:
    """12-digit account folders under AWSLogs/ (other folders are ignored)."""
    found = list_subfolders(s3, root.bucket, root.key("AWSLogs"))
    values = (_hive_value(name, "aws-account-id", hive) for name in found)
    return sorted(value for value in values if value and ACCOUNT_RE.match(value))


def list_regions(s3: Any, root: S3Location, account: str, *, hive: bool = False) -> list[str]:
    """Region folders under AWSLogs/<account>/vpcflowlogs/ (or its Hive spelling)."""
    found = list_subfolders(s3, root.bucket, root.key(*region_folder(account, "", hive=hive)[:3]))
    values = (_hive_value(name, "aws-region", hive) for name in found)
    return sorted(value for value in values if value and REGION_RE.match(value))


def list_days(
    s3: Any, root: S3Location, account: str, region: str, start: dt.date, end: dt.date,
    *, hive: bool = False,
) -> list[dt.date]:
    """Existing day folders of one account and region within [start, end].

    Lists years, then months, then days, pruning by the date range at each level:
    about one request per month in range that has data, never one per object.
    """
    base = region_folder(account, region, hive=hive)
    days: list[dt.date] = []
    for year_folder in list_subfolders(s3, root.bucket, root.key(*base)):
        year_name = _hive_value(year_folder, "year", hive) or ""
        if not re.fullmatch(r"[0-9]{4}", year_name) or not start.year <= int(year_name) <= end.year:
            continue
        year = int(year_name)
        for month_folder in list_subfolders(s3, root.bucket, root.key(*base, year_folder)):
            month_name = _hive_value(month_folder, "month", hive) or ""
            if not re.fullmatch(r"[0-9]{2}", month_name) or not 1 <= int(month_name) <= 12:
                continue
            month = int(month_name)
            if not (start.year, start.month) <= (year, month) <= (end.year, end.month):
                continue
            prefix = root.key(*base, year_folder, month_folder)
            for day_folder in list_subfolders(s3, root.bucket, prefix):
                day_name = _hive_value(day_folder, "day", hive) or ""
                if not re.fullmatch(r"[0-9]{2}", day_name):
                    continue
                try:
                    day = dt.date(year, month, int(day_name))
                except ValueError:
                    continue
                if start <= day <= end:
                    days.append(day)
    return sorted(days)


def discover_partitions(
    s3: Any,
    root: S3Location,
    start: dt.date,
    end: dt.date,
    accounts: Sequence[str] = (),
    regions: Sequence[str] = (),
    *,
    workers: int = 8,
    progress: bool = False,
    hive: bool = False,
) -> list[Partition]:
    """Every existing account/region/day folder in range, as partitions, sorted.

    With `accounts`, only those accounts are looked at (AWSLogs/ is not listed);
    with `regions`, only those regions are kept. `hive`: the folders are spelled
    with Hive-compatible prefixes (`aws-account-id=...`).
    """
    account_list = list(accounts) or list_accounts(s3, root, hive=hive)
    pairs = [
        (account, region)
        for account in account_list
        for region in list_regions(s3, root, account, hive=hive)
        if not regions or region in regions
    ]
    partitions: list[Partition] = []
    with (
        ThreadPoolExecutor(max_workers=max(1, min(workers, len(pairs) or 1))) as pool,
        tqdm(
            total=len(pairs),
            desc="Listing days",
            unit="region",
            disable=not progress,
            file=sys.stderr,
        ) as bar,
    ):
        futures = {
            pool.submit(list_days, s3, root, account, region, start, end, hive=hive):
                (account, region)
            for account, region in pairs
        }
        for future in as_completed(futures):
            account, region = futures[future]
            partitions.extend(Partition(account, region, day, hive=hive)
                              for day in future.result())
            bar.update(1)
    return sorted(partitions)


# ------------------------------------------------------------------------ glue


def load_table(glue: Any, database: str, table: str) -> TableInfo:
    """The Glue table, checked to be the classic raw table this script can fill."""
    try:
        found = glue.get_table(DatabaseName=database, Name=table)["Table"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "EntityNotFoundException":
            raise BackfillError(
                f"Glue table {database}.{table} does not exist (create the classic raw table "
                "first: dbt run-operation create_raw_flow_logs_table --args "
                "'{projection: false, identifier: ...}')."
            ) from None
        raise
    keys = [key["Name"] for key in found.get("PartitionKeys", [])]
    if sorted(keys) != sorted(PARTITION_KEYS):
        raise BackfillError(
            f"Glue table {database}.{table} is partitioned by {keys or 'nothing'}; this script "
            f"registers partitions of tables partitioned by exactly {list(PARTITION_KEYS)}."
        )
    not_strings = [key["Name"] for key in found["PartitionKeys"] if key.get("Type") != "string"]
    if not_strings:
        raise BackfillError(f"Partition keys {not_strings} of {database}.{table} must be strings.")
    if str(found.get("Parameters", {}).get("projection.enabled", "")).lower() == "true":
        raise BackfillError(
            f"Glue table {database}.{table} uses partition projection, which ignores registered "
            "partitions: pass the classic (non-projected) table."
        )
    descriptor = found.get("StorageDescriptor") or {}
    return TableInfo(
        database=database,
        name=table,
        key_order=tuple(keys),
        storage_descriptor=descriptor,
        location=str(descriptor.get("Location", "")),
    )


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def registered_partitions(
    glue: Any,
    table: TableInfo,
    partitions: Sequence[Partition],
    *,
    backoff: Backoff | None = None,
) -> dict[Partition, str]:
    """Which of `partitions` are registered already, with their current location.

    Keys Glue leaves unprocessed (throttling) are asked again with backoff; any
    still unknown are treated as missing (creating them then reports
    AlreadyExistsException, which is counted as already present).
    """
    backoff = backoff or Backoff()
    by_values = {tuple(table.values(partition)): partition for partition in partitions}
    found: dict[Partition, str] = {}
    for batch in chunks(list(by_values), GLUE_GET_LIMIT):
        pending = [{"Values": list(values)} for values in batch]
        for attempt in range(backoff.attempts):
            response = glue.batch_get_partition(
                DatabaseName=table.database, TableName=table.name, PartitionsToGet=pending
            )
            for item in response.get("Partitions", []):
                partition = by_values.get(tuple(item["Values"]))
                if partition is not None:
                    found[partition] = item.get("StorageDescriptor", {}).get("Location", "")
            pending = response.get("UnprocessedKeys") or []
            if not pending or attempt + 1 == backoff.attempts:
                break
            backoff.sleep(attempt)
    return found


def partition_input(table: TableInfo, partition: Partition, root: S3Location) -> dict[str, Any]:
    """A Glue PartitionInput: the table's storage descriptor with the day folder as location."""
    descriptor = copy.deepcopy(table.storage_descriptor)
    descriptor["Location"] = partition.location(root)
    return {"Values": table.values(partition), "StorageDescriptor": descriptor}


def create_partitions_glue(
    glue: Any,
    table: TableInfo,
    partitions: Sequence[Partition],
    root: S3Location,
    *,
    batch_size: int = GLUE_BATCH_LIMIT,
    backoff: Backoff | None = None,
    progress: bool = False,
) -> Outcome:
    """Register `partitions` with BatchCreatePartition, at most `batch_size` a call.

    Whole-call throttling and 5xx are retried by botocore. Glue also reports
    throttling per partition in the response's ``Errors``: those partitions are
    sent again, with bounded exponential backoff and jitter.
    """
    backoff = backoff or Backoff()
    outcome = Outcome()
    size = max(1, min(batch_size, GLUE_BATCH_LIMIT))
    with tqdm(
        total=len(partitions),
        desc="Creating partitions",
        unit="partition",
        disable=not progress,
        file=sys.stderr,
    ) as bar:
        for batch in chunks(partitions, size):
            pending = list(batch)
            for attempt in range(backoff.attempts):
                by_values = {tuple(table.values(partition)): partition for partition in pending}
                try:
                    response = glue.batch_create_partition(
                        DatabaseName=table.database,
                        TableName=table.name,
                        PartitionInputList=[partition_input(table, p, root) for p in pending],
                    )
                except (ClientError, BotoCoreError) as error:
                    reason = describe_error(error)
                    outcome.failed.extend((partition, reason) for partition in pending)
                    bar.update(len(pending))
                    break
                errored: set[Partition] = set()
                retry: list[Partition] = []
                for entry in response.get("Errors", []):
                    partition = by_values.get(tuple(entry.get("PartitionValues", [])))
                    if partition is None:
                        continue
                    errored.add(partition)
                    detail = entry.get("ErrorDetail", {})
                    code = detail.get("ErrorCode", "Unknown")
                    if code == "AlreadyExistsException":
                        outcome.already_present.append(partition)
                    elif code in RETRYABLE_PARTITION_ERRORS and attempt + 1 < backoff.attempts:
                        retry.append(partition)
                    else:
                        reason = f"{code}: {detail.get('ErrorMessage', '')}".strip()
                        if code in RETRYABLE_PARTITION_ERRORS:
                            reason += f" (after {backoff.attempts} attempts)"
                        outcome.failed.append((partition, reason))
                done = [partition for partition in pending if partition not in errored]
                outcome.created.extend(done)
                bar.update(len(pending) - len(retry))
                if not retry:
                    break
                backoff.sleep(attempt)
                pending = retry
    return outcome


# ---------------------------------------------------------------------- athena


def quote_identifier(name: str) -> str:
    """A Hive identifier in backticks; only for names that passed validation."""
    if not NAME_RE.match(name):
        raise ValueError(f"Refusing to quote identifier {name!r}.")
    return f"`{name}`"


def sql_literal(value: str) -> str:
    """A SQL string literal; only for values made of safe characters (no quote, no backslash)."""
    if not SQL_LITERAL_RE.match(value):
        raise ValueError(f"Refusing to put {value!r} in SQL.")
    return f"'{value}'"


def add_partitions_sql(table: TableInfo, partitions: Sequence[Partition], root: S3Location) -> str:
    """ALTER TABLE `db`.`table` ADD IF NOT EXISTS PARTITION (...) LOCATION '...' ..."""
    lines = [
        f"ALTER TABLE {quote_identifier(table.database)}.{quote_identifier(table.name)} "
        "ADD IF NOT EXISTS"
    ]
    for partition in partitions:
        spec = ", ".join(
            f"{key} = {sql_literal(value)}"
            for key, value in zip(table.key_order, table.values(partition), strict=True)
        )
        lines.append(f"  PARTITION ({spec}) LOCATION {sql_literal(partition.location(root))}")
    return "\n".join(lines)


def wait_for_query(
    athena: Any, query_id: str, *, timeout: float, first_poll: float = 0.2, max_poll: float = 5.0
) -> tuple[str, str]:
    """Poll an Athena query until it ends; (state, reason). Stops it on timeout."""
    deadline = time.monotonic() + timeout
    poll = first_poll
    while True:
        status = athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]["Status"]
        state = status.get("State", "UNKNOWN")
        if state in ATHENA_FINAL_STATES:
            return state, status.get("StateChangeReason", "")
        if time.monotonic() >= deadline:
            with contextlib.suppress(ClientError, BotoCoreError):
                athena.stop_query_execution(QueryExecutionId=query_id)
            return "TIMED_OUT", f"did not finish within {timeout:g} s and was stopped"
        time.sleep(poll)
        poll = min(max_poll, poll * 1.5)


def create_partitions_athena(
    athena: Any,
    table: TableInfo,
    partitions: Sequence[Partition],
    root: S3Location,
    *,
    workgroup: str = "primary",
    output_location: str | None = None,
    batch_size: int = GLUE_BATCH_LIMIT,
    query_timeout: float = 600.0,
    progress: bool = False,
) -> Outcome:
    """Register `partitions` with one awaited ALTER TABLE ADD statement per batch."""
    outcome = Outcome()
    request: dict[str, Any] = {
        "QueryExecutionContext": {"Database": table.database},
        "WorkGroup": workgroup,
    }
    if output_location:
        request["ResultConfiguration"] = {"OutputLocation": output_location}
    with tqdm(
        total=len(partitions),
        desc="Adding partitions",
        unit="partition",
        disable=not progress,
        file=sys.stderr,
    ) as bar:
        for batch in chunks(partitions, max(1, batch_size)):
            sql = add_partitions_sql(table, batch, root)
            try:
                query_id = athena.start_query_execution(QueryString=sql, **request)[
                    "QueryExecutionId"
                ]
                state, reason = wait_for_query(athena, query_id, timeout=query_timeout)
            except (ClientError, BotoCoreError) as error:
                outcome.failed.extend((partition, describe_error(error)) for partition in batch)
            else:
                if state == "SUCCEEDED":
                    outcome.created.extend(batch)
                else:
                    why = f"Athena query {query_id} {state}: {reason}".strip().rstrip(":")
                    outcome.failed.extend((partition, why) for partition in batch)
            bar.update(len(batch))
    return outcome


# ------------------------------------------------------------------------ report


def plan_lines(options: Options, table: TableInfo) -> list[str]:
    """The header of a run: what will be looked at and how."""
    days = (options.end - options.start).days + 1
    via = (
        f"Athena (work group {options.workgroup}, statements of up to {options.batch_size} "
        "partitions)"
        if options.via == "athena"
        else f"Glue BatchCreatePartition (batches of up to {options.batch_size})"
    )
    lines = [
        f"Plan{' (dry run)' if options.dry_run else ''}: register day partitions of "
        f"{table.database}.{table.name}",
        f"  location  {options.root.uri('AWSLogs')}"
        + (" (Hive-compatible prefixes)" if options.prefixes == "hive" else ""),
        f"  days      {options.start} .. {options.end} ({days} day{'s' if days != 1 else ''})",
        f"  accounts  {', '.join(options.accounts) or 'all'}",
        f"  regions   {', '.join(options.regions) or 'all'}",
        f"  via       {via}",
    ]
    expected = options.root.uri("AWSLogs")
    if table.location and table.location.rstrip("/") + "/" != expected:
        lines.append(
            f"  note      the table's location is {table.location}; "
            f"partitions will point under {expected}"
        )
    return lines


def found_lines(partitions: Sequence[Partition], registered: dict[Partition, str]) -> list[str]:
    """One line per account and region: days found, how many are registered, first and last."""
    if not partitions:
        return ["Found no day folders in range."]
    groups: dict[tuple[str, str], list[Partition]] = {}
    for partition in partitions:
        groups.setdefault((partition.account, partition.region), []).append(partition)
    lines = [
        f"Found {len(partitions)} day folder{'s' if len(partitions) != 1 else ''} "
        f"in {len(groups)} account/region pair{'s' if len(groups) != 1 else ''}:",
        f"  {'account':<12}  {'region':<14}  {'days':>5}  {'registered':>10}  first       last",
    ]
    for (account, region), group in sorted(groups.items()):
        known = sum(1 for partition in group if partition in registered)
        lines.append(
            f"  {account:<12}  {region:<14}  {len(group):>5}  {known:>10}  "
            f"{group[0].date_value}  {group[-1].date_value}"
        )
    return lines


def summary_line(found: int, outcome: Outcome, missing: int, dry_run: bool) -> str:
    if dry_run:
        return (
            f"Summary (dry run, nothing changed): found {found}, created 0 (would create "
            f"{missing}), already present {len(outcome.already_present)}, failed 0."
        )
    return (
        f"Summary: found {found}, created {len(outcome.created)}, already present "
        f"{len(outcome.already_present)}, failed {len(outcome.failed)}."
    )


def print_lines(lines: Iterable[str], stream: TextIO) -> None:
    for line in lines:
        print(line, file=stream)


# -------------------------------------------------------------------------- run


def run(
    options: Options,
    *,
    s3: Any,
    glue: Any,
    athena: Any | None = None,
    out: TextIO | None = None,
    progress: bool = False,
    backoff: Backoff | None = None,
) -> int:
    """The whole backfill with ready clients; returns the exit code."""
    out = out or sys.stdout
    say: Callable[[Iterable[str]], None] = (
        (lambda lines: None) if options.quiet else (lambda lines: print_lines(lines, out))
    )
    table = load_table(glue, options.database, options.table)
    say(plan_lines(options, table))
    partitions = discover_partitions(
        s3,
        options.root,
        options.start,
        options.end,
        options.accounts,
        options.regions,
        workers=options.workers,
        progress=progress,
        hive=options.prefixes == "hive",
    )
    registered = registered_partitions(glue, table, partitions, backoff=backoff)
    missing = [partition for partition in partitions if partition not in registered]
    say(found_lines(partitions, registered))
    moved = sorted(
        (partition, location)
        for partition, location in registered.items()
        if location.rstrip("/") + "/" != partition.location(options.root)
    )
    if moved:  # printed even with --quiet: the table may not read what the user expects
        print_lines(
            [f"Warning: {len(moved)} registered partition(s) point elsewhere (left unchanged):"]
            + [f"  {partition.label()} -> {location}" for partition, location in moved[:10]],
            out,
        )
    outcome = Outcome(already_present=[p for p in partitions if p in registered])
    if missing:
        batches = -(-len(missing) // options.batch_size)
        unit = ("statement", "statements") if options.via == "athena" else ("batch", "batches")
        say([f"To create: {len(missing)} in {batches} {unit[batches != 1]}."])
    elif partitions:
        say([f"To create: nothing, all {len(partitions)} are registered."])
    if options.dry_run:
        say([f"  would create {partition.label()}" for partition in missing[:20]])
        if len(missing) > 20:
            say([f"  ... and {len(missing) - 20} more"])
        if missing and options.via == "athena":
            first = add_partitions_sql(table, missing[: options.batch_size], options.root)
            say(["First statement:", first])
        print(summary_line(len(partitions), outcome, len(missing), dry_run=True), file=out)
        return EXIT_OK
    if options.via == "athena":
        if athena is None:
            raise ValueError("an Athena client is needed with via='athena'")
        result = create_partitions_athena(
            athena,
            table,
            missing,
            options.root,
            workgroup=options.workgroup,
            output_location=options.output_location,
            batch_size=options.batch_size,
            query_timeout=options.query_timeout,
            progress=progress,
        )
    else:
        result = create_partitions_glue(
            glue,
            table,
            missing,
            options.root,
            batch_size=options.batch_size,
            backoff=backoff,
            progress=progress,
        )
    outcome.created.extend(result.created)
    outcome.already_present.extend(result.already_present)
    outcome.failed.extend(result.failed)
    if outcome.failed:
        reasons = Counter(reason for _, reason in outcome.failed)
        print(f"Failed: {len(outcome.failed)} partition(s):", file=out)
        for partition, reason in outcome.failed[:10]:
            print(f"  {partition.label()}: {reason}", file=out)
        if len(outcome.failed) > 10:
            more = len(outcome.failed) - 10
            print(f"  ... and {more} more ({len(reasons)} distinct reasons)", file=out)
    print(summary_line(len(partitions), outcome, len(missing), dry_run=False), file=out)
    return EXIT_FAILED if outcome.failed else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.backfill_partitions",
        description=(
            "Register one Glue partition per existing account/region/day folder of VPC flow "
            "logs in S3, for the classic (non-projected) raw table. Skips partitions that "
            "exist; a second run creates nothing."
        ),
        epilog=(
            "Exit status: 0 success, 1 AWS failure or partitions not registered, 2 invalid "
            "input (nothing was sent to AWS). Honors AWS_PROFILE, AWS_REGION, "
            "AWS_ENDPOINT_URL, AWS_MAX_ATTEMPTS and AWS_RETRY_MODE."
        ),
    )
    parser.add_argument(
        "--location",
        required=True,
        metavar="S3_URI",
        help="the s3://bucket/prefix folder that contains AWSLogs/",
    )
    parser.add_argument("--database", required=True, help="Glue database of the table")
    parser.add_argument("--table", required=True, help="the classic (non-projected) raw table")
    parser.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="first day (UTC)")
    parser.add_argument(
        "--end", metavar="YYYY-MM-DD", help="last day, inclusive (default: today, UTC)"
    )
    parser.add_argument(
        "--accounts",
        action="append",
        metavar="ID[,ID...]",
        help="only these 12-digit account ids (comma-separated, repeatable)",
    )
    parser.add_argument(
        "--regions",
        action="append",
        metavar="REGION[,REGION...]",
        help="only these regions (comma-separated, repeatable)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="only read: print what would be created"
    )
    parser.add_argument(
        "--prefixes",
        choices=("default", "hive"),
        default="default",
        help="the key layout of the flow log: default (AWSLogs/<account>/vpcflowlogs/...) "
        "or hive (Hive-compatible prefixes, AWSLogs/aws-account-id=<account>/...)",
    )
    parser.add_argument(
        "--via",
        choices=("glue", "athena"),
        default="glue",
        help="register through the Glue API (default) or Athena ALTER TABLE statements",
    )
    parser.add_argument(
        "--workgroup", default="primary", help="Athena work group, with --via athena"
    )
    parser.add_argument(
        "--output-location",
        metavar="S3_URI",
        help="s3:// folder for Athena query results, with --via athena (default: the work group's)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=GLUE_BATCH_LIMIT,
        metavar="N",
        help=f"partitions per Glue call or Athena statement (1-{GLUE_BATCH_LIMIT}, "
        f"default {GLUE_BATCH_LIMIT})",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=8,
        metavar="N",
        help="parallel S3 listings during discovery (default 8)",
    )
    parser.add_argument(
        "--query-timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="give up on (and stop) an Athena statement after this long (default 600)",
    )
    parser.add_argument("--profile", help="AWS profile (default: the standard chain)")
    parser.add_argument("--region", help="AWS region of Glue and Athena (default: configured)")
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bars and no plan: only the summary"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse and validate arguments, create the clients once, run; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        options = validate(args)
        session = make_session(options.profile, options.region)
        s3 = make_client(session, "s3")
        glue = make_client(session, "glue")
        athena = make_client(session, "athena") if options.via == "athena" else None
    except (InvalidInput, AwsSetupError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INVALID
    progress = not options.quiet and sys.stderr.isatty()
    try:
        return run(options, s3=s3, glue=glue, athena=athena, progress=progress)
    except BackfillError as error:
        print(f"error: {error}", file=sys.stderr)
    except ClientError as error:
        print(f"error: AWS refused: {describe_error(error)}", file=sys.stderr)
    except BotoCoreError as error:
        print(f"error: AWS request failed: {describe_error(error)}", file=sys.stderr)
    return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
