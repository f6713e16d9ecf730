"""The sample generator writes flow logs as AWS delivers them, with the planted scenarios.

Every check reads the files back with plain gzip and compares with what AWS's
documentation and the generator's published constants (SCENARIOS) say.
"""

from __future__ import annotations

import csv
import gzip
import ipaddress
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from vpc_flow_logs.generate_sample_logs import (
    ALL_FIELDS,
    DEFAULT_FORMAT,
    FIELD_VERSION,
    FORMATS,
    SCENARIOS,
    GenerationSummary,
    generate,
    main,
    write_flow_log_file,
)

REPO = Path(__file__).resolve().parents[2]
KEY = re.compile(
    r"AWSLogs/(?P<account>\d{12})/vpcflowlogs/(?P<region>[a-z]{2}(?:-[a-z]+)+-\d+)/"
    r"(?P<y>\d{4})/(?P<m>\d{2})/(?P<d>\d{2})/(?:(?P<h>\d{2})/)?"
    r"(?P=account)_vpcflowlogs_(?P=region)_(?P<flow_log_id>fl-[0-9a-f]{17})_"
    r"(?P<stamp>(?P<sy>\d{4})(?P<sm>\d{2})(?P<sd>\d{2})T(?P<hh>\d{2})(?P<mm>\d{2})Z)_"
    r"(?P<hash>[0-9a-f]{8})\.log\.gz$"
)
NAT_GATEWAY_FORMAT = "instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr".split()
STATUS_FIELDS = {"version", "account-id", "interface-id", "start", "end", "log-status"}
SMALL = {"days": 2, "records": 6000, "seed": 5, "start_date": "2024-06-01"}


@dataclass
class Line:
    """One data line of one file."""

    path: Path
    key: re.Match[str]
    tokens: list[str]
    values: dict[str, str]  # empty when the token count differs from the header

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    @property
    def window_start(self) -> int:
        return int(datetime.strptime(self.key["stamp"], "%Y%m%dT%H%MZ")
                   .replace(tzinfo=UTC).timestamp())


@dataclass
class Dataset:
    root: Path
    summary: GenerationSummary
    headers: dict[Path, str]
    lines: list[Line]

    def valid(self) -> list[Line]:
        return [line for line in self.lines if line.values]

    def flows(self) -> list[Line]:
        return [line for line in self.valid() if line.values.get("log-status", "OK") == "OK"]


def read_dataset(root: Path, summary: GenerationSummary) -> Dataset:
    headers: dict[Path, str] = {}
    lines: list[Line] = []
    for path in sorted((root / "AWSLogs").rglob("*")):
        if not path.is_file():
            continue
        key = KEY.search(path.as_posix())
        assert key, f"not an AWS flow log key: {path}"
        data = gzip.decompress(path.read_bytes())
        assert data.endswith(b"\n") and b"\r" not in data
        text = data.decode("ascii").split("\n")[:-1]
        headers[path] = text[0]
        names = text[0].split(" ")
        for raw in text[1:]:
            tokens = raw.split(" ")
            values = dict(zip(names, tokens, strict=True)) if len(tokens) == len(names) else {}
            if values.get("action", "-") not in ("ACCEPT", "REJECT", "-") or not re.fullmatch(
                    r"-|\d+", values.get("dstport", "-")):
                values = {}  # a planted malformed line
            lines.append(Line(path, key, tokens, values))
    return Dataset(root, summary, headers, lines)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    root = tmp_path_factory.mktemp("default")
    return read_dataset(root, generate(root, **SMALL))


