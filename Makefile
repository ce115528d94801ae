# The front door: make run, make test, make lint, make bench.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
MANAGE := $(PY) manage.py
# make run is for a laptop: DEBUG on, SQLite and a file broker unless DATABASE_URL/REDIS_URL are set.
RUN_ENV := DEBUG=1
TEST_ENV := DJANGO_SETTINGS_MODULE=tests.settings

.PHONY: run test lint format install messages static backup bench bench-encryption bench-cases bench-reminders bench-shelters bench-referrals bench-load bench-reports bench-retention bench-pages

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

messages: install
	$(RUN_ENV) $(MANAGE) compilemessages --ignore='$(VENV)' --ignore=.venv -v 0

static: install
	$(TEST_ENV) $(MANAGE) collectstatic --noinput -v 0

run: install messages static
	mkdir -p var
	$(RUN_ENV) $(MANAGE) generate_keyring --file .keys/dev-keyring.json --if-missing
	$(RUN_ENV) $(MANAGE) migrate --noinput -v 0
	$(RUN_ENV) $(MANAGE) migrate --database keystore --noinput -v 0
	$(RUN_ENV) $(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000/ with a Celery worker and beat (Ctrl-C stops all three)."
	@trap 'kill 0' EXIT INT TERM; \
	$(RUN_ENV) $(VENV)/bin/celery -A crisis_ops worker --loglevel=info --concurrency=2 & \
	$(RUN_ENV) $(VENV)/bin/celery -A crisis_ops beat --loglevel=info & \
	$(RUN_ENV) $(MANAGE) runserver 127.0.0.1:8000

# Dumps the main database, then the key store, with a manifest, into BACKUP_DIR (var/backups);
# key-store dumps older than KEYSTORE_BACKUP_DAYS (30) are deleted. docs/operations.md.
backup: install
	$(MANAGE) backup

test: install messages static
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: bench-encryption bench-cases bench-reminders bench-shelters bench-referrals bench-load bench-reports bench-retention bench-pages

# Seeds 1,000,000 rows in its own database (crisis_ops_bench) on first run; later runs reuse them.
bench-encryption: install
	$(VENV)/bin/python -m bench.encryption

# Seeds 100,000 cases twice (encrypted, and plain twins) in crisis_ops_bench_cases on first run.
bench-cases: install
	$(VENV)/bin/python -m bench.cases

# Seeds 100,000 active orders and their ~1.8M reminders in crisis_ops_bench_reminders on first
# run (reseeded on a later day); starts one Celery worker against the shared Redis, own queue.
bench-reminders: install
	$(VENV)/bin/python -m bench.reminders

# Reseeds 40 shelters × 50 beds (and 3,000 cases once) in crisis_ops_bench_shelters every
# run; times the board, then races 50 hold requests through a gunicorn it starts itself.
bench-shelters: install
	$(VENV)/bin/python -m bench.shelters

# Seeds 100,000 cases, 200,000 referrals and 5,000 grants in crisis_ops_bench_referrals on
# first run; times a center's incoming referrals and the case list with and without grants.
bench-referrals: install
	$(VENV)/bin/python -m bench.referrals

# Seeds bench-shelters' centers, 20,000 cases and 40 shelters in crisis_ops_bench_load (cases
# once), starts gunicorn (production settings) and a Celery worker on 127.0.0.1, and drives
# them with 50 locust users for 3 minutes: bench/results/load.json.
bench-load: install static
	$(VENV)/bin/python -m bench.load

# Seeds two networks of 20 centers over 36 months (1,000,000 and 100,000 incidents) in
# crisis_ops_bench_reports on first run; times reports end to end and the PDF export.
bench-reports: install
	$(VENV)/bin/python -m bench.reports

# Seeds 100,000 survivors (closed cases, an incident and a note each) in
# crisis_ops_bench_retention once, topping up later; times purging 1,000 of them end to end.
bench-retention: install
	$(VENV)/bin/python -m bench.retention

# Seeds the demo data in crisis_ops_bench_pages, starts gunicorn (production settings, no
# TLS) on 127.0.0.1 and loads every role's main pages in Chromium under 400 ms / 400 kbit/s,
# cold and warm, and an intake step: bench/results/pages.json.
bench-pages: install static
	$(VENV)/bin/python -m bench.pages
