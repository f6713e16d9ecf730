"""The documented IAM policy is least privilege and covers what the project does."""

from __future__ import annotations

import json

from tests.python.dbt_runner import REPO

POLICY = json.loads((REPO / "docs" / "iam-policy.json").read_text())


def statements() -> dict[str, dict]:
    return {statement["Sid"]: statement for statement in POLICY["Statement"]}


def actions(statement: dict) -> set[str]:
    value = statement["Action"]
    return {value} if isinstance(value, str) else set(value)


def resources(statement: dict) -> list[str]:
    value = statement["Resource"]
    return [value] if isinstance(value, str) else list(value)


def test_policy_is_valid_and_allows_only_named_actions() -> None:
    assert POLICY["Version"] == "2012-10-17"
    for statement in POLICY["Statement"]:
        assert statement["Effect"] == "Allow"
        assert not any("*" in action for action in actions(statement)), statement["Sid"]
        assert "*" not in resources(statement), statement["Sid"]
        assert "NotAction" not in statement and "NotResource" not in statement


def test_flow_log_bucket_is_read_only_and_limited_to_awslogs() -> None:
    log_statements = [s for s in POLICY["Statement"]
                      if any("FLOW_LOGS_BUCKET" in r for r in resources(s))]
    granted = set().union(*(actions(s) for s in log_statements))
    assert granted == {"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"}
    for statement in log_statements:
        for resource in resources(statement):
            assert resource in ("arn:aws:s3:::FLOW_LOGS_BUCKET",
                                "arn:aws:s3:::FLOW_LOGS_BUCKET/FLOW_LOGS_PREFIX/AWSLogs/*")
    listing = statements()["ListFlowLogPrefix"]
    assert listing["Condition"]["StringLike"]["s3:prefix"] == ["FLOW_LOGS_PREFIX/AWSLogs/*"]


def test_writes_only_to_the_results_prefixes() -> None:
    writers = [s for s in POLICY["Statement"]
               if actions(s) & {"s3:PutObject", "s3:DeleteObject"}]
    assert [s["Sid"] for s in writers] == ["WriteQueryResultsAndModelData"]
    assert all(r.startswith("arn:aws:s3:::RESULTS_BUCKET/") for r in resources(writers[0]))


def test_covers_the_calls_of_dbt_athena_and_the_backfill_script() -> None:
    granted = set().union(*(actions(s) for s in POLICY["Statement"]))
    needed = {
        "athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults",
        "athena:StopQueryExecution", "athena:GetWorkGroup",
        "glue:GetTable", "glue:GetTables", "glue:CreateTable", "glue:DeleteTable",
        "glue:GetPartitions", "glue:BatchCreatePartition", "glue:BatchGetPartition",
        "glue:BatchDeletePartition", "glue:GetDatabase", "glue:CreateDatabase",
        "s3:GetObject", "s3:PutObject", "s3:ListBucket",
    }
    assert needed <= granted
    glue = statements()["GlueCatalogForProjectDatabases"]
    assert all("vpc_flow_logs" in r or r.endswith(":catalog") for r in resources(glue))
