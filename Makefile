# Ruta — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
DEMO_ENV := DEBUG=true RUTA_DEMO=true

.PHONY: run test install install-dev browser lint layers typecheck migrations-check messages-check messages pytest pytest-clocks serve clean loadtest throughput

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

## make run: install, migrate SQLite under var/, load the demo data, serve on 127.0.0.1:$(PORT)
## with the task worker beside it (Procfile.dev)
run: install
	@mkdir -p var
	$(DEMO_ENV) $(PY) manage.py migrate --no-input
	$(DEMO_ENV) $(PY) manage.py load_demo
	@echo ""
	@echo "  Ruta is running on http://127.0.0.1:$(PORT)/  (English: http://127.0.0.1:$(PORT)/en/)"
	@echo "  Demo accounts (password: demo-ruta-2026):"
	@echo "    admin@ruta.example.org          platform administrator"
	@echo "    coordinacion@ruta.example.org   network coordinator"
	@echo "    analista@ruta.example.org       M&E analyst"
	@echo "    admin.care@ruta.example.org     CARE agency administrator   (same with .hias)"
	@echo "    supervision.care@ruta.example.org  CARE supervisor"
	@echo "    gestion.care@ruta.example.org   CARE caseworker"
	@echo "    linea.care@ruta.example.org     CARE helpline operator"
	@echo ""
	@echo "  The task worker (imports, exports, e-mails) runs beside the web server; Ctrl-C stops both."
	@echo ""
	$(DEMO_ENV) $(VENV)/bin/honcho -f Procfile.dev start --port $(PORT)

## make test: dev dependencies, Chromium, lint, layers, types, migrations and translations checks, pytest
test: install-dev browser lint layers typecheck migrations-check messages-check pytest

browser:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian packages the tests need:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing:$$missing. Run 'sudo apt-get install -y$$missing' (browser tests never skip)"; exit 1; \
	  fi; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## make layers: the architecture contract in pyproject.toml ([tool.importlinter])
layers: install-dev
	PYTHONPATH=. $(VENV)/bin/lint-imports --no-cache

typecheck: install-dev
	DJANGO_SETTINGS_MODULE=ruta.test_settings $(VENV)/bin/mypy ruta

migrations-check: install-dev
	DJANGO_SETTINGS_MODULE=ruta.test_settings $(PY) manage.py makemigrations --check --dry-run

messages-check: install-dev
	DJANGO_SETTINGS_MODULE=ruta.test_settings $(PY) manage.py check_translations

## make messages: refresh the .po files from the code and compile them
messages: install-dev
	DJANGO_SETTINGS_MODULE=ruta.test_settings $(PY) manage.py makemessages -l es -l en --no-location --no-obsolete --ignore='.venv/*' --ignore='staticfiles/*' --ignore='var/*'
	DJANGO_SETTINGS_MODULE=ruta.test_settings $(PY) manage.py compilemessages --ignore='.venv/*'

# Tests are handed to the two workers one by one (--dist loadgroup), not a file at a time:
# a file of slow tests (the API contract, the access fuzz) no longer leaves one worker busy
# minutes after the other ran out. A module whose fixture must be built once names its
# xdist_group (test_production_mode.py).
# The migrated test databases are kept between runs (--reuse-db): a PostgreSQL run then
# skips migrating each worker's database again, and `make pytest-clocks` reuses the ones
# the main run made. CI still starts from nothing: .ci/run names a new database each time (and
# drops the test databases at the end).
REUSE_DB := --reuse-db
pytest: install-dev
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(REUSE_DB) $(PYTEST_ARGS)

# In `make test` each test marked `dates` starts at one of two awkward moments (the same
# for a test in every run: conftest.py MAIN_RUN_CLOCKS), which keeps pytest under its
# 10-minute budget. `make pytest-clocks` runs every date test (860, about 2.5 minutes) at
# each of CLOCKS in turn: before a release, or after changing date code.
# The clock ticks on (time-machine).
CLOCKS ?= 2027-01-31T03:00:00+00:00 2028-02-29T23:30:00-05:00
pytest-clocks: install-dev
	@for clock in $(CLOCKS); do \
	  echo "Date tests with the clock at $$clock"; \
	  RUTA_TEST_CLOCK=$$clock $(VENV)/bin/pytest -n 2 --dist loadgroup $(REUSE_DB) -q -m "dates and not browser" \
	    || exit 1; \
	done

## make loadtest: 50 Locust users against a production-mode gunicorn on a scratch PostgreSQL
## database (ruta_load); LOAD_FAULT=pg-restart restarts PostgreSQL mid-run (loadtest/README.md).
## Locust lives in its own venv (.venv-load): it is a load generator, not a dependency of Ruta.
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: requirements-load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet -r requirements-load.txt
	touch $@

loadtest: install $(LOAD_VENV)/.installed
	LOCUST=$(LOAD_VENV)/bin/locust loadtest/run.sh

## make throughput: requests per second for /healthz, a static file and the finder against
## gunicorn (2 workers, DEBUG off) on the same scratch database (loadtest/README.md).
throughput: install
	LOAD_MODE=throughput LOAD_WORKERS=$${LOAD_WORKERS:-2} loadtest/run.sh

clean:
	rm -rf $(VENV) $(LOAD_VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
