# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DBT := $(VENV)/bin/dbt
STAMP := $(VENV)/.installed
SAMPLE := sample_data

export DBT_PROFILES_DIR ?= $(CURDIR)

.PHONY: help install install-orchestration browser demo sample build test lint docs docs-check report bench clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

ORCHESTRATION_STAMP := $(VENV)/.installed-orchestration

$(ORCHESTRATION_STAMP): requirements-orchestration.lock $(STAMP)
	$(PY) -m pip install --quiet --no-deps -r requirements-orchestration.lock
	touch $(ORCHESTRATION_STAMP)

install-orchestration: $(ORCHESTRATION_STAMP)  ## Add Dagster (optional extra) to .venv

profiles.yml: profiles.example.yml
	@test -f profiles.yml || cp profiles.example.yml profiles.yml

install: $(STAMP) profiles.yml  ## Create .venv with the pinned versions and profiles.yml

sample: install  ## Generate the sample flow logs (once)
	$(PY) -m vpc_flow_logs.generate_sample_logs --output $(SAMPLE)

demo: sample  ## Build everything on DuckDB from the sample data and print a summary
	$(DBT) seed --quiet
	$(DBT) build
	$(PY) -m vpc_flow_logs.summary

browser:  ## Install Chromium and chromedriver (Debian packages) when missing, for the report test
	@.ci/ensure-chromium

# Test modules run in parallel, one module per worker (pytest-xdist, one worker per core).
TEST_WORKERS ?= auto

test: lint $(ORCHESTRATION_STAMP) browser  ## Run the whole test suite (lint, pytest, dbt on DuckDB, Athena compile)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: install  ## SQL and Python lint
	$(VENV)/bin/ruff check vpc_flow_logs tests orchestration
	@mkdir -p target
	DBT_DUCKDB_PATH=target/lint.duckdb $(VENV)/bin/sqlfluff lint models analyses tests/data_quality \
		2> target/sqlfluff.stderr || (grep -v '^ - \|nanobind' target/sqlfluff.stderr; exit 1)

docs: install  ## Build the dbt docs site (also target/static_index.html) and serve it
	$(PY) -m vpc_flow_logs.docs

docs-check: install  ## Build the docs site without serving it (fails on undocumented models or columns)
	$(PY) -m vpc_flow_logs.docs --no-serve --check

report: install  ## Render the security report (target/security_report.html) from the marts
	$(PY) -m vpc_flow_logs.report

bench: install  ## Benchmark: floor, full build, incremental day, pandas baseline, Athena cost
	$(PY) -m vpc_flow_logs.benchmark

clean:  ## Remove build output and the sample data (keeps .venv)
	rm -rf target logs $(SAMPLE)
