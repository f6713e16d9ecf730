"""A hostile corpus of flow log objects, as real buckets hold them (tests only).

`build(root)` writes the objects and returns the expectations that the contract
fixes for each case: file status, and for every data line its malformed reason
(None for a valid record). The expectations are written by hand from the
contract, not computed by the code under test.
"""

from __future__ import annotations

import gzip
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from vpc_flow_logs.generate_sample_logs import DEFAULT_FORMAT, write_flow_log_file

ACCOUNT = "111122223333"
REGION = "us-east-1"
DAY = "2024/06/10"
START = 1717977600  # 2024-06-10T00:00:00Z
HEADER = " ".join(DEFAULT_FORMAT)


def record(src: str = "10.0.0.1", dst: str = "10.0.0.2", sport: str = "443",
           dport: str = "55000", proto: str = "6", packets: str = "3", nbytes: str = "300",
           start: int | str = START, end: int | str | None = None, action: str = "ACCEPT",
           status: str = "OK") -> str:
    end = START + 30 if end is None else end
    return (f"2 {ACCOUNT} eni-0a1b2c3d4e5f60718 {src} {dst} {sport} {dport} {proto} "
            f"{packets} {nbytes} {start} {end} {action} {status}")


@dataclass
class Case:
    name: str
    status: str = "ok"
    reasons: list[str | None] = field(default_factory=list)
    header_lines: int = 1


def key(name: str, minute: int) -> str:
    return (f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/{DAY}/{ACCOUNT}_vpcflowlogs_{REGION}_"
            f"fl-0123456789abcdef0_20240610T{minute // 60:02d}{minute % 60:02d}Z_{name}.log.gz")


