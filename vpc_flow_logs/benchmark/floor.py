"""The raw-read floor, run as a measured child process: DuckDB counts the lines of files.

    python -m vpc_flow_logs.benchmark.floor FILES_JSON THREADS ENCODING

Prints one JSON line: the seconds the count took and the lines counted.
"""

import json
import sys
import time

import duckdb

# The reader options of the project's raw view (macros/raw_source/prepare_raw_source.sql),
# but for the encoding: the floor reads UTF-8 (DuckDB's fastest path, the same bytes for
# ASCII flow logs); the `floor_duckdb_latin1` figure uses the view's latin-1 as well.
READ_CSV_OPTIONS = (
    "columns = {'line': 'VARCHAR'}, header = false, auto_detect = false, delim = '\\x1f', "
    "quote = '', escape = '', comment = '', compression = 'gzip', strict_mode = false"
)


def count_lines(files: list[str], threads: str, encoding: str) -> dict[str, float]:
    connection = duckdb.connect()
    connection.execute("set threads = " + threads)
    started = time.perf_counter()
    lines = connection.execute(
        f"select count(*) from read_csv($files, {READ_CSV_OPTIONS}, encoding = '{encoding}')",
        {"files": files}).fetchone()[0]
    return {"seconds": time.perf_counter() - started, "lines": lines}


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(count_lines(json.load(handle), sys.argv[2], sys.argv[3])))
