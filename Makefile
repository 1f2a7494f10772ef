# One place for the commands that the README, CI and docker-compose.yml rely on.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run install install-dev test lint format migrations-check check-deploy bench bench-engine worker beat web

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt package.json | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	# axe-core (accessibility checks in the browser tests) comes from the npm registry.
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; fi
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## The fresh-machine command: install, migrate, demo accounts, serve on SQLite.
run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo_setup
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

## The whole test suite (browser tests included when Chromium is installed).
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# The layer contracts of .importlinter (README, "Layers").
	$(VENV)/bin/lint-imports
	# Types (config in pyproject.toml: check_untyped_defs over assessments/ and zeus_assess/).
	$(VENV)/bin/mypy
	# The engine is held to --strict; the rest of the project to check_untyped_defs.
	$(VENV)/bin/mypy --strict -p assessments.formulation.engine

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

check-deploy: install
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  ALLOWED_HOSTS=zeus.example.org $(PY) manage.py check --deploy --fail-level WARNING

## Every page against a bare Django view under the same gunicorn (see README, Benchmarks).
BENCH_ARGS ?=
bench: install-dev
	$(PY) -m bench.run $(BENCH_ARGS)

bench-engine: install
	$(PY) scripts/bench_engine.py
