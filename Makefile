# One target per task. `make dev` runs the system locally; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMPS := .stamps
CHECKOV_VENV := .venv-checkov
export PATH := $(CURDIR)/$(BIN):$(CURDIR)/node_modules/.bin:$(PATH)
# osls must never reach real AWS from this repository's tasks: fake credentials, no telemetry.
export AWS_ACCESS_KEY_ID ?= test
export AWS_SECRET_ACCESS_KEY ?= test
export AWS_REGION ?= eu-west-1
export AWS_DEFAULT_REGION ?= $(AWS_REGION)
export SLS_TELEMETRY_DISABLED := 1
export SLS_NOTIFICATIONS_MODE := off

.PHONY: help install dev local-orders local-queues local-token dlq-list dlq-redrive load fuzz lint typecheck unit template-checks test openapi mutation bench scale clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(STAMPS)/python: requirements.txt requirements-dev.txt
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(STAMPS)/node: package.json package-lock.json .npmrc
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Browser tests drive Debian's Chromium (no browser download is possible here); install it when missing.
$(STAMPS)/chromium:
	@mkdir -p $(STAMPS)
	command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; }
	@touch $@

# checkov's pins conflict with requirements-dev.txt: it gets a venv of its own.
$(STAMPS)/checkov: requirements-checkov.txt
	@mkdir -p $(STAMPS)
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-checkov.txt
	@touch $@

install: $(STAMPS)/python $(STAMPS)/node ## Install Python and npm dependencies (idempotent)

dev: install ## Run the whole system locally (moto server, sls offline, storefront); Ctrl-C stops it
	$(BIN)/python -m scripts.dev

local-orders: $(STAMPS)/python ## Print the orders stored by the running `make dev`
	$(BIN)/python -m scripts.local_data orders

local-queues: $(STAMPS)/python ## Print message counts of the local queue and dead-letter queue
	$(BIN)/python -m scripts.local_data queues

local-token: $(STAMPS)/python ## Print an access token of the running `make dev`'s demo shopper (an hour in moto; 15 minutes deployed)
	@$(BIN)/python -m scripts.local_data token

LOCAL_AWS = AWS_ENDPOINT_URL=http://127.0.0.1:$${MOTO_PORT:-4566}
dlq-list: $(STAMPS)/python ## List the dead-letter queue of the running `make dev` (deployed: see README)
	$(LOCAL_AWS) $(BIN)/python -m scripts.dlq list --stage local

dlq-redrive: $(STAMPS)/python ## Move the local dead letters back to the order queue
	$(LOCAL_AWS) $(BIN)/python -m scripts.dlq redrive --stage local

load: install ## Thousands of orders from concurrent clients through a local stack; checks none lost or doubled
	$(BIN)/python -m scripts.load --orders $${ORDERS:-2000} --clients $${CLIENTS:-16}

fuzz: install ## Schemathesis against a local stack with every check and many examples (EXAMPLES=500)
	$(BIN)/python -m scripts.fuzz --max-examples $${EXAMPLES:-500}

lint: $(STAMPS)/python ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMPS)/python ## mypy, strict
	$(BIN)/mypy shared/python services scripts tests $(wildcard bench)

openapi: $(STAMPS)/python ## Regenerate docs/openapi.json from the code
	$(BIN)/python scripts/generate_openapi.py docs/openapi.json

unit: $(STAMPS)/python ## Unit tests only (fast, moto in-process)
	$(BIN)/pytest tests/unit

template-checks: install $(STAMPS)/checkov ## Package dev and prod; cfn-lint, checkov, template assertions
	$(BIN)/pytest tests/template

test: install $(STAMPS)/chromium $(STAMPS)/checkov lint typecheck ## Every check: lint, types, unit, template and local-stack tests
	$(BIN)/pytest

# mutmut over shared/python/orders and services with the in-process tests; minutes, so not part of test.
# Results are cached in mutants/: a second run tests only what changed. MUTANTS= limits it ("services.api.*").
mutation: $(STAMPS)/python ## Mutation testing (mutmut) of the product code; prints the score (docs/testing.md)
	$(BIN)/python -m scripts.mutation run --max-children $${JOBS:-2} $${MUTANTS:-}
	$(BIN)/python -m scripts.mutation score

bench: install ## Benchmarks (cold start, warm, cost per order, size, local throughput); not part of test
	$(BIN)/python -m bench

scale: install ## Scale model at 100, 1,000 and 10,000 orders/s for the prod template (STAGE=, RATES=)
	$(BIN)/python -m bench.scale --stage $${STAGE:-prod} $${RATES:-}

clean: ## Remove generated files (keeps installed dependencies)
	rm -rf .serverless .pytest_cache .mypy_cache .ruff_cache test-output mutants
