"""Optional orchestration of the dbt project (Dagster); see docs/ORCHESTRATION.md.

Install the extra first: ``pip install --no-deps -r requirements-orchestration.lock``.
"""
