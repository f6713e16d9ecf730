"""Run a command as this process's child and write that child's rusage as JSON.

    python -m vpc_flow_logs.benchmark.launcher USAGE_JSON COMMAND [ARG...]

Needed because Linux starts a spawned process's peak-RSS counter from its parent's
(fork/vfork copies the parent's high-water mark): measured directly, every child of a
large benchmark process would report at least the benchmark's own RSS. This launcher
stays small (standard library only; the package's ``__init__`` imports nothing).
"""

import json
import os
import sys


def main(argv: list[str]) -> int:
    pid = os.fork()
    if pid == 0:
        os.execvp(argv[1], argv[1:])  # noqa: S606 - the measured command, as given
    _, status, usage = os.wait4(pid, 0)
    with open(argv[0], "w") as handle:
        json.dump({"maxrss": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}, handle)
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
