"""Shared boto3 set-up for the command-line tools: one session, clients that retry politely.

Everything here honors the standard AWS configuration, so the tools behave like
the AWS CLI does:

- credentials and region from the usual chain (environment, ``AWS_PROFILE`` or
  ``--profile``, ``~/.aws/config``, instance or container roles);
- ``AWS_ENDPOINT_URL`` / ``AWS_ENDPOINT_URL_<SERVICE>`` or ``endpoint_url`` in a
  profile (this is how the tests point the tools at a local moto server);
- ``AWS_RETRY_MODE`` / ``AWS_MAX_ATTEMPTS`` (or ``retry_mode`` / ``max_attempts``
  in a profile). When ``max_attempts`` is not configured, clients get
  :data:`DEFAULT_MAX_ATTEMPTS` total attempts in botocore's ``standard`` retry mode,
  which retries throttling errors (``ThrottlingException``, ``SlowDown``, ...) and
  5xx responses with exponential backoff and full jitter, capped at 20 s a wait.

Nothing in this module makes a request: errors it raises (:class:`AwsSetupError`)
are configuration problems found before any call to AWS.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoRegionError, ProfileNotFound

USER_AGENT = "vpc-flow-logs-dbt"
DEFAULT_MAX_ATTEMPTS = 8

T = TypeVar("T")


class AwsSetupError(Exception):
    """The AWS configuration cannot work (unknown profile, no region): nothing was sent."""


def make_session(profile: str | None = None, region: str | None = None) -> boto3.Session:
    """A boto3 session from the standard configuration, with optional overrides."""
    core = botocore.session.get_session()
    if profile:
        core.set_config_variable("profile", profile)
    try:
        session = boto3.Session(botocore_session=core, region_name=region or None)
    except ProfileNotFound:
        raise AwsSetupError(f"AWS profile '{profile}' is not in the AWS config files.") from None
    if not session.region_name:
        raise AwsSetupError(
            "No AWS region is configured: pass --region, set AWS_REGION or AWS_DEFAULT_REGION, "
            "or set a region in the AWS profile."
        )
    return session


def client_config(session: boto3.Session, user_agent: str = USER_AGENT) -> Config:
    """Client config: our retry default unless the user configured max_attempts."""
    core: botocore.session.Session = session._session  # boto3 exposes no public accessor
    configured = core.get_config_variable("max_attempts")
    retries: dict[str, Any] = {"mode": core.get_config_variable("retry_mode") or "standard"}
    retries["total_max_attempts"] = configured or DEFAULT_MAX_ATTEMPTS
    return Config(retries=retries, user_agent_extra=user_agent)


NO_CREDENTIALS = (
    "No AWS credentials found: set AWS_PROFILE, run `aws sso login`, "
    "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or "
    "container role applies."
)


def require_credentials(session: boto3.Session) -> None:
    """Raise AwsSetupError with one line when the standard chain finds no credentials."""
    try:
        credentials = session.get_credentials()
    except BotoCoreError as error:  # e.g. a profile whose SSO token expired
        raise AwsSetupError(f"AWS credentials cannot be loaded: {error}") from None
    if credentials is None:
        raise AwsSetupError(NO_CREDENTIALS)


def make_client(session: boto3.Session, service: str, user_agent: str = USER_AGENT) -> Any:
    """A client of `service` with :func:`client_config`; raises AwsSetupError on bad config,
    missing credentials included (before any request, instead of a traceback later)."""
    require_credentials(session)
    try:
        return session.client(service, config=client_config(session, user_agent))
    except NoRegionError:
        raise AwsSetupError(
            "No AWS region is configured: pass --region or set AWS_REGION."
        ) from None
    except BotoCoreError as error:
        raise AwsSetupError(f"Cannot create the AWS {service} client: {error}") from None


def error_code(error: ClientError) -> str:
    """The AWS error code of a ClientError ('' when the response has none)."""
    return str(error.response.get("Error", {}).get("Code", ""))


def describe_error(error: BaseException) -> str:
    """One line for a boto3/botocore error, without request details or credentials."""
    if isinstance(error, ClientError):
        info = error.response.get("Error", {})
        operation = getattr(error, "operation_name", "request")
        code, message = info.get("Code", "Unknown"), info.get("Message", "")
        return f"{operation} failed: {code}: {message}".strip()
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class Backoff:
    """Bounded exponential backoff with full jitter, for retries botocore cannot see.

    Attempt ``n`` (0-based) waits a random time in ``[0, min(cap, base * 2**n)]``;
    at most ``attempts`` tries in all.
    """

    attempts: int = 6
    base: float = 0.5
    cap: float = 20.0

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait after failed attempt number `attempt` (0-based)."""
        return rng() * min(self.cap, self.base * (2**attempt))

    def sleep(self, attempt: int) -> None:
        """Wait before the next attempt."""
        time.sleep(self.delay(attempt))
