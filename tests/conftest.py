"""Test-wide fixtures. The suite runs the production shape: real PostgreSQL, real
Elasticsearch, the database task queue and Debian's Chromium. A missing service stops
the run with an error; nothing is skipped."""

import datetime
import os

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from pytest_django.plugin import blocking_manager_key

from portal.checks import PER_PROCESS_CACHES
from search.connection import get_client, index_name

from . import demo_snapshot
from .builders import build_portal, forget_staff_sessions
from .review_builders import build_review_site

demo_build_key = pytest.StashKey()


def pytest_configure(config):
    """With parallel workers (`-n N`), the database is migrated once, by the controller, and each
    worker gets a copy (PostgreSQL's CREATE DATABASE … TEMPLATE) instead of migrating its own:
    migrating takes minutes on this machine, copying seconds."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        config.option.reuse_db = True  # the copy the controller made for this run
        return
    workers = getattr(config.option, "numprocesses", None)
    if workers and not config.option.collectonly:
        with config.stash[blocking_manager_key].unblock():
            connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            for number in range(int(workers)):
                connection.creation._clone_test_db(f"gw{number}", verbosity=0, keepdb=False)
            connection.creation._clone_test_db(demo_snapshot.WORKER, verbosity=0, keepdb=False)
            demo_database = connection.creation.get_test_db_clone_settings(demo_snapshot.WORKER)["NAME"]
            connection.close()
        config.stash[demo_build_key] = demo_snapshot.start(demo_database, settings.VAR_DIR / "test-demo")


@pytest.hookimpl(tryfirst=True)  # before pytest-django's own (also tryfirst) ordering, which must win
def pytest_collection_modifyitems(config, items):
    """The tests marked slow run first within their kind: started last, one of them would keep a
    worker busy for minutes after the others have finished. pytest-django then puts the tests
    that share the database's transaction before the transactional ones (a transactional test
    empties the tables the others rely on), keeping this order within each."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_unconfigure(config):
    build = config.stash.get(demo_build_key, None)
    if build is not None and build.poll() is None:
        build.terminate()
        build.wait()


def pytest_sessionstart(session):
    problems = []
    if connection.vendor != "postgresql":
        problems.append("DATABASE_URL must point at PostgreSQL (run the suite with `make test`).")
    if not settings.ELASTICSEARCH_URL:
        problems.append("ELASTICSEARCH_URL must point at Elasticsearch (run the suite with `make test`).")
    else:
        try:
            get_client().cluster.health(wait_for_status="yellow", timeout="30s")
        except Exception as exc:
            problems.append(f"Elasticsearch at {settings.ELASTICSEARCH_URL} is not reachable: {exc}")
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        problems.append("CACHE_URL must point at a shared cache (Redis or db://): the suite runs the production shape.")
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        problems.append("TASKS_BACKEND=database is required: the suite runs the production shape.")
    if problems:
        pytest.exit("Real services missing:\n  " + "\n  ".join(problems), returncode=3)


def delete_test_indices():
    client = get_client()
    for name in client.indices.get(index=f"{index_name('')}*", expand_wildcards="all"):
        client.indices.delete(index=name)


@pytest.fixture(scope="session", autouse=True)
def fresh_search_indices():
    """Start every run from empty test indices, whatever an earlier run left behind."""
    delete_test_indices()


@pytest.fixture
def clean_search_indices():
    """Empty indices for a test whose database starts empty too (transactional tests)."""
    delete_test_indices()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate limits (sign-up, SMS codes) and used-code markers live in the shared cache; each test
    starts without any, without cached pages, and without the staff sessions an earlier test opened."""
    cache.clear()
    caches["pages"].clear()
    forget_staff_sessions()


@pytest.fixture
def run_tasks():
    """Run every queued background task, as `manage.py db_worker` does in production."""

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run


@pytest.fixture
def portal(db):
    return build_portal()


@pytest.fixture
def site():
    """The review site: columns, departments, one account per review role, the workflows."""
    return build_review_site()


@pytest.fixture
def demo_site():
    """The whole demo site (`manage.py seed_demo`), built once per run (tests.demo_snapshot)."""
    demo_snapshot.load()


@pytest.fixture
def refresh_search_index():
    def refresh():
        get_client().indices.refresh(index=f"{index_name('')}*")

    return refresh


@pytest.fixture
def clock():
    """Set the day it is for the whole process: `clock(date)` moves every clock (datetime,
    time, Django's timezone) to 09:00 that day in the portal's time zone and lets it run on
    from there. Sign staff in after setting it: a session or second factor from another day
    may have expired."""
    traveller = None

    def set_today(day):
        nonlocal traveller
        if traveller is not None:
            traveller.stop()
        moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=timezone.get_default_timezone())
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()

    yield set_today
    if traveller is not None:
        traveller.stop()
