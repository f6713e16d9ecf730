"""Benchmark the project on DuckDB against the raw-read floor and a pandas baseline.

One run measures, each ``--repeat`` times (median reported), on a generated dataset of
``--records`` flow log records over ``--days`` days (cached under ``--data-dir``):

floor
    the fastest raw read of the same files: DuckDB counting the lines of every file
    (the raw view's reader options, decoding UTF-8; and with the view's latin-1), and
    ``gzip -dc | wc -l`` for reference (one core);
dbt start-up
    a ``dbt parse`` with a warm partial-parse cache: the fixed cost of any dbt command;
full build
    ``dbt build`` of everything from an empty DuckDB file (a fresh file each repeat);
incremental day
    after the full build, one more day of the same size is delivered and the scheduled
    build runs on the same database: ``dbt build --exclude-resource-type unit_test``
    (every model and data test; unit tests test logic and belong to CI);
pandas baseline
    what a user would otherwise write: pandas reads every file and computes rejects by
    source, bytes per IP and SSH/RDP counts.

Peak memory is the maximum resident set size of each measured process and of the
children it waited for (``wait4`` through a small launcher, :mod:`.launcher`); CPU
time is reported next to wall time, and the CPU other processes used meanwhile.
The same figures, the ratios against the targets, dbt's per-node timings and an Athena
cost model of the daily run (what each model reads: raw partitions, Parquet columns;
bytes billed at $5/TB with a 10 MB minimum per query, against the naive design where
every mart query scans the raw gzip text of the retention window) are written as JSON
to ``--output``.

Usage: python -m vpc_flow_logs.benchmark [--records 5000000] [--days 7] [--repeat 3]

Modules: :mod:`.dataset` (generate and cache the data), :mod:`.measure` (run a command,
time it, its peak memory), :mod:`.floor`, :mod:`.baseline` and :mod:`.launcher` (the
measured child processes), :mod:`.cost` (the Athena cost model), :mod:`.render` (the
tables printed), :mod:`.runner` (the measurements of one run), :mod:`.cli` (the command
line). This file imports nothing: the measured children stay small.
"""
