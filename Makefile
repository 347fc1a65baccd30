# Nguồn — developer and CI entry points.
#
#   make test           everything CI runs: lint, types, import contracts, pytest against real
#                       PostgreSQL and Kafka (started here, stopped afterwards; KEEP_SERVICES=1 keeps them)
#   make run            the whole platform in one process (embedded PostgreSQL, no Kafka)
#   make lint           ruff, ruff format --check, mypy, lint-imports
#   make bench          the benchmarks in bench/
#   make services-up    start the test PostgreSQL and Kafka (see deploy/local/*.sh)
#   make services-down  stop them
#   make clean          stop them and remove var/, the Kafka jars and caches (keeps .venv)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

VENV := .venv
# Test processes (pytest-xdist): one per core of the 2-core machine CI runs on. Each test has its
# own database, topics and ports, so they run side by side; PYTEST_WORKERS=0 runs them in one.
PYTEST_WORKERS ?= 2
VENV_STAMP := $(VENV)/.installed-from-pyproject
PY := $(VENV)/bin/python
BOOTSTRAP_PYTHON := $(shell command -v python3.11 || command -v python3)

PG_PORT ?= $(or $(NGUON_TEST_PG_PORT),55432)
KAFKA_PORT ?= $(or $(NGUON_TEST_KAFKA_PORT),59092)
export NGUON_TEST_PG_PORT := $(PG_PORT)
export NGUON_TEST_KAFKA_PORT := $(KAFKA_PORT)
export PYTHON := $(CURDIR)/$(PY)

TEST_ENV := NGUON_TEST_DATABASE_ADMIN_URL=postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres \
            NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$(KAFKA_PORT)

# Debian packages the tests need, as command=package pairs.
SYSTEM_PACKAGES := java=openjdk-17-jre-headless mvn=maven chromium=chromium \
                   chromedriver=chromium-driver docker-compose=docker-compose node=nodejs npm=npm \
                   pdftoppm=poppler-utils

.PHONY: .venv test lint run bench services-up services-down clean system-packages

.venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml
	@test -n "$(BOOTSTRAP_PYTHON)" || { echo "make: python3.11 (or python3) is required" >&2; exit 1; }
	@"$(BOOTSTRAP_PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
		|| { echo "make: $(BOOTSTRAP_PYTHON) is not Python 3.11" >&2; exit 1; }
	@test -x $(PY) || "$(BOOTSTRAP_PYTHON)" -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

system-packages:
	@missing=(); \
	for pair in $(SYSTEM_PACKAGES); do \
		command -v "$${pair%%=*}" >/dev/null 2>&1 || missing+=("$${pair#*=}"); \
	done; \
	if (( $${#missing[@]} )); then \
		echo "make: installing Debian packages: $${missing[*]}"; \
		sudo=""; [[ "$$(id -u)" == 0 ]] || sudo="sudo"; \
		$$sudo apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends "$${missing[@]}"; \
	fi

services-up: $(VENV_STAMP)
	@deploy/local/postgres.sh start
	@deploy/local/kafka.sh start

services-down:
	@deploy/local/kafka.sh stop
	@deploy/local/postgres.sh stop

# Runs every step even after one fails, so one run shows all problems; fails if any failed.
test: $(VENV_STAMP) system-packages
	@failed=(); \
	step() { local name="$$1"; shift; echo "==> $$name"; "$$@" || failed+=("$$name"); }; \
	stop_services() { \
		trap - EXIT; [[ "$${KEEP_SERVICES:-0}" == 1 ]] && return 0; \
		echo "==> stopping services"; \
		deploy/local/kafka.sh stop || failed+=("kafka stop"); \
		deploy/local/postgres.sh stop || failed+=("postgres stop"); \
	}; \
	trap stop_services EXIT; \
	servers=up; \
	deploy/local/postgres.sh start || { failed+=("postgres start"); servers=down; }; \
	deploy/local/kafka.sh start || { failed+=("kafka start"); servers=down; }; \
	step "ruff check" $(VENV)/bin/ruff check .; \
	step "ruff format --check" $(VENV)/bin/ruff format --check .; \
	step "mypy" $(VENV)/bin/mypy; \
	step "lint-imports" $(VENV)/bin/lint-imports; \
	if [[ -f tests/gs1_validator/package-lock.json ]]; then \
		step "npm ci (GS1 Digital Link validator)" npm ci --prefix tests/gs1_validator --no-audit --no-fund --silent; \
	fi; \
	if [[ -f tests/axe/package-lock.json ]]; then \
		step "npm ci (axe-core accessibility audit)" npm ci --prefix tests/axe --no-audit --no-fund --silent; \
	fi; \
	if [[ -f tests/epcis_validator/package-lock.json ]]; then \
		step "npm ci (epcis2.js EPCIS validator)" npm ci --prefix tests/epcis_validator --no-audit --no-fund --silent; \
	fi; \
	if [[ $$servers == down ]]; then \
		echo "==> pytest skipped: the test servers did not start"; failed+=("pytest"); \
	else \
		step "pytest" env $(TEST_ENV) $(VENV)/bin/pytest -n $(PYTEST_WORKERS); \
	fi; \
	stop_services; \
	if (( $${#failed[@]} )); then \
		echo "make test: FAILED: $$(IFS=,; echo "$${failed[*]}")" >&2; exit 1; \
	fi; \
	echo "make test: all steps passed"

lint: $(VENV_STAMP)
	@failed=0; \
	$(VENV)/bin/ruff check . || failed=1; \
	$(VENV)/bin/ruff format --check . || failed=1; \
	$(VENV)/bin/mypy || failed=1; \
	$(VENV)/bin/lint-imports || failed=1; \
	exit $$failed

run: $(VENV_STAMP)
	$(VENV)/bin/nguon demo

bench: $(VENV_STAMP) services-up
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@export NGUON_TEST_DATABASE_ADMIN_URL=postgresql://postgres@127.0.0.1:$(PG_PORT)/postgres \
	        NGUON_TEST_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$(KAFKA_PORT); \
	if [[ -f bench/run_all.py ]]; then \
		$(PY) bench/run_all.py; \
	else \
		shopt -s nullglob; benches=(bench/*.py); \
		(( $${#benches[@]} )) || { echo "make bench: no benchmarks in bench/"; exit 0; }; \
		for b in "$${benches[@]}"; do echo "==> $$b"; $(PY) "$$b"; done; \
	fi

clean:
	@if [[ -x deploy/local/kafka.sh ]]; then deploy/local/kafka.sh stop; fi
	@if [[ -x $(PY) ]]; then deploy/local/postgres.sh stop; fi
	rm -rf var deploy/local/kafka/lib deploy/local/kafka/target .mypy_cache .ruff_cache .pytest_cache .hypothesis \
		.import_linter_cache
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +
