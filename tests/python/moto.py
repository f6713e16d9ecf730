"""A local moto server for AWS APIs as a context manager, for tests that run dbt
(the Athena target) or other subprocesses against it; the pytest fixtures for boto3
code are in `moto_server.py`, which starts and stops the server for both."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.python.moto_server import start_moto_server, stop

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@contextmanager
def moto_server() -> Iterator[str]:
    """Start a moto server on a free local port; yield its endpoint URL."""
    with tempfile.TemporaryDirectory(prefix="moto-") as folder:
        process, endpoint = start_moto_server(Path(folder) / "moto.log")
        try:
            yield endpoint
        finally:
            stop(process)


def aws_env(endpoint: str) -> dict[str, str]:
    """Environment variables pointing boto3 and dbt-athena at the moto server."""
    return {**FAKE_CREDENTIALS, "AWS_ENDPOINT_URL": endpoint,
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
