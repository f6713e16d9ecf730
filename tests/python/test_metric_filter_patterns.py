"""CloudWatch filter patterns for space-delimited logs, pasted verbatim in `metric_filters`,
translated to SQL at compile time by the macro `cloudwatch_filter_condition`.

The patterns follow the shapes of CloudWatch's documented space-delimited examples (the VPC
flow log example as given; the web-log examples' conditions moved to flow log fields, since
the names in a pattern are free labels). Each translated condition is evaluated in DuckDB
over hand-written records and compared with the same test written in plain Python.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from tests.python.dbt_runner import run_dbt

# Default format: version account-id interface-id srcaddr dstaddr srcport dstport protocol
# packets bytes start end action log-status
COLUMNS = ("account_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
           "packets", "bytes", "start_epoch", "action", "log_status")
# Hostile on purpose: nulls ('-' in the file), a '%' and a '_' in strings, port 0 and 65535.
RECORDS = [
    ("123456789012", "10.0.0.1", "10.0.0.2", 40000, 22, 6, 5, 400, 1717200000, "REJECT", "OK"),
    ("123456789012", "10.0.0.1", "10.0.0.2", 40001, 22, 17, 5, 400, 1717200000, "REJECT", "OK"),
    ("123456789012", "10.0.0.3", "10.0.0.2", 22, 40000, 6, 9, 5000, 1717200000, "ACCEPT", "OK"),
    ("123456789012", "192.168.1.7", "10.0.0.9", 1023, 443, 6, 1, 40, 1717200000, "REJECT", "OK"),
    ("123456789012", "10.9.9.9", "10.0.0.9", 1024, 3389, 6, 100, 1000, 1717200060, "ACCEPT", "OK"),
    ("123456789012", "10.0.0.5", "10.0.0.6", 0, 65535, 1, 2, 1001, 1717200120, "REJECT", "OK"),
    ("999999999999", None, None, None, None, None, None, None, 1717200000, None, "NODATA"),
    ("1%_2", "10.1.0.1", "10.0.0.2", 53, 53, 17, 3, 300, 1717200000, "ACCEPT", "SKIPDATA"),
    ("1x22", "10.1.0.1", "10.0.0.2", 53, 53, 17, 3, 999, 1717200000, "ACCEPT", "OK"),
]


def rec(row: tuple) -> dict:
    return dict(zip(COLUMNS, row, strict=True))


def num(value: object) -> float | None:
    return None if value is None else float(value)


# (pattern, plain-Python predicate over a record)
CASES = {
    "aws-vpc-ssh-reject": (
        '[version, account, eni, source, destination, srcport, destport="22", protocol="6",'
        ' packets, bytes, windowstart, windowend, action="REJECT", flowlogstatus]',
        lambda r: r["dstport"] == 22 and r["protocol"] == 6 and r["action"] == "REJECT"),
    "all-fields-no-condition": (
        "[ip, user, username, timestamp, request, status_code, bytes, a, b, c, d, e, f, g]",
        lambda r: True),
    "wildcard-and-ellipsis": (
        "[..., action = REJ*, status]",
        lambda r: (r["action"] or "").startswith("REJ")),
    "srcaddr-wildcard": (
        "[v, a, i, src = 10.0.*, ...]",
        lambda r: (r["srcaddr"] or "").startswith("10.0.")),
    "numeric-range": (
        "[v, a, i, s, d, srcport >= 1 && srcport <= 1023, ...]",
        lambda r: r["srcport"] is not None and 1 <= r["srcport"] <= 1023),
    "or-in-one-field": (
        "[v, a, i, s, d, sp, dp = 22 || dp = 3389, ...]",
        lambda r: r["dstport"] in (22, 3389)),
    "not-equal-and": (
        "[v, a, i, s, d, sp, dp != 22 && dp != 53, ...]",
        lambda r: r["dstport"] not in (22, 53)),
    "greater-and-less": (
        "[..., packets > 2, bytes < 1001, start, end, action, status]",
        lambda r: num(r["packets"]) is not None and r["packets"] > 2
        and r["bytes"] is not None and r["bytes"] < 1001),
    "literal-percent-and-underscore": (
        '[v, account = "1%_2", ...]',
        lambda r: r["account_id"] == "1%_2"),
    "wildcard-keeps-underscore-literal": (
        '[v, account = "1%_*", ...]',
        lambda r: (r["account_id"] or "").startswith("1%_")),
    "status-not-ok": (
        "[..., flowlogstatus != OK]",
        lambda r: r["log_status"] != "OK"),
}

BAD = {
    "no-brackets": "version account eni",
    "too-few-fields": "[version, account, eni]",
    "too-many-fields": "[a, b, c, d, e, f, g, h, i, j, k, l, m, n, o]",
    "two-ellipses": "[..., dstport = 22, ...]",
    "number-op-on-string": "[..., action > REJECT, status]",
    "mixed-and-or": "[v, a, i, s, d, sp, dp = 22 && dp = 23 || dp = 24, ...]",
    "other-field-name": "[v, a, i, s, d, sp, dp = 22 || sp = 23, ...]",
    "bad-operator": "[v, a, i, s, d, sp, dp =~ 22, ...]",
}


def render(expressions: dict[str, str]) -> dict[str, str]:
    """Compile Jinja with dbt and return each named expression's rendered text."""
    inline = "\n".join(f"@@{name}@@{{{{ {expr} }}}}" for name, expr in expressions.items())
    process = run_dbt(["compile", "--quiet", "--inline", inline], check=False)
    assert process.returncode == 0, process.stdout + process.stderr
    out = {}
    for line in process.stdout.splitlines():
        if line.startswith("@@"):
            name, sql = line[2:].split("@@", 1)
            out[name] = sql
    return out


