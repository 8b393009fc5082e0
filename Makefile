# The Makefile is the interface: CI calls only `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BOOT := $(VENV)/.bootstrapped
SERVICES := ingest etl-trigger trainer predictor
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
DEMO_FLIGHTS ?= 1000000
PYTEST_ARGS ?=

.PHONY: help bootstrap demo test lint format unit integration e2e bench package clean

help: ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BOOT): requirements/dev.lock package.json package-lock.json pyproject.toml shared/pyproject.toml
	@echo "==> bootstrapping .venv and node_modules (first run only)"
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -r requirements/dev.lock
	$(VENV)/bin/python -m pip install -q --no-deps -e shared -e .
	$(VENV)/bin/python -c "import site, pathlib; pathlib.Path(site.getsitepackages()[0], 'airline-services.pth').write_text(''.join(str(pathlib.Path('services', s).resolve()) + '\n' for s in '$(SERVICES)'.split()))"
	npm ci --no-audit --no-fund --loglevel=error
	touch $(BOOT)

bootstrap: $(BOOT) ## create .venv and node_modules from the lock files

demo: $(BOOT) ## run the whole chain on one machine (DEMO_FLIGHTS=1000000)
	airline demo --flights $(DEMO_FLIGHTS)

test: $(BOOT) lint ## lint, type-check and run every test
	pytest $(PYTEST_ARGS)

lint: $(BOOT) ## ruff (lint + format check) and mypy
	ruff check .
	ruff format --check .
	mypy

format: $(BOOT) ## apply ruff fixes and formatting
	ruff check --fix .
	ruff format .

unit: $(BOOT) ## unit tests only
	pytest tests/unit $(PYTEST_ARGS)

integration: $(BOOT)
	pytest tests/integration $(PYTEST_ARGS)

e2e: $(BOOT)
	pytest tests/e2e $(PYTEST_ARGS)

bench: $(BOOT) ## benchmarks (ETL, training, inference); figures go to bench-output/
	command -v wrk >/dev/null || apt-get install -y wrk || echo "wrk missing: the predict load test will be skipped"
	airline bench etl
	airline bench train
	airline bench predict

package: $(BOOT) ## offline `serverless package` of every service
	airline deploy package

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache bench-output demo-output
