"""`python -m vpc_flow_logs.generate_sample_logs`: see the package docstring."""

from vpc_flow_logs.generate_sample_logs.cli import main

raise SystemExit(main())