def call(name: str, pattern: str) -> str:
    return f"vpc_flow_logs.cloudwatch_filter_condition({name!r}, {pattern!r})"


@pytest.fixture(scope="module")
def conditions() -> dict[str, str]:
    return render({name: call(name, pattern) for name, (pattern, _) in CASES.items()})


@pytest.mark.parametrize("name", sorted(CASES))
def test_translated_pattern_matches_python(conditions: dict[str, str], name: str) -> None:
    connection = duckdb.connect()
    connection.execute(
        "create table flows (id integer, account_id varchar, srcaddr varchar, dstaddr varchar,"
        " srcport integer, dstport integer, protocol integer, packets bigint, bytes bigint,"
        " start_epoch bigint, action varchar, log_status varchar)")
    connection.executemany("insert into flows values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(i, *row) for i, row in enumerate(RECORDS)])
    matched = {row[0] for row in
               connection.sql(f"select id from flows where {conditions[name]}").fetchall()}
    expected = {i for i, row in enumerate(RECORDS) if CASES[name][1](rec(row))}
    assert matched == expected
    # Every case must separate the records, except the one without any condition.
    assert name == "all-fields-no-condition" or 0 < len(expected) < len(RECORDS)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_pattern_is_an_error_naming_the_filter(name: str) -> None:
    inline = f"{{{{ {call(name, BAD[name])} }}}}"
    process = run_dbt(["compile", "--quiet", "--inline", inline], check=False)
    assert process.returncode != 0
    assert f"metric filter '{name}'" in process.stdout + process.stderr


def test_default_row_as_pattern_gives_the_same_alarms(sample_build, tmp_path) -> None:
    """The shipped SSH row rewritten as AWS's pattern (column conditions emptied) builds the
    same fct_metric_alarms rows as the column form."""
    copy = tmp_path / "pattern.duckdb"
    shutil.copy(sample_build.database, copy)
    pattern = CASES["aws-vpc-ssh-reject"][0]
    with duckdb.connect(str(copy)) as connection:
        changed = connection.execute(
            "update main_reference.metric_filters set pattern = ?, dstport = null,"
            " protocol = null, action = null where filter_name = 'dest-port-22-rejects'"
            " returning filter_name", [pattern]).fetchall()
    assert changed == [("dest-port-22-rejects",)]
    run_dbt(["run", "-s", "fct_metric_alarms", "--full-refresh"],
            vars=sample_build.vars, duckdb_path=copy)
    sql = "select * from main_marts.fct_metric_alarms order by all"
    with duckdb.connect(str(sample_build.database), read_only=True) as connection:
        column_form = connection.sql(sql).fetchall()
    with duckdb.connect(str(copy), read_only=True) as connection:
        pattern_form = connection.sql(sql).fetchall()
    assert any(row[0] == "dest-port-22-rejects" for row in column_form)
    assert pattern_form == column_form
