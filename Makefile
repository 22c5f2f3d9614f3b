# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 8000
HOST ?= 127.0.0.1

# The suite at other days than today (make test-any-day): a year and more ahead, and the spring
# daylight-saving change in Stockholm (02:00 became 03:00 on 2027-03-28, at 01:00 UTC).
export ANY_DAYS ?= +400d|@2027-03-28 01:30:00

.PHONY: run test lint test-any-day install build system-packages migrate seed clean

run: install build migrate seed
	@echo "Fickan startar på http://$(HOST):$(PORT)  (stoppa med Ctrl+C)"
	@# Plain HTTP on loopback for the demo: cookies without the Secure flag (set FICKAN_COOKIE_SECURE=1 behind TLS).
	@export FICKAN_COOKIE_SECURE=$${FICKAN_COOKIE_SECURE:-0}; \
	$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

# Lint first: a finding stops the suite before it starts (seconds, where the suite takes minutes).
test: install build system-packages lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff with the rules in pyproject.toml ([tool.ruff]); README, "Lint".
lint: install
	$(BIN)/ruff check app sync pwa tests bench

# Everything but the browser tests (Chromium keeps real time) and the benches' smoke runs (they time real work),
# under libfaketime at each of ANY_DAYS.
test-any-day: install build system-packages
	@IFS='|'; for day in $$ANY_DAYS; do \
	  echo "== the suite with the clock at $$day (UTC)"; \
	  TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "$$day" \
	    $(BIN)/python -m pytest -q -p no:cacheprovider --ignore=tests/browser --ignore=tests/test_benches.py $(PYTEST_ARGS) || exit 1; \
	done

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build: install
	FICKAN_PYTHON=$(BIN)/python npm run --silent build
	$(BIN)/python -m pwa.icons static/icons

# Debian's packages the suite runs: Chromium for the browser tests, a throwaway PostgreSQL and Redis
# (tests/servers.py), libfaketime for test-any-day. Installed when missing.
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v faketime >/dev/null || missing="$$missing faketime"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	fi

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

clean:
	rm -rf static/dist pwa/js/generated .pytest_cache
