"""vpc_flow_logs/backfill_partitions.py against a moto server over HTTP.

The script's own functions are never patched. Faults (throttling, 5xx, per-partition
errors, failed Athena queries) come from `FaultProxy`, a small HTTP forwarder put
in front of moto through AWS_ENDPOINT_URL, which also records every request.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.client
import io
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
import sqlglot

from tests.python.dbt_runner import REPO
from tests.python.moto_server import (  # noqa: F401 - pytest fixtures
    FAKE_CREDENTIALS,
    free_port,
    moto_endpoint,
    moto_server,
)
from vpc_flow_logs import backfill_partitions as bp
from vpc_flow_logs.aws import Backoff

BUCKET = "flow-logs-archive"
PREFIX = "org/vpc"
DATABASE = "flow_logs"
TABLE = "raw_flow_logs_classic"
RANGE = ("2023-12-30", "2024-03-03")
A, B, C, D = "111111111111", "222222222222", "333333333333", "444444444444"
KEYS = ["account_partition", "region_partition", "date_partition"]
DESCRIPTOR = {
    "Columns": [{"Name": "line", "Type": "string"}],
    "Location": f"s3://{BUCKET}/{PREFIX}/AWSLogs/",
    "InputFormat": "org.apache.hadoop.mapred.TextInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
    "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.serde2.RegexSerDe",
        "Parameters": {"input.regex": "^(.*)$"},
    },
}

# (account, region, day, hours): hours None = daily layout, else .../DD/HH/ folders.
DAYS: list[tuple[str, str, str, list[int] | None]] = [
    (A, "us-east-1", "2024-02-27", None),
    (A, "us-east-1", "2024-02-28", None),
    (A, "us-east-1", "2024-02-29", None),  # leap day
    (A, "us-east-1", "2024-03-01", None),  # across a month end
    (A, "us-east-1", "2024-03-10", None),  # after the range
    (A, "eu-west-1", "2024-02-28", None),  # gap: 02-29 and 03-01 missing
    (A, "eu-west-1", "2024-03-02", None),
    (B, "us-east-1", "2024-02-28", [0, 13]),  # hourly partitioned account
    (B, "us-east-1", "2024-03-01", [23]),
    (C, "ap-southeast-2", "2023-12-29", None),  # before the range
    (C, "ap-southeast-2", "2023-12-31", None),  # across a year end
    (C, "ap-southeast-2", "2024-01-01", None),
]
EXPECTED = {
    (A, "us-east-1", "2024/02/27"),
    (A, "us-east-1", "2024/02/28"),
    (A, "us-east-1", "2024/02/29"),
    (A, "us-east-1", "2024/03/01"),
    (A, "eu-west-1", "2024/02/28"),
    (A, "eu-west-1", "2024/03/02"),
    (B, "us-east-1", "2024/02/28"),
    (B, "us-east-1", "2024/03/01"),
    (C, "ap-southeast-2", "2023/12/31"),
    (C, "ap-southeast-2", "2024/01/01"),
}
# Objects that are not flow log day folders of the table and must be ignored.
NOISE = [
    f"{PREFIX}/AWSLogs/{A}/CloudTrail/us-east-1/2024/02/28/{A}_CloudTrail_us-east-1_x.json.gz",
    f"{PREFIX}/AWSLogs/{A}/vpcflowlogs/us-east-1/2024/02/notaday/x.log.gz",
    f"{PREFIX}/AWSLogs/{A}/vpcflowlogs/us-east-1/2024/02/31/x.log.gz",
    f"{PREFIX}/AWSLogs/aws-program-logs/vpcflowlogs/us-east-1/2024/02/28/x.log.gz",
    f"{PREFIX}/AWSLogs/{A}/vpcflowlogs/not_a_region/2024/02/28/x.log.gz",
    f"other/AWSLogs/{D}/vpcflowlogs/us-east-1/2024/02/28/x.log.gz",
    f"{PREFIX}/README.txt",
]


def location(account: str, region: str, date_value: str) -> str:
    return f"s3://{BUCKET}/{PREFIX}/AWSLogs/{account}/vpcflowlogs/{region}/{date_value}/"


def object_keys(account: str, region: str, day: str, hours: list[int] | None) -> list[str]:
    """Two objects per day (or per hour), named as AWS names them."""
    date = dt.date.fromisoformat(day)
    folders = [date.strftime("%Y/%m/%d")]
    if hours is not None:
        folders = [f"{folders[0]}/{hour:02d}" for hour in hours]
    keys = []
    for folder in folders:
        hour = int(folder[11:]) if hours is not None else 0
        for minute, digest in ((5, "a1b2c3d4"), (35, "e5f6a7b8")):
            stamp = f"{date:%Y%m%d}T{hour:02d}{minute:02d}Z"
            name = f"{account}_vpcflowlogs_{region}_fl-0123abcd_{stamp}_{digest}.log.gz"
            keys.append(f"{PREFIX}/AWSLogs/{account}/vpcflowlogs/{region}/{folder}/{name}")
    return keys


# --------------------------------------------------------------------- the world


@dataclass
class World:
    """Clients bound to moto directly (not through the proxy) and the test layout."""

    endpoint: str
    s3: Any
    glue: Any
    athena: Any

    def partitions(self, table: str = TABLE) -> dict[tuple[str, ...], dict[str, Any]]:
        paginator = self.glue.get_paginator("get_partitions")
        found = {}
        for page in paginator.paginate(DatabaseName=DATABASE, TableName=table):
            for partition in page["Partitions"]:
                found[tuple(partition["Values"])] = partition
        return found

    def put(self, keys: list[str]) -> None:
        for key in keys:
            self.s3.put_object(Bucket=BUCKET, Key=key, Body=b"version account-id\n")


@functools.cache
def shared_session() -> boto3.Session:
    """One session for the tests' own clients (it caches the service models)."""
    return boto3.Session(
        region_name="us-east-1",
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def make_clients(endpoint: str) -> tuple[Any, Any, Any]:
    """S3, Glue and Athena clients bound to `endpoint` (moto or a proxy)."""
    session = shared_session()
    return tuple(session.client(name, endpoint_url=endpoint) for name in ("s3", "glue", "athena"))


@pytest.fixture
def world(moto_endpoint: str) -> World:  # noqa: F811
    s3, glue, athena = make_clients(moto_endpoint)
    state = World(moto_endpoint, s3, glue, athena)
    s3.create_bucket(Bucket=BUCKET)
    for account, region, day, hours in DAYS:
        state.put(object_keys(account, region, day, hours))
    state.put(NOISE)
    glue.create_database(DatabaseInput={"Name": DATABASE})
    glue.create_table(
        DatabaseName=DATABASE,
        TableInput={
            "Name": TABLE,
            "TableType": "EXTERNAL_TABLE",
            "StorageDescriptor": DESCRIPTOR,
            "PartitionKeys": [{"Name": key, "Type": "string"} for key in KEYS],
            "Parameters": {"classification": "vpcflowlogs", "compressionType": "gzip"},
        },
    )
    return state


def cli(*extra: str, start: str = RANGE[0], end: str = RANGE[1]) -> list[str]:
    return [
        "--location", f"s3://{BUCKET}/{PREFIX}",
        "--database", DATABASE,
        "--table", TABLE,
        "--start", start,
        "--end", end,
        *extra,
    ]  # fmt: skip


# ---------------------------------------------------------------- the fault proxy


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def operation(self) -> str:
        target = self.headers.get("x-amz-target")
        if target:
            return target.rsplit(".", 1)[-1]
        if self.method == "GET" and "list-type=2" in self.path:
            return "ListObjectsV2"
        return f"S3:{self.method}"

    @property
    def attempt(self) -> int:
        found = re.search(r"attempt=(\d+)", self.headers.get("amz-sdk-request", ""))
        return int(found.group(1)) if found else 0

    def json(self) -> dict[str, Any]:
        return json.loads(self.body or b"{}")


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> dict[str, Any]:
        return json.loads(self.body or b"{}")

    def with_json(self, payload: dict[str, Any]) -> Response:
        return replace(self, body=json.dumps(payload).encode())


@dataclass(frozen=True)
class Exchange:
    request: Request
    status: int
    injected: bool


Forward = Callable[[Request], Response]
Interceptor = Callable[[Request, Forward], Response]
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def json_error(status: int, error_type: str, message: str) -> Response:
    body = json.dumps({"__type": error_type, "message": message}).encode()
    headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": error_type}
    return Response(status, headers, body)


THROTTLED = json_error(400, "ThrottlingException", "Rate exceeded")
UNAVAILABLE = json_error(503, "ServiceUnavailableException", "Service is unavailable")
SLOW_DOWN = Response(
    503,
    {"Content-Type": "application/xml"},
    b"<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>SlowDown</Code>"
    b"<Message>Please reduce your request rate.</Message></Error>",
)


class FaultProxy:
    """A threaded HTTP forwarder to moto that records requests and can answer for it."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.interceptor: Interceptor | None = None
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def forward(self, request: Request) -> Response:
        connection = http.client.HTTPConnection(*self.upstream, timeout=30)
        try:
            headers = {k: v for k, v in request.headers.items() if k not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(request.body))
            connection.request(request.method, request.path, body=request.body, headers=headers)
            answer = connection.getresponse()
            body = answer.read()
            kept = {k: v for k, v in answer.getheaders() if k.lower() not in HOP_BY_HOP}
            return Response(answer.status, kept, body)
        finally:
            connection.close()

    def calls(self, operation: str) -> list[Exchange]:
        with self._lock:
            return [item for item in self.exchanges if item.request.operation == operation]

    def _handle(self, request: Request) -> Response:
        forwarded: list[bool] = []

        def forward(inner: Request) -> Response:
            forwarded.append(True)
            return self.forward(inner)

        interceptor = self.interceptor
        response = interceptor(request, forward) if interceptor else forward(request)
        with self._lock:
            self.exchanges.append(Exchange(request, response.status, injected=not forwarded))
        return response

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {key.lower(): value for key, value in self.headers.items()}
                response = proxy._handle(Request(self.command, self.path, headers, body))
                self.send_response(response.status)
                for key, value in response.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

        return Handler


@pytest.fixture
def proxy(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FaultProxy]:  # noqa: F811
    """A FaultProxy in front of moto; the script's clients (from main) go through it."""
    forwarder = FaultProxy(moto_endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL", forwarder.url)
    yield forwarder
    forwarder.close()


def fail_first(plan: dict[str, list[Response]]) -> Interceptor:
    """Answer the first requests of each operation with the canned responses, in order."""
    queues = {operation: list(responses) for operation, responses in plan.items()}
    lock = threading.Lock()

    def intercept(request: Request, forward: Forward) -> Response:
        with lock:
            queue = queues.get(request.operation)
            canned = queue.pop(0) if queue else None
        return canned if canned is not None else forward(request)

    return intercept


def partition_errors(code: str, pick: Callable[[list[list[str]]], list[list[str]]], times: int):
    """For the first `times` BatchCreatePartition calls, hold back the partitions `pick`
    chooses (moto never sees them) and report them in `Errors` with `code`, as Glue does."""
    remaining = [times]

    def intercept(request: Request, forward: Forward) -> Response:
        if request.operation != "BatchCreatePartition" or remaining[0] == 0:
            return forward(request)
        remaining[0] -= 1
        payload = request.json()
        held = pick([item["Values"] for item in payload["PartitionInputList"]])
        payload["PartitionInputList"] = [
            item for item in payload["PartitionInputList"] if item["Values"] not in held
        ]
        response = forward(replace(request, body=json.dumps(payload).encode()))
        answer = response.json()
        answer.setdefault("Errors", []).extend(
            {"PartitionValues": values, "ErrorDetail": {"ErrorCode": code, "ErrorMessage": code}}
            for values in held
        )
        return response.with_json(answer)

    return intercept


# ------------------------------------------------------------------------ helpers


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = bp.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_no_secrets(*texts: str) -> None:
    for text in texts:
        for secret in FAKE_CREDENTIALS.values():
            assert secret not in text


def summary(out: str) -> str:
    return next(line for line in out.splitlines() if line.startswith("Summary"))


# -------------------------------------------------------------------- glue path


def test_registers_exactly_the_existing_day_folders(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(cli(), capsys)

    assert code == 0, out + err
    partitions = world.partitions()
    assert set(partitions) == EXPECTED
    table = world.glue.get_table(DatabaseName=DATABASE, Name=TABLE)["Table"]
    for values, partition in partitions.items():
        descriptor = partition["StorageDescriptor"]
        assert descriptor["Location"] == location(*values)
        assert {k: v for k, v in descriptor.items() if k != "Location"} == {
            k: v for k, v in table["StorageDescriptor"].items() if k != "Location"
        }
    # The hourly account's partitions are its DAY folders, which hold the hour folders.
    assert partitions[(B, "us-east-1", "2024/02/28")]["StorageDescriptor"]["Location"] == (
        f"s3://{BUCKET}/{PREFIX}/AWSLogs/{B}/vpcflowlogs/us-east-1/2024/02/28/"
    )
    assert summary(out) == "Summary: found 10, created 10, already present 0, failed 0."
    assert [len(call.request.json()["PartitionInputList"]) for call in proxy.calls(
        "BatchCreatePartition")] == [10]
    # Discovery is delimited listing, level by level: never an object listing.
    listings = proxy.calls("ListObjectsV2")
    assert listings and all("delimiter=%2F" in call.request.path for call in listings)
    assert_no_secrets(out, err)


def hive_key(account: str, region: str, day: str, hour: int | None) -> str:
    """An object under AWS's Hive-compatible prefixes (hourly when `hour` is set)."""
    date = dt.date.fromisoformat(day)
    folder = (f"aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
              f"year={date:%Y}/month={date:%m}/day={date:%d}/"
              + (f"hour={hour:02d}/" if hour is not None else ""))
    name = (f"{account}_vpcflowlogs_{region}_fl-0123abcd_{date:%Y%m%d}T{hour or 0:02d}05Z_"
            "a1b2c3d4.log.parquet")
    return f"{PREFIX}/AWSLogs/{folder}{name}"


def test_hive_compatible_prefixes_register_the_same_partitions_at_their_folders(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    """--prefixes hive lists aws-account-id=/aws-service=/aws-region=/year=/month=/day=
    folders; partitions keep the keys and values of the default layout, their locations
    are the Hive day folders (hour folders inside); default-layout folders are not
    looked at, nor Hive folders of another service or outside the range."""
    world.put([
        hive_key(D, "eu-west-1", "2024-02-28", None),
        hive_key(D, "eu-west-1", "2024-02-29", 7),
        hive_key(D, "eu-west-1", "2024-02-29", 8),
        hive_key(D, "eu-west-1", "2024-03-09", None),  # after the range
        hive_key(D, "us-west-2", "2024-01-02", 0),
        f"{PREFIX}/AWSLogs/aws-account-id={D}/aws-service=CloudTrail/aws-region=eu-west-1/"
        "year=2024/month=02/day=28/x.json.gz",
        f"{PREFIX}/AWSLogs/aws-account-id={D}/aws-service=vpcflowlogs/aws-region=eu-west-1/"
        "year=2024/month=02/day=30/x.log.gz",
    ])
    code, out, err = run_main(cli("--prefixes", "hive"), capsys)

    assert code == 0, out + err
    partitions = world.partitions()
    expected = {(D, "eu-west-1", "2024/02/28"), (D, "eu-west-1", "2024/02/29"),
                (D, "us-west-2", "2024/01/02")}
    assert set(partitions) == expected
    for (account, region, date_value), partition in partitions.items():
        year, month, day = date_value.split("/")
        assert partition["StorageDescriptor"]["Location"] == (
            f"s3://{BUCKET}/{PREFIX}/AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/"
            f"aws-region={region}/year={year}/month={month}/day={day}/")
    assert summary(out) == "Summary: found 3, created 3, already present 0, failed 0."
    assert "(Hive-compatible prefixes)" in out
    code, out, err = run_main(cli("--prefixes", "hive"), capsys)
    assert code == 0 and summary(out) == (
        "Summary: found 3, created 0, already present 3, failed 0."), out + err


def test_plan_and_summary_output(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    world.glue.batch_create_partition(
        DatabaseName=DATABASE,
        TableName=TABLE,
        PartitionInputList=[
            {
                "Values": [C, "ap-southeast-2", "2023/12/31"],
                "StorageDescriptor": {**DESCRIPTOR, "Location": location(C, "ap-southeast-2",
                                                                         "2023/12/31")},
            }
        ],
    )
    code, out, _ = run_main(cli(), capsys)

    assert code == 0
    assert out.splitlines() == [
        f"Plan: register day partitions of {DATABASE}.{TABLE}",
        f"  location  s3://{BUCKET}/{PREFIX}/AWSLogs/",
        "  days      2023-12-30 .. 2024-03-03 (65 days)",
        "  accounts  all",
        "  regions   all",
        "  via       Glue BatchCreatePartition (batches of up to 100)",
        "Found 10 day folders in 4 account/region pairs:",
        "  account       region           days  registered  first       last",
        f"  {A}  eu-west-1           2           0  2024/02/28  2024/03/02",
        f"  {A}  us-east-1           4           0  2024/02/27  2024/03/01",
        f"  {B}  us-east-1           2           0  2024/02/28  2024/03/01",
        f"  {C}  ap-southeast-2      2           1  2023/12/31  2024/01/01",
        "To create: 9 in 1 batch.",
        "Summary: found 10, created 9, already present 1, failed 0.",
    ]


def test_second_run_creates_nothing(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(cli(), capsys)[0] == 0
    before = world.partitions()
    proxy.exchanges.clear()

    code, out, err = run_main(cli("--quiet"), capsys)

    assert code == 0
    assert out == "Summary: found 10, created 0, already present 10, failed 0.\n"
    assert err == ""
    assert proxy.calls("BatchCreatePartition") == []
    assert world.partitions() == before


def test_dry_run_changes_nothing(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(cli("--dry-run"), capsys)

    assert code == 0
    assert world.partitions() == {}
    assert summary(out) == (
        "Summary (dry run, nothing changed): found 10, created 0 (would create 10), "
        "already present 0, failed 0."
    )
    assert f"  would create {B} us-east-1 2024/02/28" in out.splitlines()
    mutating = {"BatchCreatePartition", "CreatePartition", "StartQueryExecution", "S3:PUT"}
    assert not [call for call in proxy.exchanges if call.request.operation in mutating]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--accounts", A, "--regions", "us-east-1"], {p for p in EXPECTED if p[:2] == (
            A, "us-east-1")}),
        (["--regions", "us-east-1"], {p for p in EXPECTED if p[1] == "us-east-1"}),
        (["--accounts", f"{B},{C}"], {p for p in EXPECTED if p[0] in (B, C)}),
        (["--accounts", A, "--accounts", C, "--regions", "ap-southeast-2,eu-west-1"],
         {p for p in EXPECTED if p[1] in ("ap-southeast-2", "eu-west-1")}),
        (["--accounts", D], set()),
    ],
)
def test_filters(
    world: World,
    proxy: FaultProxy,
    capsys: pytest.CaptureFixture[str],
    filters: list[str],
    expected: set[tuple[str, str, str]],
) -> None:
    code, out, err = run_main(cli(*filters), capsys)

    assert code == 0, out + err
    assert set(world.partitions()) == expected


def test_date_range_is_inclusive(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run_main(cli(start="2024-02-28", end="2024-03-01"), capsys)

    assert code == 0
    assert set(world.partitions()) == {
        p for p in EXPECTED if "2024/02/28" <= p[2] <= "2024/03/01"
    }


def test_batches_hold_at_most_100_partitions(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(150)]
    for day in days:
        world.put(object_keys(D, "us-west-2", day.isoformat(), None)[:1])

    code, out, _ = run_main(cli("--accounts", D, start="2024-01-01", end="2024-12-31"), capsys)

    assert code == 0
    sizes = [len(c.request.json()["PartitionInputList"]) for c in proxy.calls(
        "BatchCreatePartition")]
    assert sizes == [100, 50]
    assert len(world.partitions()) == 150
    assert "To create: 150 in 2 batches." in out


def test_batch_size_option(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run_main(cli("--batch-size", "3"), capsys)

    assert code == 0
    sizes = [len(c.request.json()["PartitionInputList"]) for c in proxy.calls(
        "BatchCreatePartition")]
    assert sizes == [3, 3, 3, 1]
    assert set(world.partitions()) == EXPECTED


def test_partition_pointing_elsewhere_is_reported_and_left_alone(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    values = [A, "us-east-1", "2024/02/29"]
    elsewhere = "s3://somewhere-else/leap/"
    world.glue.create_partition(
        DatabaseName=DATABASE,
        TableName=TABLE,
        PartitionInput={"Values": values, "StorageDescriptor": {**DESCRIPTOR,
                                                                "Location": elsewhere}},
    )
    code, out, _ = run_main(cli(), capsys)

    assert code == 0
    assert f"  {A} us-east-1 2024/02/29 -> {elsewhere}" in out.splitlines()
    assert summary(out) == "Summary: found 10, created 9, already present 1, failed 0."
    assert world.partitions()[tuple(values)]["StorageDescriptor"]["Location"] == elsewhere


# ----------------------------------------------------------------------- retries


def test_throttling_and_5xx_are_retried(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy.interceptor = fail_first(
        {
            "ListObjectsV2": [SLOW_DOWN],
            "GetTable": [THROTTLED, UNAVAILABLE],
            "BatchGetPartition": [UNAVAILABLE],
            "BatchCreatePartition": [THROTTLED],
        }
    )
    code, out, err = run_main(cli(), capsys)

    assert code == 0, out + err
    assert set(world.partitions()) == EXPECTED
    get_table = proxy.calls("GetTable")
    assert [(c.status, c.injected, c.request.attempt) for c in get_table] == [
        (400, True, 1),
        (503, True, 2),
        (200, False, 3),
    ]
    for operation in ("BatchGetPartition", "BatchCreatePartition"):
        calls = proxy.calls(operation)
        assert [(c.injected, c.request.attempt) for c in calls] == [(True, 1), (False, 2)]
        assert calls[0].request.body == calls[1].request.body
    first_listing = proxy.calls("ListObjectsV2")[:2]
    assert [(c.status, c.request.attempt) for c in first_listing] == [(503, 1), (200, 2)]
    assert summary(out) == "Summary: found 10, created 10, already present 0, failed 0."


def test_per_partition_throttling_is_retried(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy.interceptor = partition_errors("ThrottlingException", lambda values: values[:3], 1)

    code, out, _ = run_main(cli(), capsys)

    assert code == 0
    assert set(world.partitions()) == EXPECTED
    calls = proxy.calls("BatchCreatePartition")
    assert [len(c.request.json()["PartitionInputList"]) for c in calls] == [10, 3]
    first = [p["Values"] for p in calls[0].request.json()["PartitionInputList"]][:3]
    assert [p["Values"] for p in calls[1].request.json()["PartitionInputList"]] == first
    assert summary(out) == "Summary: found 10, created 10, already present 0, failed 0."


def test_per_partition_retries_are_bounded(world: World, proxy: FaultProxy) -> None:
    proxy.interceptor = partition_errors("ThrottlingException", lambda values: values[:1], 99)
    s3, glue, _ = make_clients(proxy.url)
    table = bp.load_table(glue, DATABASE, TABLE)
    root = bp.S3Location(BUCKET, PREFIX)
    partitions = bp.discover_partitions(
        s3, root, dt.date(2024, 2, 27), dt.date(2024, 2, 28), [A], ["us-east-1"]
    )

    outcome = bp.create_partitions_glue(
        glue, table, partitions, root, backoff=Backoff(attempts=3, base=0.001)
    )

    assert [p.label() for p in outcome.created] == [f"{A} us-east-1 2024/02/28"]
    assert [(p.label(), reason) for p, reason in outcome.failed] == [
        (f"{A} us-east-1 2024/02/27", "ThrottlingException: ThrottlingException "
                                      "(after 3 attempts)")
    ]
    assert len(proxy.calls("BatchCreatePartition")) == 3


def test_partition_errors_fail_the_run(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    proxy.interceptor = partition_errors("InvalidInputException", lambda values: values[-1:], 1)

    code, out, _ = run_main(cli(), capsys)

    assert code == 1
    assert len(proxy.calls("BatchCreatePartition")) == 1  # not a transient error: no retry
    assert f"  {C} ap-southeast-2 2024/01/01: InvalidInputException: InvalidInputException" in (
        out.splitlines()
    )
    assert summary(out) == "Summary: found 10, created 9, already present 0, failed 1."


# ------------------------------------------------------------------ athena path


def expected_statement(partitions: list[tuple[str, str, str]]) -> str:
    lines = [f"ALTER TABLE `{DATABASE}`.`{TABLE}` ADD IF NOT EXISTS"]
    for account, region, date_value in partitions:
        lines.append(
            f"  PARTITION (account_partition = '{account}', region_partition = '{region}', "
            f"date_partition = '{date_value}') LOCATION '{location(account, region, date_value)}'"
        )
    return "\n".join(lines)


def parse_add_partitions(sql: str) -> tuple[str, list[tuple[dict[str, str], str]]]:
    """Check the statement's grammar token by token; return its table and partitions."""
    sqlglot.parse_one(sql, read="athena")  # must not raise
    tokens = [
        (token.token_type.name, token.text)
        for token in sqlglot.tokenize(sql, read="athena")
        if token.token_type.name != "HIVE_TOKEN_STREAM"
    ]
    head = [("ALTER", "ALTER"), ("TABLE", "TABLE")]
    assert tokens[:2] == head
    assert tokens[2][0] == "IDENTIFIER" and tokens[3] == ("DOT", ".")
    assert tokens[4][0] == "IDENTIFIER"
    table = f"{tokens[2][1]}.{tokens[4][1]}"
    assert [text.upper() for _, text in tokens[5:9]] == ["ADD", "IF", "NOT", "EXISTS"]
    rest, partitions = tokens[9:], []
    while rest:
        assert rest[0][0] == "PARTITION" and rest[1][0] == "L_PAREN", rest[:2]
        rest, spec = rest[2:], {}
        while True:
            (_, key), (eq, _), (kind, value), (sep, _) = rest[:4]
            assert eq == "EQ" and kind == "STRING" and sep in ("COMMA", "R_PAREN"), rest[:4]
            spec[key] = value
            rest = rest[4:]
            if sep == "R_PAREN":
                break
        assert rest[0][1].upper() == "LOCATION" and rest[1][0] == "STRING", rest[:2]
        partitions.append((spec, rest[1][1]))
        rest = rest[2:]
    return table, partitions


def athena_queries(world: World) -> list[dict[str, Any]]:
    ids = world.athena.list_query_executions()["QueryExecutionIds"]
    executions = [
        world.athena.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        for query_id in ids
    ]
    return sorted(executions, key=lambda item: item["Status"]["SubmissionDateTime"])


def test_via_athena_issues_batched_add_partition_statements(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_main(
        cli("--via", "athena", "--batch-size", "4", "--workgroup", "primary",
            "--output-location", "s3://athena-results/backfill"),
        capsys,
    )

    assert code == 0, out + err
    starts = proxy.calls("StartQueryExecution")
    assert len(starts) == 3
    for call in starts:
        request = call.request.json()
        assert request["WorkGroup"] == "primary"
        assert request["QueryExecutionContext"] == {"Database": DATABASE}
        assert request["ResultConfiguration"] == {"OutputLocation": "s3://athena-results/backfill/"}
    queries = [execution["Query"] for execution in athena_queries(world)]
    ordered = sorted(EXPECTED)
    assert queries == [
        expected_statement(ordered[0:4]),
        expected_statement(ordered[4:8]),
        expected_statement(ordered[8:10]),
    ]
    seen = []
    for sql in queries:
        table, partitions = parse_add_partitions(sql)
        assert table == f"{DATABASE}.{TABLE}"
        for spec, where in partitions:
            assert list(spec) == KEYS
            values = tuple(spec[key] for key in KEYS)
            assert where == location(*values)
            seen.append(values)
    assert sorted(seen) == ordered
    assert proxy.calls("BatchCreatePartition") == []  # moto's Athena does not run DDL
    assert summary(out) == "Summary: found 10, created 10, already present 0, failed 0."
    assert "To create: 10 in 3 statements." in out


def test_via_athena_skips_registered_and_dry_run_issues_nothing(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    registered = [A, "eu-west-1", "2024/02/28"]
    world.glue.create_partition(
        DatabaseName=DATABASE,
        TableName=TABLE,
        PartitionInput={"Values": registered, "StorageDescriptor": {
            **DESCRIPTOR, "Location": location(*registered)}},
    )
    code, out, _ = run_main(cli("--via", "athena", "--dry-run"), capsys)

    assert code == 0
    assert proxy.calls("StartQueryExecution") == []
    statement = out.split("First statement:\n", 1)[1].split("\nSummary", 1)[0]
    assert statement == expected_statement(sorted(EXPECTED - {tuple(registered)}))

    code, out, _ = run_main(cli("--via", "athena"), capsys)

    assert code == 0
    (query,) = [execution["Query"] for execution in athena_queries(world)]
    assert query == statement
    assert summary(out) == "Summary: found 10, created 9, already present 1, failed 0."


def test_via_athena_reports_failed_statements(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    first: list[str] = []

    def fail_first_query(request: Request, forward: Forward) -> Response:
        response = forward(request)
        if request.operation == "StartQueryExecution" and not first:
            first.append(response.json()["QueryExecutionId"])
        if request.operation == "GetQueryExecution" and request.json()["QueryExecutionId"] in first:
            payload = response.json()
            payload["QueryExecution"]["Status"].update(
                State="FAILED", StateChangeReason="FAILED: AccessDeniedException: no glue access"
            )
            return response.with_json(payload)
        return response

    proxy.interceptor = fail_first_query
    code, out, _ = run_main(cli("--via", "athena", "--batch-size", "4"), capsys)

    assert code == 1
    assert len(proxy.calls("StartQueryExecution")) == 3  # the other batches still ran
    reason = f"Athena query {first[0]} FAILED: FAILED: AccessDeniedException: no glue access"
    assert f"  {A} eu-west-1 2024/02/28: {reason}" in out.splitlines()
    assert summary(out) == "Summary: found 10, created 6, already present 0, failed 4."


def test_sql_builders_refuse_unsafe_text() -> None:
    with pytest.raises(ValueError):
        bp.sql_literal("it's")
    with pytest.raises(ValueError):
        bp.sql_literal("a\\b")
    with pytest.raises(ValueError):
        bp.quote_identifier("db`; drop table x; --")
    assert bp.sql_literal("s3://b/p/AWSLogs/") == "'s3://b/p/AWSLogs/'"


# ------------------------------------------------------- validation, before AWS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--start": "2024-03-05", "--end": "2024-03-01"}, "--start 2024-03-05 is after --end"),
        ({"--start": "2024-02-30"}, "--start '2024-02-30' is not a real calendar date."),
        ({"--end": "2024/03/01"}, "--end must be a date written YYYY-MM-DD"),
        ({"--location": "https://bucket/prefix"}, "--location must be an s3://bucket/prefix"),
        ({"--location": "s3://Bad_Bucket/prefix"}, "is not a valid S3 bucket name"),
        ({"--location": "s3://bucket/a//b"}, "must not contain an empty folder"),
        ({"--location": "s3://bucket/it's"}, "may only use letters, digits"),
        ({"--location": "s3://bucket/p/AWSLogs/"}, "not AWSLogs itself"),
        ({"--accounts": "12345"}, "'12345' is not a 12-digit AWS account id."),
        ({"--accounts": f"{A},12345678901a"}, "is not a 12-digit AWS account id."),
        ({"--regions": "us_east_1"}, "is not an AWS region name"),
        ({"--region": "mars"}, "--region: 'mars' is not an AWS region name"),
        ({"--database": "flow logs; drop"}, "--database must be a Glue name"),
        ({"--table": "t`x"}, "--table must be a Glue name"),
        ({"--batch-size": "101"}, "--batch-size must be between 1 and 100."),
        ({"--output-location": "s3://results/x"}, "--output-location only applies"),
        ({"--workgroup": "bad group"}, "is not a valid Athena work group name."),
        ({"--profile": "no-such-profile"}, "AWS profile 'no-such-profile' is not in"),
    ],
)
def test_invalid_input_exits_2_before_any_request(
    proxy: FaultProxy,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, str],
    message: str,
) -> None:
    args = cli()
    for option, value in change.items():
        if option in args:
            args[args.index(option) + 1] = value
        else:
            args += [option, value]

    code, out, err = run_main(args, capsys)

    assert code == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1, err
    assert out == ""
    assert proxy.exchanges == []


def test_missing_region_exits_2(
    proxy: FaultProxy, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    code, _, err = run_main(cli(), capsys)

    assert code == 2
    assert "No AWS region is configured" in err
    assert proxy.exchanges == []


def test_cli_process_validates_before_any_request(moto_endpoint: str) -> None:  # noqa: F811
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens: a request would fail
    env = {**os.environ, "AWS_ENDPOINT_URL": closed}
    process = subprocess.run(
        [sys.executable, "-m", "vpc_flow_logs.backfill_partitions", *cli(start="2024-02-30")],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert process.returncode == 2
    assert process.stderr == "error: --start '2024-02-30' is not a real calendar date.\n"
    assert process.stdout == ""


def test_cli_help() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "vpc_flow_logs.backfill_partitions", "--help"],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert process.returncode == 0
    assert process.stdout.startswith("usage: python -m vpc_flow_logs.backfill_partitions")
    for option in ("--location", "--dry-run", "--via", "--accounts", "--regions", "--end"):
        assert option in process.stdout


# ------------------------------------------------------------ AWS-side failures


def test_missing_table_projected_table_and_missing_bucket_exit_1(
    world: World, proxy: FaultProxy, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_main([*cli()[:4], "--table", "nope", *cli()[6:]], capsys)
    assert code == 1
    assert f"Glue table {DATABASE}.nope does not exist" in err

    world.glue.create_table(
        DatabaseName=DATABASE,
        TableInput={
            "Name": "projected",
            "StorageDescriptor": DESCRIPTOR,
            "PartitionKeys": [{"Name": key, "Type": "string"} for key in KEYS],
            "Parameters": {"projection.enabled": "true"},
        },
    )
    code, _, err = run_main([*cli()[:4], "--table", "projected", *cli()[6:]], capsys)
    assert code == 1
    assert "uses partition projection" in err

    code, out, err = run_main(["--location", "s3://no-such-bucket/vpc", *cli()[2:]], capsys)
    assert code == 1
    assert "NoSuchBucket" in err
    assert world.partitions() == {}
    assert_no_secrets(out, err)


def test_functions_accept_clients_and_show_progress(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    options = bp.validate(bp.build_parser().parse_args(cli()))
    out = io.StringIO()

    code = bp.run(options, s3=world.s3, glue=world.glue, out=out, progress=True)

    assert code == 0
    assert set(world.partitions()) == EXPECTED
    progress = capsys.readouterr().err
    assert "Listing days" in progress and "Creating partitions" in progress
    assert summary(out.getvalue()) == "Summary: found 10, created 10, already present 0, failed 0."
