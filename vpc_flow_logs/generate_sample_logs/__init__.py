"""Generate VPC flow log files exactly as AWS delivers them to Amazon S3.

Usage::

    python -m vpc_flow_logs.generate_sample_logs --output sample_data --days 3

Layout, names and content follow AWS::

    <output>/AWSLogs/<account-id>/vpcflowlogs/<region>/YYYY/MM/DD/[HH/]
        <account-id>_vpcflowlogs_<region>_<flow-log-id>_<YYYYMMDDTHHmmZ>_<hash>.log.gz

* One file per account, region and delivery window (``--file-minutes``, 5 or 10).
  The time in the name is the start of the window; every record of a file starts
  inside that window, except late deliveries (below). Empty windows get no file.
* gzip text, ``\n`` line ends, one space between fields, a header line naming the
  fields in order, ``-`` for "no value". ``--format`` picks a preset of ``FORMATS``
  or any space-separated list of AWS field names (versions 2 to 8); the ``version``
  value is the highest version among the chosen fields, as AWS writes it.
* Same arguments and seed give byte-identical files (gzip mtime 0, seeded RNGs).

Topology
    Each account/region has one VPC (10.x.0.0/16 or 172.16-31.x.0/20, IPv6
    2001:db8:a0xx::/48 and ULA fd00:ec2:xx::/48) with 14 to 20 network interfaces:
    bastion, load balancer (requester-managed, ``instance-id`` ``-``), two web
    servers, NAT gateway (requester-managed, ``pkt-srcaddr``/``pkt-dstaddr`` differ
    from ``srcaddr``/``dstaddr`` as in AWS's NAT gateway example), a dual-stack web
    server, app server, DNS forwarder, database, batch worker, an ECS task on EC2
    and one on Fargate (ECS fields filled, ``-`` elsewhere), a standby instance, a
    legacy Windows server and 0-6 extra app servers. In every second VPC one extra
    server sits in a Local Zone (``sublocation-*``) and VPC Block Public Access
    rejects internet traffic to the batch subnet (``reject-reason`` ``BPA``).
    Interface ids and addresses depend on the account and region position only,
    not on the seed, so ``SCENARIOS`` can name them.

Background traffic
    Requests with their responses on the same interface (addresses and ports
    swapped, the response comes from the service port): internet clients to the
    load balancer on 443/80 and balancer to web/ECS backends, web to app on 8080,
    app/ECS to PostgreSQL 5432, DNS (UDP 53) to the in-VPC forwarder and from it
    through the NAT gateway, NTP (UDP 123), HTTPS to a few external APIs through
    the NAT gateway, S3/DynamoDB through gateway endpoints (``pkt-*-aws-service``),
    IPv6 clients to the dual-stack server, admin SSH from the office range
    192.0.2.0/24, bastion SSH and ICMP (ports 0) inside the VPC, log shipping to a
    peered VPC. Long connections give one record per 60 s aggregation interval
    (``end - start`` <= 60) with OR'ed ``tcp-flags`` (2 SYN, 18 SYN-ACK, 3, 19, 1
    FIN, 4 RST, 0). 3.5-7 % of the records (by day) are REJECTed internet noise (SYN
    probes of 1-3 ports, UDP probes, SYN-ACK/RST backscatter, pings).
    No background source contacts more than 5 destination addresses or ports
    (responses aside): every instance talks to a fixed handful of peers and every
    internet client or noise source is used once.

Planted scenarios (first account, first region; all off with ``--no-scenarios``)
    Day indexes count from ``--start-date``; -1 is the last day. ``SCENARIOS``
    holds the addresses, interface ids, ports, times and counts of each;
    ``generate()`` returns them with absolute dates in ``GenerationSummary``.

    1. ssh_brute_force: 198.51.100.23 opens 10 ACCEPTed SSH connections to the
       bastion (day 0, 10:00-10:03 UTC); then a network ACL blocks it and its 110
       further attempts are REJECTed, at least one in every minute from 10:03 to
       10:32 (30 minutes), in bursts.
    2. rdp_probing: 203.0.113.77 tries TCP 3389 three times on each of 4 public
       instances (day 0, 14:00), all REJECTed.
    3. vertical_port_scan: 198.51.100.66 (source port 61000) probes 300 distinct
       ports of web-1 in 02:00-02:25 of the last day; REJECT except 80 and 443,
       which answer with SYN-ACK.
    4. horizontal_port_scan: the legacy server (a worm, inside the VPC) sweeps TCP
       445 on 60 addresses of the app subnet in 03:00-03:25 of the last day: ACCEPT
       egress records on its own interface, REJECTs on the targets that exist.
    5. large_egress: the batch worker sends 5 records of 3,000,000,000 bytes (one
       TLS connection, > 2**31 per record) to 203.0.113.200:443 (day 0, 20:00).
    6. nodata_skipdata: the standby interface is idle on day 0 and writes a NODATA
       record every hour; the load balancer writes 3 SKIPDATA records (06-08:00).
    7. ipv6: every day the dual-stack server talks to the database over ULA
       addresses (24 connections) and takes an SSH session from the office
       address 2001:db8:1000::25 (09:00).
    8. nacl_asymmetry: 198.51.100.150 opens 5 connections to web-2:8443 (day 0,
       16:00): requests ACCEPTed, the responses (same interface, addresses and
       ports swapped) REJECTed by a stateless network ACL.
    9. malformed (also off with ``--no-malformed``): three bad lines in three files
       of day 0 (05:00-05:30): too few fields, a non-numeric port (``dstport``
       ``dns``) and an unknown action (``DROP``). A kind is skipped when the format
       lacks its field.
    10. late delivery: a fraction (``--late-fraction``, default 0.01) of the
        background records of every day but the last is written into a file of the
        next day's folder, at most one day after their start.

Modules: :mod:`.formats` (fields, presets, line templates, gzip files),
:mod:`.topology` (the VPC of one account and region), :mod:`.traffic` (records and
conversations), :mod:`.background` (one function a background kind, picked by weight),
:mod:`.scenarios` (one function a planted scenario, :data:`SCENARIOS`),
:mod:`.generate` (the data set and its files), :mod:`.cli` (the command line).
"""

from vpc_flow_logs.generate_sample_logs.cli import build_parser, main
from vpc_flow_logs.generate_sample_logs.formats import (
    ALL_FIELDS,
    DEFAULT_FORMAT,
    FIELD_VERSION,
    FORMATS,
    format_version,
    parse_format,
    write_flow_log_file,
)
from vpc_flow_logs.generate_sample_logs.generate import GenerationSummary, generate
from vpc_flow_logs.generate_sample_logs.scenarios import PLANTED, SCENARIOS

__all__ = ["ALL_FIELDS", "DEFAULT_FORMAT", "FIELD_VERSION", "FORMATS", "PLANTED", "SCENARIOS",
           "GenerationSummary", "build_parser", "format_version", "generate", "main",
           "parse_format", "write_flow_log_file"]
