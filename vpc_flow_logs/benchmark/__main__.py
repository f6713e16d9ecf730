"""`python -m vpc_flow_logs.benchmark`: see the package docstring."""

from vpc_flow_logs.benchmark.cli import main

raise SystemExit(main())
