# The two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install build chromium migrate seed clean

run: install build migrate seed
	@echo "Fickan startar på http://$(HOST):$(PORT)  (stoppa med Ctrl+C)"
	@# Plain HTTP on loopback for the demo: cookies without the Secure flag (set FICKAN_COOKIE_SECURE=1 behind TLS).
	@export FICKAN_COOKIE_SECURE=$${FICKAN_COOKIE_SECURE:-0}; \
	$(FLASK) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

test: install build chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

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
	npm run --silent build
	$(BIN)/python -m pwa.icons static/icons

# Browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

clean:
	rm -rf static/dist .pytest_cache