def write_bytes(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def build(root: Path) -> dict[str, Case]:
    """Write the corpus under root; return the expected outcome per object path."""
    cases: dict[str, Case] = {}

    def lines_file(name: str, minute: int, lines: list[str], reasons: list[str | None],
                   *, header: bool = True, headers: int = 1, line_end: str = "\n") -> None:
        text = line_end.join(([HEADER] if header else []) + lines) + line_end
        path = write_bytes(root, key(name, minute), gzip.compress(text.encode("latin-1"), mtime=0))
        cases[str(path)] = Case(name, "ok", reasons, headers if header else 0)

    write_bytes(root, key("a0empty0", 1), gzip.compress(b"", mtime=0))
    cases[str(root / key("a0empty0", 1))] = Case("empty gzip", header_lines=0)
    lines_file("a1header", 2, [], [])
    valid = gzip.compress((HEADER + "\n" + record() + "\n").encode(), mtime=0)
    write_bytes(root, key("a2trunc0", 3), valid[: len(valid) // 2])
    cases[str(root / key("a2trunc0", 3))] = Case("truncated gzip", "unreadable", header_lines=0)
    write_bytes(root, key("a3plain0", 4), (HEADER + "\n" + record() + "\n").encode())
    cases[str(root / key("a3plain0", 4))] = Case("plain text", "unreadable", header_lines=0)
    write_bytes(root, key("a4zero00", 5), b"")
    cases[str(root / key("a4zero00", 5))] = Case("zero bytes", "unreadable", header_lines=0)
    foreign = write_bytes(root, f"AWSLogs/{ACCOUNT}/vpcflowlogs/{REGION}/{DAY}/notes.json",
                          b'{"not": "a flow log"}')
    cases[str(foreign)] = Case("foreign object", "not_flow_log", header_lines=0)
    # Parquet bytes that are not a Parquet object: unreadable, with the reader's reason.
    parquet = write_bytes(root, key("a4parq00", 5).replace(".log.gz", ".log.parquet"),
                          b"PAR1\x00\x00PAR1")
    cases[str(parquet)] = Case("broken parquet", "unreadable", header_lines=0)
    # Hive-compatible prefixes are read like the default layout (DuckDB; on Athena one
    # raw table reads one layout, var flow_logs_prefixes).
    hive = write_bytes(root, f"AWSLogs/aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/"
                       f"aws-region={REGION}/year=2024/month=06/day=10/"
                       + key("a4hive00", 5).rsplit("/", 1)[1],
                       gzip.compress((HEADER + "\n" + record() + "\n").encode(), mtime=0))
    cases[str(hive)] = Case("hive-compatible prefix", "ok", [None])
    lines_file("a5crlf00", 6, [record(), record(sport="80"), record(action="REJECT")],
               [None, None, None], line_end="\r\n")
    lines_file("a6repeat", 7, [record(), record(), HEADER, record(), record()],
               [None, None, None, None], headers=2)
    lines_file("a7fields", 8, [
        record().rsplit(" ", 1)[0],                      # 13 fields
        record() + " extra",                             # 15 fields
        record().replace(" 10.0.0.2", "  10.0.0.2"),     # double space
        record() + " ",                                  # trailing space
    ], ["field_count_mismatch"] * 4)
    lines_file("a8ports0", 9, [record(sport="abc"), record(dport="70000"), record(sport="-1"),
                               record(sport="65535", dport="0")],
               ["invalid_srcport", "invalid_dstport", "invalid_srcport", None])
    lines_file("a9counts", 10, [
        record(nbytes="2147483648"), record(packets="9223372036854775807"),
        record(nbytes="9223372036854775807"), record(nbytes="9223372036854775808"),
        record(packets="18446744073709551616"), record(nbytes="-5"),
    ], [None, None, None, "invalid_bytes", "invalid_packets", "invalid_bytes"])
    lines_file("b0time00", 11, [
        record(start=START + 60, end=START), record(start=4102444800, end=4102444830),
        record(start=0, end=0), record(start=START - 5 * 86400, end=START - 5 * 86400 + 10),
        # Absurd times (beyond what Trino's timestamps hold): quarantined, the run goes on.
        record(end=10000000000000000), record(start=10000000000000000, end=10000000000000000),
        record(start="-"), record(end=START + 2 * 86400 - 1), record(end=START + 2 * 86400),
    ], ["end_before_start", "start_out_of_range", "start_out_of_range", None,
        "end_out_of_range", "start_out_of_range", "missing_start", None, "end_out_of_range"])
    lines_file("b1enums0", 12, [record(action="DROP"), record(status="BROKEN"),
                                record(proto="200"), record(proto="300")],
               ["invalid_action", "invalid_log_status", None, "invalid_protocol"])
    lines_file("b2ipv600", 13, [
        record(src="::ffff:198.51.100.7"), record(src="2001:db8::1", dst="fd00::2"),
        record(src="2001:db8:::1"), record(src="256.1.1.1"), record(dst="10.0.0"),
    ], [None, None, "invalid_srcaddr", "invalid_srcaddr", "invalid_dstaddr"])
    other = "version interface-id srcaddr dstaddr srcport dstport protocol tcp-flags action"
    path = root / key("b3format", 14)
    write_flow_log_file(path, other.split(), [
        "3 eni-0a1b2c3d4e5f60718 10.0.0.1 10.0.0.2 443 55000 6 18 ACCEPT",
        "3 eni-0a1b2c3d4e5f60718 10.0.0.2 10.0.0.1 55000 443 6 2 ACCEPT"])
    cases[str(path)] = Case("another format", "ok", [None, None])
    lines_file("b4long00", 15, ["A" * 200_000, record()], ["field_count_mismatch", None])
    lines_file("b5bytes0", 16, [
        record().replace("ACCEPT", "ACC\u00e9PT"), record() + "\t", "2 caf\u00e9 \u00ff\u00fe",
        record()], ["invalid_characters", "invalid_characters", "invalid_characters", None])
    lines_file("b6nohead", 17, [record(), record()], ["no_header", "no_header"], header=False)
    conflicting = HEADER + "\n" + record() + "\nversion srcaddr dstaddr\n" + record() + "\n"
    path = write_bytes(root, key("b7twohdr", 18), gzip.compress(conflicting.encode(), mtime=0))
    cases[str(path)] = Case("conflicting headers", "ok",
                            ["conflicting_headers", "conflicting_headers"], 2)
    lines_file("b8blank0", 19, [record(), "", record()], [None, "empty_line", None])
    return cases


def add_duplicate(root: Path) -> Path:
    """Copy one object under another key (another delivery minute, same name hash)."""
    source = root / key("a5crlf00", 6)
    copy = root / key("a5crlf00", 47)
    shutil.copyfile(source, copy)
    return copy
