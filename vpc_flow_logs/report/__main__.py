"""`python -m vpc_flow_logs.report`: see :mod:`vpc_flow_logs.report`."""

from vpc_flow_logs.report import main

raise SystemExit(main())
