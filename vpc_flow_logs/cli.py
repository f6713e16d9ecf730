"""Pieces shared by the tools' command lines."""

from __future__ import annotations

from typing import Any

import yaml


class InvalidInput(ValueError):
    """An argument is not valid; the message is one sentence for the user."""


def parse_vars(text: str | None) -> dict[str, Any]:
    """`--vars` as a mapping (YAML or JSON, as dbt accepts it); {} when empty."""
    if not text:
        return {}
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput(f"--vars is not valid YAML/JSON: {error}".splitlines()[0]) from None
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("--vars must be a mapping, e.g. '{flow_logs_root: ./logs}'.")
    return {str(key): item for key, item in value.items()}
