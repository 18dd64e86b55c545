"""Data that several tests only read, built once per module and committed, instead of once per
test: a module-scoped fixture builds it inside `committed_for_module`, and its tests run as
ordinary database tests, each in a transaction rolled back at its end. Tests that change what
is indexed keep building their own (a rolled-back transaction does not undo the index)."""

from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection

from .conftest import delete_test_indices


def reload_migrated_state(contents):
    """The database as the migrations left it, as a transactional test with serialized rollback
    starts from (pytest-django's copy when a test of the run asks for one)."""
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(contents)


@contextmanager
def committed_for_module(django_db_blocker):
    """Start from the migrated state and empty test indices; afterwards put both back, so the
    next module sees the usual state."""
    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        contents = contents or connection.creation.serialize_db_to_string()
        try:
            reload_migrated_state(contents)
            delete_test_indices()
            yield
        finally:
            reload_migrated_state(contents)
            delete_test_indices()
