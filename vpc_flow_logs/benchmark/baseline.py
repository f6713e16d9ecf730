"""The pandas baseline: what a user would write without the project, run as a
measured child process.

    python -m vpc_flow_logs.benchmark.baseline FILES_JSON

Prints one JSON line: the seconds (pandas import included) and the rows of each result.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def pandas_baseline(files: list[str]) -> dict[str, Any]:
    """What a user would write without the project: pandas over every file.

    Reads each gzip file (its header names the columns), keeps flow records (log-status
    OK), and computes rejects by source, bytes per IP and SSH/RDP counts per UTC day.
    """
    import pandas as pd

    frames = [pd.read_csv(path, sep=" ", compression="gzip", na_values=["-"],
                          keep_default_na=False) for path in files]
    flows = pd.concat(frames, ignore_index=True)
    del frames
    for column in ("srcport", "dstport", "protocol", "packets", "bytes", "start", "end"):
        flows[column] = pd.to_numeric(flows[column], errors="coerce")
    flows = flows[(flows["log-status"] == "OK") & flows["start"].notna()]
    flows = flows.assign(event_date=pd.to_datetime(flows["start"], unit="s").dt.floor("D"))

    rejects = (flows[(flows["action"] == "REJECT") & flows["srcaddr"].notna()]
               .groupby(["event_date", "account-id", "srcaddr"])
               .agg(rejected_flows=("action", "size"), rejected_packets=("packets", "sum"),
                    rejected_bytes=("bytes", "sum"), distinct_dst_addrs=("dstaddr", "nunique"),
                    distinct_dst_ports=("dstport", "nunique"), first_seen=("start", "min"),
                    last_seen=("end", "max")))

    sent = (flows.groupby(["event_date", "account-id", "srcaddr"])
            .agg(bytes_sent=("bytes", "sum"), packets_sent=("packets", "sum"),
                 flows_as_source=("bytes", "size")))
    sent.index = sent.index.set_names(["event_date", "account-id", "ip"])
    received = (flows.groupby(["event_date", "account-id", "dstaddr"])
                .agg(bytes_received=("bytes", "sum"), packets_received=("packets", "sum"),
                     flows_as_destination=("bytes", "size")))
    received.index = received.index.set_names(["event_date", "account-id", "ip"])
    bytes_per_ip = sent.join(received, how="outer").fillna(0)
    bytes_per_ip["total_bytes"] = bytes_per_ip["bytes_sent"] + bytes_per_ip["bytes_received"]

    tcp = flows[flows["protocol"] == 6]
    remote = tcp[tcp["dstport"].isin([22, 3389]) | tcp["srcport"].isin([22, 3389])]
    is_response = ~remote["dstport"].isin([22, 3389])
    remote = remote.assign(service_port=remote["dstport"].where(~is_response, remote["srcport"]),
                           is_response=is_response)
    ssh_rdp = (remote.groupby(["event_date", "account-id", "interface-id", "srcaddr", "dstaddr",
                               "service_port", "is_response", "action"])
               .agg(flows=("action", "size"), packets=("packets", "sum"),
                    bytes=("bytes", "sum")))
    return {"records": len(flows), "rejects_by_source": len(rejects),
            "bytes_per_ip": len(bytes_per_ip), "ssh_rdp_activity": len(ssh_rdp)}


if __name__ == "__main__":
    started = time.perf_counter()
    with open(sys.argv[1]) as handle:
        result = pandas_baseline(json.load(handle))
    result["seconds"] = time.perf_counter() - started
    print(json.dumps(result))
