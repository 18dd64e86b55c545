"""One demo site per test run, built once and copied into each test that needs it.

`manage.py seed_demo` takes minutes here (it takes every archive article through each level of
review, some 37,000 queries), and several tests need the whole demo site. With parallel workers
the controller builds it once, in the background, into its own copy of the migrated test
database (`tests.demo_build`, with its own media directories, index prefix and cache keys: the
"demo" worker of portal.settings.test). A test that asks for `demo_site` waits for that build,
then has its own database emptied and filled from it (COPY between the two databases, in one
transaction: rolled back after a database test, flushed after a transactional one) and the
build's files copied into its media directories. Its background tasks (search indexing) are
copied as queued rows, so `run_tasks` indexes into the test's own indices.

Without workers (a targeted run), `demo_site` runs `seed_demo` in the test itself, as before."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache, caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

from .demo_build import FILE_ROOTS

ENVIRONMENT = "PORTAL_TEST_DEMO"  # the build's status file, for the workers
WORKER = "demo"  # the name portal.settings.test gives the build's directories and prefixes
ROOT = Path(__file__).resolve().parent.parent
WAIT_SECONDS = 30 * 60


def start(database_name, directory):
    """In the controller: build the demo into `database_name` (a fresh copy of the migrated test
    database) in the background; its status file is handed to the workers."""
    directory.mkdir(parents=True, exist_ok=True)
    status = directory / "demo-status.json"
    status.unlink(missing_ok=True)
    environment = {
        **os.environ,
        "DATABASE_URL": _url_of(database_name),
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "PYTEST_XDIST_WORKER": WORKER,
        "PORTAL_TEST_DEMO_STATUS": str(status),
    }
    with (directory / "demo-build.log").open("w") as log:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "tests.demo_build"], cwd=ROOT, env=environment, stdout=log, stderr=log
        )
    os.environ[ENVIRONMENT] = str(status)
    return process


def _parameters(database_name):
    database = settings.DATABASES["default"]
    return {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"],
        "dbname": database_name,
    }


def _url_of(database_name):
    return "postgres://{user}:{password}@{host}:{port}/{dbname}".format(**_parameters(database_name))


def load():
    """In a test: the whole demo site, from the build or (without workers) built here."""
    status = os.environ.get(ENVIRONMENT)
    if not status:
        call_command("seed_demo", "--quiet")
        return
    manifest = _wait_for(Path(status))
    _copy_database(manifest["database"])
    for name in FILE_ROOTS:
        source = Path(manifest[name])
        if source.is_dir():
            shutil.copytree(source, getattr(settings, name), dirs_exist_ok=True)
    # The copy has the same content types as the test database it replaces, but fill the cache
    # now: a lookup that misses it after the test's flush would create a row under a new id,
    # and the next transactional test could not put the migrations' rows back.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models(include_auto_created=True))
    cache.clear()
    caches["pages"].clear()


def _wait_for(status):
    deadline = time.monotonic() + WAIT_SECONDS
    while not status.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo build did not finish in {WAIT_SECONDS} s (see {status.parent})")
        time.sleep(1)
    manifest = json.loads(status.read_text())
    if "error" in manifest:
        raise RuntimeError(f"the demo build failed:\n{manifest['error']}")
    return manifest


def _copy_database(source_name):
    tables = sorted(name for name in connection.introspection.table_names() if name != "django_migrations")
    quoted = [connection.ops.quote_name(name) for name in tables]
    with transaction.atomic(), connection.cursor() as cursor, psycopg.connect(**_parameters(source_name)) as source:
        for statement in connection.ops.sql_flush(no_style(), tables):
            cursor.execute(statement)
        target = cursor.cursor  # psycopg's own cursor, for COPY
        for name in quoted:
            with (
                source.cursor().copy(f"COPY {name} TO STDOUT (FORMAT BINARY)") as rows_out,
                target.copy(f"COPY {name} FROM STDIN (FORMAT BINARY)") as rows_in,
            ):
                for block in rows_out:
                    rows_in.write(block)
        sequences = source.execute(
            "SELECT format('%I.%I', schemaname, sequencename), last_value FROM pg_sequences"
            " WHERE last_value IS NOT NULL"
            # django_migrations is not copied: a migration test may have added rows above the
            # demo's last id, and setting its sequence back made the next migration collide.
            " AND sequencename <> 'django_migrations_id_seq'"
        ).fetchall()
        for sequence, value in sequences:
            cursor.execute("SELECT setval(%s, %s)", [sequence, value])
