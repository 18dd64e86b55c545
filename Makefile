# 县级政务门户 — two commands for a fresh machine:
#   make demo   set up and start the demo portal on the embedded default (SQLite)
#   make test   set up and run the whole suite against real PostgreSQL, Elasticsearch, Chromium
#   make bench        the public pages in the production shape, one table (see README)
#   make bench-cases  case-information benchmark at 1,000,000 cases (see README)
#   make bench-search site-search benchmark at 100,000 items (see README)
#   make bench-appointments  concurrent booking benchmark over HTTP (see README)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
ARGS ?=
# Parallel test workers (pytest-xdist): each has its own database copy, indices, cache keys, files.
# `--dist load` hands tests out in pytest-django's order (database tests before transactional ones,
# which leave the tables empty), so no worker runs a database test after a transactional one.
TEST_WORKERS ?= 3
# Every run ends with its 40 slowest test phases, so that the suite's time stays visible in CI.

.PHONY: demo test bench bench-cases bench-search bench-appointments venv venv-test services lint check-migrations clean

$(VENV)/bin/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt $(VENV)/bin/activate
	$(PY) -m pip install -q -r requirements-test.txt
	touch $@ $(VENV)/.runtime

venv: $(VENV)/.runtime
venv-test: $(VENV)/.test

demo: venv
	env -u DATABASE_URL -u ELASTICSEARCH_URL -u CACHE_URL -u TASKS_BACKEND \
	    DJANGO_SETTINGS_MODULE=portal.settings.dev sh -c '\
	    $(PY) manage.py migrate --noinput && \
	    $(PY) manage.py seed_demo && \
	    $(PY) manage.py runserver $(HOST):$(PORT)'

lint: venv-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-migrations: venv-test
	env -u DATABASE_URL -u ELASTICSEARCH_URL DJANGO_SETTINGS_MODULE=portal.settings.dev \
	    $(PY) manage.py makemigrations --check --dry-run

test: venv-test lint check-migrations
	@eval "$$(scripts/services.sh all)" && \
	export DJANGO_SETTINGS_MODULE=portal.settings.test TASKS_BACKEND=database && \
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load --durations=40 $(ARGS)

# Issue 6 benchmark: 1,000,000 cases into a dedicated database (portal_bench, emptied first),
# reindex, then HTTP lookup and document search percentiles; ARGS="--cases 100000" for a short run.
bench-cases: venv
	@eval "$$(PG_DB=portal_bench scripts/services.sh all)" && \
	SEARCH_INDEX_PREFIX=bench $(PY) scripts/bench_cases.py $(ARGS)

# Issue 14 benchmark: 100,000 articles into a dedicated database (portal_bench_search,
# emptied first), the site search index built, then /search/ over HTTP with Elasticsearch and
# with the database backend; the benchmark index is deleted afterwards. ARGS="--items 20000".
bench-search: venv
	@eval "$$(PG_DB=portal_bench_search scripts/services.sh all)" && \
	SEARCH_INDEX_PREFIX=benchsearch $(PY) scripts/bench_search.py $(ARGS)

clean:
	rm -rf $(VENV) var/static var/media var/portal.sqlite3

# Issue 13 benchmark: concurrent booking over HTTP (gunicorn, production settings) into a dedicated
# database (portal_bench_appointments, appointment tables emptied first); ARGS="--clients 16" etc.
bench-appointments: venv
	@eval "$$(PG_DB=portal_bench_appointments scripts/services.sh postgres)" && \
	eval "$$(scripts/services.sh redis)" && \
	$(PY) scripts/bench_appointments.py $(ARGS)

# Issue 15 benchmark: the production shape (gunicorn 2 workers, PostgreSQL, Elasticsearch, Redis,
# nginx from deploy/nginx/) on a dedicated database (portal_bench_all, emptied first) loaded with
# the demo portal and 10,000 pages + 100,000 letters; one table of the public pages measured with
# wrk. ARGS="--pages 2000 --letters 20000 --duration 5" for a short run, ARGS=--with-others also
# runs the case, search and appointment benchmarks at small sizes.
bench: venv-test
	@eval "$$(PG_DB=portal_bench_all scripts/services.sh postgres)" && \
	eval "$$(scripts/services.sh redis)" && eval "$$(scripts/services.sh elasticsearch)" && \
	eval "$$(scripts/services.sh nginx)" && eval "$$(scripts/services.sh wrk)" && \
	SEARCH_INDEX_PREFIX=benchall $(PY) scripts/bench.py $(ARGS)
