"""Pytest fixtures: a real moto server over HTTP for boto3 code under test.

Import the fixtures explicitly in a test module::

    from tests.python.moto_server import moto_endpoint, moto_server  # noqa: F401

- ``moto_server`` (session): starts ``python -m moto.server`` on a free port of
  127.0.0.1 as a subprocess, waits until it answers, yields its URL and stops it
  at the end of the session. Its log goes to a file in pytest's temp folder.
- ``moto_endpoint`` (function): resets all moto state (``POST /moto-api/reset``),
  points the standard AWS configuration at the server through ``monkeypatch``
  (``AWS_ENDPOINT_URL``, fake credentials, ``AWS_DEFAULT_REGION``, no config
  files, no profile) and yields the URL. Code under test then needs no
  endpoint argument: boto3 finds the server like it would find AWS.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REGION = "us-east-1"
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "moto-test-access-key",
    "AWS_SECRET_ACCESS_KEY": "moto-test-secret-key-never-printed",
}
# Variables of the standard AWS configuration that would point boto3 elsewhere.
CLEARED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_REGION",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_MAX_ATTEMPTS",
    "AWS_RETRY_MODE",
)
STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(endpoint: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Poll the server's management API until it answers, or fail."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310
                return
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"moto server exited with {process.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"moto server did not answer within {timeout:g} s") from None
            time.sleep(0.1)


def start_moto_server(log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start a moto server subprocess; return it and its endpoint once it answers."""
    for _ in range(3):  # another process may take the free port before moto binds it
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}"
        env = {**os.environ, **FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": REGION}
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        try:
            wait_until_up(endpoint, process, STARTUP_TIMEOUT)
            return process, endpoint
        except RuntimeError:
            stop(process)
    raise RuntimeError(f"could not start a moto server; see {log_path}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server, killing it if it does not stop within 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def reset(endpoint: str) -> None:
    """Forget every resource moto holds (all services, all accounts)."""
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310
        pass


def set_aws_environment(monkeypatch: pytest.MonkeyPatch, endpoint: str) -> None:
    """Point the standard AWS configuration at `endpoint`, with fake credentials."""
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL_"):
            monkeypatch.delenv(name)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    no_proxy = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))
    monkeypatch.setenv("NO_PROXY", no_proxy)
    monkeypatch.setenv("no_proxy", no_proxy)


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a moto server running for the whole session."""
    log_path = tmp_path_factory.mktemp("moto") / "moto_server.log"
    process, endpoint = start_moto_server(log_path)
    try:
        yield endpoint
    finally:
        stop(process)


@pytest.fixture
def moto_endpoint(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A freshly reset moto server, with the AWS environment pointing at it."""
    reset(moto_server)
    set_aws_environment(monkeypatch, moto_server)
    yield moto_server
