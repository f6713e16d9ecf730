"""The command line of the generator (`python -m vpc_flow_logs.generate_sample_logs`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vpc_flow_logs.generate_sample_logs.formats import FORMATS, parse_format
from vpc_flow_logs.generate_sample_logs.generate import FILE_MINUTES, check_arguments, generate


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m vpc_flow_logs.generate_sample_logs",
        description="Write sample VPC flow log files laid out exactly as AWS delivers them "
                    "to S3 (AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/...log.gz), "
                    "with planted security scenarios described in the module docstring.",
        epilog="Same arguments and seed give byte-identical files. Exit status 2 on "
               "invalid arguments.")
    parser.add_argument("--output", default="sample_data",
                        help="folder that will contain AWSLogs/ (default: sample_data)")
    parser.add_argument("--start-date", default="2024-06-01",
                        help="first UTC day, YYYY-MM-DD (default: 2024-06-01)")
    parser.add_argument("--days", type=int, default=3, help="number of days (default: 3)")
    parser.add_argument("--accounts", type=int, default=2,
                        help="number of AWS accounts, ids 111122223333, 111233334444, ... "
                             "(default: 2)")
    parser.add_argument("--regions", default="us-east-1,eu-west-1",
                        help="comma-separated regions (default: us-east-1,eu-west-1)")
    parser.add_argument("--records", type=int, default=50_000,
                        help="total records over all days, accounts and regions; planted "
                             "scenarios are always complete (default: 50000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default: 7)")
    parser.add_argument("--format", default="default", dest="format",
                        help="a preset (" + ", ".join(FORMATS) + ") or a quoted, "
                             "space-separated list of AWS field names (default: default)")
    parser.add_argument("--hourly", action="store_true",
                        help="hourly partitions: .../YYYY/MM/DD/HH/ as with AWS's "
                             "per-hour partition option")
    parser.add_argument("--prefixes", choices=("default", "hive"), default="default",
                        help="S3 key layout: default (AWSLogs/<account>/vpcflowlogs/<region>/"
                             "YYYY/MM/DD/) or hive (Hive-compatible prefixes, "
                             "aws-account-id=<account>/aws-service=vpcflowlogs/...)")
    parser.add_argument("--file-format", choices=("text", "parquet"), default="text",
                        help="log file format: text (gzip, .log.gz) or parquet (.log.parquet, "
                             "AWS's column names and types; no malformed lines)")
    parser.add_argument("--file-minutes", type=int, default=10, choices=FILE_MINUTES,
                        help="delivery window of each file in minutes (default: 10)")
    parser.add_argument("--no-scenarios", action="store_true",
                        help="background traffic only: no planted scenarios, malformed lines "
                             "or late deliveries")
    parser.add_argument("--no-malformed", action="store_true",
                        help="do not plant the malformed lines")
    parser.add_argument("--late-fraction", type=float, default=0.01,
                        help="share of background records delivered into the next day's "
                             "folder (default: 0.01)")
    parser.add_argument("--force", action="store_true",
                        help="write even when <output>/AWSLogs already holds files "
                             "(files with the same names are overwritten)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or an argparse usage error (2)
        return exc.code if isinstance(exc.code, int) else 2
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        print(f"error: --output {output} exists and is not a folder.", file=sys.stderr)
        return 2
    try:
        parse_format(args.format)
        regions = [part.strip() for part in args.regions.split(",") if part.strip()]
        check_arguments(args.start_date, args.days, args.accounts, regions, args.records,
                         args.late_fraction, args.file_minutes)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    existing = output / "AWSLogs"
    if not args.force and existing.is_dir() and any(p.is_file() for p in existing.rglob("*")):
        print(f"Sample data already present in {existing}; nothing written "
              "(use --force to overwrite).")
        return 0
    summary = generate(output, start_date=args.start_date, days=args.days,
                       accounts=args.accounts, regions=regions, records=args.records,
                       seed=args.seed, fields=args.format, hourly=args.hourly,
                       scenarios=not args.no_scenarios, malformed=not args.no_malformed,
                       late_fraction=args.late_fraction, file_minutes=args.file_minutes,
                       progress=sys.stderr.isatty(), prefixes=args.prefixes,
                       file_format=args.file_format)
    print(summary.describe())
    return 0