@pytest.fixture(scope="module")
def every_field(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    root = tmp_path_factory.mktemp("all")
    return read_dataset(root, generate(root, days=2, records=5000, seed=3, fields="all",
                                       hourly=True))


@pytest.fixture(scope="module")
def background(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    root = tmp_path_factory.mktemp("background")
    return read_dataset(root, generate(root, days=1, records=20000, seed=9, fields="v5",
                                       scenarios=False))


def well_known_ports() -> set[tuple[int, int]]:
    with open(REPO / "seeds" / "well_known_ports.csv", newline="") as handle:
        return {(int(row["port"]), int(row["protocol"])) for row in csv.DictReader(handle)}


def is_response(line: Line, services: set[tuple[int, int]]) -> bool:
    """The project's 'likely response': from a service port to an ephemeral port."""
    if line["srcport"] == "-" or line["dstport"] == "-":
        return False
    sport, dport, proto = int(line["srcport"]), int(line["dstport"]), int(line["protocol"])
    return ((sport, proto) in services or sport < 1024) and dport >= 1024


def hour_of(line: Line) -> int:
    return int(line["start"]) // 3600


def day_of(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, UTC).date()


# --------------------------------------------------------------------------- layout


def test_keys_follow_the_aws_layout(sample: Dataset) -> None:
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in sample.headers:
        key = KEY.search(path.as_posix())
        assert key is not None
        assert (key["y"], key["m"], key["d"]) == (key["sy"], key["sm"], key["sd"])
        assert key["h"] is None
        assert int(key["mm"]) % 10 == 0, "files are per 10-minute delivery window"
        ids[(key["account"], key["region"])].add(key["flow_log_id"])
    assert all(len(found) == 1 for found in ids.values()), "one flow log per account/region"
    assert len({next(iter(found)) for found in ids.values()}) == len(ids)
    assert {account for account, _ in ids} == set(sample.summary.accounts)
    assert {region for _, region in ids} == {"us-east-1", "eu-west-1"}
    hashes = [KEY.search(path.as_posix())["hash"] for path in sample.headers]
    assert len(set(hashes)) == len(hashes)
    assert sample.summary.files == len(sample.headers)
    assert sample.summary.bytes_written == sum(path.stat().st_size for path in sample.headers)


def test_header_and_field_counts(sample: Dataset) -> None:
    assert set(sample.headers.values()) == {" ".join(DEFAULT_FORMAT)}
    bad = [line for line in sample.lines if not line.values]
    assert len(bad) == sample.summary.malformed_lines == SCENARIOS["malformed"]["lines"]
    width = len(DEFAULT_FORMAT)
    assert sorted(len(line.tokens) < width for line in bad) == [False, False, True]
    assert [line.tokens[DEFAULT_FORMAT.index("dstport")] for line in bad
            if len(line.tokens) == width and not line.tokens[6].isdigit()] == ["dns"]
    assert [line.tokens[DEFAULT_FORMAT.index("action")] for line in bad
            if len(line.tokens) == width and line.tokens[6].isdigit()] == ["DROP"]
    assert all(len(line.tokens) == width for line in sample.valid())
    assert len(sample.valid()) == sample.summary.records == SMALL["records"]


def test_values_are_written_as_aws_writes_them(sample: Dataset) -> None:
    services = well_known_ports()
    statuses = defaultdict(int)
    for line in sample.valid():
        assert line["version"] == "2"
        assert line["account-id"] == line.key["account"]
        assert re.fullmatch(r"eni-0[0-9a-f]{16}", line["interface-id"])
        start, end = int(line["start"]), int(line["end"])
        assert 0 <= end - start <= 60
        statuses[line["log-status"]] += 1
        if line["log-status"] != "OK":
            assert all(value == "-" for name, value in line.values.items()
                       if name not in STATUS_FIELDS)
            continue
        assert line["action"] in ("ACCEPT", "REJECT")
        for name in ("srcaddr", "dstaddr"):
            ipaddress.ip_address(line[name])
        if line["protocol"] == "1":
            assert (line["srcport"], line["dstport"]) == ("0", "0")
        assert int(line["packets"]) >= 1 and int(line["bytes"]) >= 20 * int(line["packets"])
        if is_response(line, services):
            assert int(line["dstport"]) >= 1024
    assert statuses["NODATA"] == SCENARIOS["nodata_skipdata"]["nodata_records"]
    assert statuses["SKIPDATA"] == SCENARIOS["nodata_skipdata"]["skipdata_records"]


def test_records_start_in_their_window_or_are_delivered_late(sample: Dataset) -> None:
    window = 600
    late = []
    for line in sample.valid():
        start = int(line["start"])
        if line.window_start <= start < line.window_start + window:
            continue
        late.append(line)
        assert line.window_start > start, "a record is never delivered before it starts"
        assert day_of(line.window_start) > day_of(start), "late records sit in a later day"
        assert line.window_start - start <= 86_400, "at most one day late"
    assert len(late) == sample.summary.late_records > 0
    expected = SCENARIOS["late_delivery"]["default_fraction"] * sample.summary.background_records
    assert 0.4 * expected < len(late) < 2 * expected
    last_day = max(day_of(int(line["start"])) for line in sample.valid())
    assert all(day_of(int(line["start"])) < last_day for line in late)


def test_determinism(tmp_path: Path) -> None:
    def snapshot(root: Path) -> dict[str, bytes]:
        return {path.relative_to(root).as_posix(): path.read_bytes()
                for path in sorted(root.rglob("*.log.gz"))}

    arguments = {"days": 2, "records": 3000, "seed": 21, "fields": "all"}
    generate(tmp_path / "one", **arguments)
    generate(tmp_path / "two", **arguments)
    first = snapshot(tmp_path / "one")
    assert first and first == snapshot(tmp_path / "two")
    generate(tmp_path / "three", **{**arguments, "seed": 22})
    assert snapshot(tmp_path / "three") != first


def test_hourly_layout_and_every_field(every_field: Dataset) -> None:
    for path in every_field.headers:
        key = KEY.search(path.as_posix())
        assert key["h"] == key["hh"], "hourly folders match the file's window"
    assert set(every_field.headers.values()) == {" ".join(ALL_FIELDS)}
    flows = every_field.flows()
    assert {line["version"] for line in every_field.valid()} == {"8"}
    assert {line["type"] for line in flows} == {"IPv4", "IPv6"}
    assert {line["flow-direction"] for line in flows} == {"ingress", "egress"}
    assert {line["tcp-flags"] for line in flows if line["protocol"] != "6"} == {"0"}
    assert {"2", "18", "3", "19", "1"} <= {line["tcp-flags"] for line in flows}
    assert {line["traffic-path"] for line in flows if line["flow-direction"] == "ingress"} == {"-"}
    assert {line["traffic-path"] for line in flows if line["flow-direction"] == "egress"} <= set(
        "12345678")
    assert {"S3", "DYNAMODB", "AMAZON", "EC2"} <= (
        {line["pkt-dst-aws-service"] for line in flows}
        | {line["pkt-src-aws-service"] for line in flows})
    reasons = {(line["action"], line["reject-reason"]) for line in flows}
    assert reasons <= {("ACCEPT", "-"), ("REJECT", "-"), ("REJECT", "BPA")}
    for line in flows:
        assert (line["type"] == "IPv6") == (":" in line["srcaddr"])
        assert line["region"] == line.key["region"]
        assert line["az-id"].startswith({"us-east-1": "use1-", "eu-west-1": "euw1-"}[
            line["region"]])
    ecs = {line["interface-id"] for line in flows if line["ecs-cluster-name"] != "-"}
    assert len(ecs) == 2 * len(every_field.summary.accounts) * 2, "two ECS tasks per VPC"
    for line in flows:
        if line["ecs-task-arn"] != "-":
            assert line["ecs-task-arn"].startswith(f"arn:aws:ecs:{line['region']}:"
                                                   f"{line['account-id']}:task/")
            assert line["ecs-task-arn"].endswith("/" + line["ecs-task-id"])
    no_instance = {line["interface-id"] for line in flows if line["instance-id"] == "-"}
    with_instance = {line["interface-id"] for line in flows if line["instance-id"] != "-"}
    assert no_instance and with_instance and not no_instance & with_instance
    translated = [line for line in flows if line["pkt-srcaddr"] != line["srcaddr"]
                  or line["pkt-dstaddr"] != line["dstaddr"]]
    assert translated and {line["instance-id"] for line in translated} == {"-"}
    assert {line["sublocation-type"] for line in flows} <= {"-", "localzone"}


def test_custom_format_without_version(tmp_path: Path) -> None:
    summary = generate(tmp_path, days=1, records=2000, seed=4, fields=" ".join(
        NAT_GATEWAY_FORMAT))
    data = read_dataset(tmp_path, summary)
    assert set(data.headers.values()) == {" ".join(NAT_GATEWAY_FORMAT)}
    width = len(NAT_GATEWAY_FORMAT)
    bad = [line for line in data.lines if len(line.tokens) != width]
    assert len(bad) == summary.malformed_lines == 1, "only the too-few-fields kind applies"
    nat_rows = [line for line in data.valid() if line["instance-id"] == "-"
                and line["pkt-dstaddr"] != line["dstaddr"]]
    assert nat_rows, "NAT gateway records show the original destination in pkt-dstaddr"
    assert len(data.valid()) == summary.records


@pytest.mark.parametrize("fmt", ["default", "v3", "v5", "all", "srcaddr reject-reason version",
                                 "version az-id ecs-task-id dstport"])
def test_version_is_the_highest_field_version(tmp_path: Path, fmt: str) -> None:
    summary = generate(tmp_path, days=1, records=300, seed=1, fields=fmt, scenarios=False)
    fields = FORMATS.get(fmt, fmt.split())
    data = read_dataset(tmp_path, summary)
    assert set(data.headers.values()) == {" ".join(fields)}
    assert {line["version"] for line in data.valid()} == {
        str(max(FIELD_VERSION[name] for name in fields))}


# --------------------------------------------------------------------------- traffic


def test_planted_port_scans_cross_the_thresholds(sample: Dataset) -> None:
    vertical = SCENARIOS["vertical_port_scan"]
    ports = defaultdict(set)
    rejects = 0
    for line in sample.flows():
        if line["srcaddr"] == vertical["srcaddr"]:
            ports[hour_of(line)].add(line["dstport"])
            rejects += line["action"] == "REJECT"
    assert max(len(found) for found in ports.values()) == vertical["distinct_ports"] >= 200
    assert rejects == vertical["distinct_ports"] - len(vertical["accepted_ports"])

    horizontal = SCENARIOS["horizontal_port_scan"]
    addresses = defaultdict(set)
    for line in sample.flows():
        if line["srcaddr"] == horizontal["srcaddr"] and line["dstport"] == str(
                horizontal["dstport"]):
            addresses[hour_of(line)].add(line["dstaddr"])
    assert max(len(found) for found in addresses.values()) == horizontal["distinct_addrs"] >= 50


@pytest.mark.parametrize("dataset", ["sample", "every_field", "background"])
def test_background_sources_do_not_look_like_scans(dataset: str,
                                                   request: pytest.FixtureRequest) -> None:
    data: Dataset = request.getfixturevalue(dataset)
    services = well_known_ports()
    scanners = {SCENARIOS["vertical_port_scan"]["srcaddr"],
                SCENARIOS["horizontal_port_scan"]["srcaddr"]}
    ports, addresses = defaultdict(set), defaultdict(set)
    for line in data.flows():
        if line["srcaddr"] in scanners or is_response(line, services):
            continue
        key = (hour_of(line), line["srcaddr"])  # across accounts and regions
        ports[key].add(line["dstport"])
        addresses[key].add(line["dstaddr"])
    assert ports and max(len(found) for found in ports.values()) <= 5
    assert max(len(found) for found in addresses.values()) <= 5


def test_background_has_a_few_percent_of_internet_noise_rejects(background: Dataset) -> None:
    flows = background.flows()
    assert len(flows) == background.summary.records == 20000
    rejects = [line for line in flows if line["action"] == "REJECT"]
    assert 0.03 <= len(rejects) / len(flows) <= 0.08
    assert all(line["flow-direction"] == "ingress" for line in rejects)
    assert all(not ipaddress.ip_address(line["srcaddr"]).is_private for line in rejects)
    protocols = {line["protocol"] for line in flows}
    assert {"1", "6", "17"} <= protocols
    ports = {(line["protocol"], line["dstport"]) for line in flows}
    assert {("6", "443"), ("6", "80"), ("17", "53"), ("17", "123"), ("6", "5432")} <= ports


def test_no_scenarios_means_background_only(background: Dataset) -> None:
    planted = {SCENARIOS[name][key] for name, key in (
        ("ssh_brute_force", "srcaddr"), ("rdp_probing", "srcaddr"),
        ("vertical_port_scan", "srcaddr"), ("large_egress", "dstaddr"),
        ("nacl_asymmetry", "client"), ("ipv6", "office_admin"), ("ipv6", "ula"))}
    seen = {line[name] for line in background.valid() for name in ("srcaddr", "dstaddr")}
    assert not planted & seen
    assert {line["log-status"] for line in background.valid()} == {"OK"}
    assert background.summary.malformed_lines == background.summary.late_records == 0
    assert background.summary.scenarios == {}
    assert len(background.valid()) == len(background.lines)


def test_ssh_brute_force(sample: Dataset) -> None:
    spec = SCENARIOS["ssh_brute_force"]
    attempts = [line for line in sample.flows() if line["srcaddr"] == spec["srcaddr"]]
    assert {line["dstaddr"] for line in attempts} == {spec["dstaddr"]}
    assert {line["interface-id"] for line in attempts} == {spec["interface_id"]}
    assert {line["dstport"] for line in attempts} == {str(spec["dstport"])}
    assert len(attempts) == spec["flows"]
    rejects = [line for line in attempts if line["action"] == "REJECT"]
    assert len(rejects) == spec["rejects"] and len(attempts) - len(rejects) == spec["accepts"]
    minutes = {int(line["start"]) // 60 for line in rejects}
    assert len(minutes) == spec["minutes"]
    assert max(minutes) - min(minutes) + 1 == spec["minutes"], "every minute of the attack"
    assert max(sum(int(line["start"]) // 60 == m for line in rejects) for m in minutes) > 5
    first = datetime.fromtimestamp(min(int(line["start"]) for line in attempts), UTC)
    assert (first.date().isoformat(), first.hour) == (SMALL["start_date"], spec["hour"])


def test_rdp_large_egress_nacl_nodata_and_ipv6(sample: Dataset) -> None:
    flows = sample.flows()
    rdp = SCENARIOS["rdp_probing"]
    probes = [line for line in flows if line["srcaddr"] == rdp["srcaddr"]]
    assert {line["action"] for line in probes} == {"REJECT"}
    assert {line["dstport"] for line in probes} == {"3389"}
    assert len({line["dstaddr"] for line in probes}) == rdp["instances"]
    assert len(probes) == rdp["instances"] * rdp["rejects_per_instance"]

    egress = SCENARIOS["large_egress"]
    big = [line for line in flows if line["dstaddr"] == egress["dstaddr"]]
    assert len(big) == egress["flows"]
    assert all(int(line["bytes"]) == egress["bytes_per_flow"] > 2**31 for line in big)
    assert {(line["srcaddr"], line["dstport"]) for line in big} == {
        (egress["srcaddr"], str(egress["dstport"]))}

    nacl = SCENARIOS["nacl_asymmetry"]
    requests = {(line["interface-id"], line["srcport"]) for line in flows
                if line["srcaddr"] == nacl["client"] and line["action"] == "ACCEPT"
                and line["dstport"] == str(nacl["server_port"])}
    responses = {(line["interface-id"], line["dstport"]) for line in flows
                 if line["dstaddr"] == nacl["client"] and line["action"] == "REJECT"
                 and line["srcport"] == str(nacl["server_port"])}
    assert requests == responses and len(requests) == nacl["connections"]
    assert {interface for interface, _ in requests} == {nacl["interface_id"]}

    spec = SCENARIOS["nodata_skipdata"]
    statuses = defaultdict(set)
    for line in sample.valid():
        statuses[line["log-status"]].add(line["interface-id"])
    assert statuses["NODATA"] == {spec["nodata_interface_id"]}
    assert statuses["SKIPDATA"] == {spec["skipdata_interface_id"]}
    idle_day = {line["start"] for line in flows if line["interface-id"] == spec[
        "nodata_interface_id"] and day_of(int(line["start"])).isoformat() == SMALL["start_date"]}
    assert not idle_day, "the NODATA interface has no traffic that day"

    ipv6 = SCENARIOS["ipv6"]
    v6 = [line for line in flows if ":" in line["srcaddr"]]
    assert {line["srcaddr"] for line in v6} >= {ipv6["ula"], ipv6["peer_ula"],
                                                ipv6["office_admin"], ipv6["address"]}
    assert all(ipaddress.ip_address(line["srcaddr"]) in ipaddress.ip_network("2001:db8::/32")
               or ipaddress.ip_address(line["srcaddr"]) in ipaddress.ip_network("fd00::/8")
               for line in v6)


def test_summary_reports_planted_scenarios(sample: Dataset) -> None:
    info = sample.summary.scenarios
    assert set(info) == set(SCENARIOS)
    assert info["ssh_brute_force"]["dates"] == [SMALL["start_date"]]
    assert info["vertical_port_scan"]["dates"] == ["2024-06-02"]
    assert sample.summary.planted_records == sum(
        entry.get("records", 0) for entry in info.values())
    assert sample.summary.records == sample.summary.planted_records + \
        sample.summary.background_records


# --------------------------------------------------------------------------- CLI and helpers


def test_write_flow_log_file(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b.log.gz"
    write_flow_log_file(path, ["version", "srcaddr"], [["2", "10.0.0.1"], "raw line"])
    assert gzip.decompress(path.read_bytes()) == b"version srcaddr\n2 10.0.0.1\nraw line\n"
    write_flow_log_file(path, ["version"], ["2"], header=False)
    assert gzip.decompress(path.read_bytes()) == b"2\n"


@pytest.mark.parametrize("arguments", [
    ["--format", "version srcaddr bogus-field"],
    ["--format", "srcaddr srcaddr"],
    ["--start-date", "2024-13-01"],
    ["--days", "0"],
    ["--accounts", "0"],
    ["--regions", "us-east-1,Mars"],
    ["--records", "-5"],
    ["--late-fraction", "2"],
    ["--file-minutes", "7"],
    ["--days", "three"],
])
def test_invalid_arguments_exit_2(tmp_path: Path, arguments: list[str],
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--output", str(tmp_path), *arguments]) == 2
    assert "error" in capsys.readouterr().err
    assert not (tmp_path / "AWSLogs").exists()


def test_unknown_field_message_names_the_field(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--output", str(tmp_path), "--format", "srcaddr bogus-field"]) == 2
    assert "bogus-field" in capsys.readouterr().err


def test_cli_writes_once_and_overwrites_with_force(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--output", str(tmp_path), "--days", "1", "--records", "500", "--accounts", "1",
                 "--regions", "eu-west-1", "--file-minutes", "5"]
    assert main(arguments) == 0
    files = sorted(tmp_path.rglob("*.log.gz"))
    assert files and "Wrote" in capsys.readouterr().out
    original = files[0].read_bytes()
    files[0].write_bytes(b"changed")
    assert main(arguments) == 0
    assert "already present" in capsys.readouterr().out
    assert files[0].read_bytes() == b"changed"
    assert main([*arguments, "--force"]) == 0
    assert files[0].read_bytes() == original
    assert all(int(KEY.search(path.as_posix())["mm"]) % 5 == 0 for path in files)


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--late-fraction" in out and "--no-scenarios" in out


def test_parquet_under_hive_prefixes_holds_the_text_records(tmp_path: Path) -> None:
    """--prefixes hive --file-format parquet: AWS's Hive-compatible keys and .log.parquet
    names, one column per field (`_` for `-`) with AWS's Parquet types, NULL where text
    writes `-`, and the same records, object by object, as the text generation with the
    same seed (without its malformed lines, which typed Parquet cannot hold)."""
    import duckdb

    arguments = {"days": 1, "records": 3000, "seed": 5, "fields": "v5", "hourly": True}
    generate(tmp_path / "text", **arguments, malformed=False)
    generate(tmp_path / "parquet", **arguments, prefixes="hive", file_format="parquet")
    text_files = sorted((tmp_path / "text").rglob("*.log.gz"))
    parquet_files = sorted((tmp_path / "parquet").rglob("*.log.parquet"))
    assert len(parquet_files) == len(text_files) > 0
    hive = re.compile(
        r"AWSLogs/aws-account-id=(\d{12})/aws-service=vpcflowlogs/aws-region=([a-z0-9-]+)/"
        r"year=(\d{4})/month=(\d{2})/day=(\d{2})/hour=(\d{2})/\1_vpcflowlogs_\2_fl-[0-9a-f]{17}_"
        r"\3\4\5T\6\d{2}Z_[0-9a-f]{8}\.log\.parquet$")
    fields = FORMATS["v5"]
    types = {"version": "INT32", "srcport": "INT32", "dstport": "INT32", "protocol": "INT32",
             "tcp-flags": "INT32", "traffic-path": "INT32", "packets": "INT64",
             "bytes": "INT64", "start": "INT64", "end": "INT64"}
    with duckdb.connect() as connection:
        for text_path, parquet_path in zip(text_files, parquet_files, strict=True):
            assert hive.search(parquet_path.as_posix()), parquet_path
            assert text_path.name[:-len(".log.gz")] == parquet_path.name[:-len(".log.parquet")]
            schema = connection.execute(
                "select name, type from parquet_schema(?) where num_children is null",
                [str(parquet_path)]).fetchall()
            assert schema == [(name.replace("-", "_"), types.get(name, "BYTE_ARRAY"))
                              for name in fields]
            lines = gzip.decompress(text_path.read_bytes()).decode().splitlines()
            assert lines[0] == " ".join(fields)
            rows = connection.execute("select * from read_parquet(?, hive_partitioning = false)",
                                      [str(parquet_path)]).fetchall()
            as_text = [" ".join("-" if value is None else str(value) for value in row)
                       for row in rows]
            assert as_text == lines[1:], parquet_path.name
