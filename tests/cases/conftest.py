"""Fixtures for the case tests: imports through the real command, indexing through the worker."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from portal.roles import ensure_role_groups
from services.cases.models import ImportBatch

from .builders import CASE, JUVENILE_CASE, OTHER_CASE, case_record, jsonl


@pytest.fixture
def import_file(tmp_path):
    """Import records through `manage.py import_cases`; returns (batch, printed report)."""

    def run(*records):
        path = tmp_path / "batch.jsonl"
        path.write_text(jsonl(*records), encoding="utf-8")
        out = StringIO()
        call_command("import_cases", str(path), stdout=out)
        return ImportBatch.objects.order_by("-pk").first(), out.getvalue()

    return run


@pytest.fixture
def indexed(clean_search_indices, run_tasks, refresh_search_index):
    """Run the queued indexing tasks as the worker does; every one of them must succeed."""

    def sync():
        run_tasks()
        assert not DBTaskResult.objects.failed().exists(), "an indexing task failed"
        refresh_search_index()

    return sync


@pytest.fixture(autouse=True)
def fresh_attempt_counters():
    """Rate-limit counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publisher(db):
    """A case-management (案管) staff member, who checks documents before publication."""
    from django.contrib.auth import get_user_model
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:  # transactional tests start from empty tables
        Collection.add_root(name="Root")
    user = get_user_model().objects.create_user(username="anguan", password="Test#Case2026", is_staff=True)
    user.groups.add(ensure_role_groups()["casemgr"])
    return user


@pytest.fixture
def cases(import_file):
    """Two ordinary cases and a juvenile one, imported."""
    import_file(
        case_record(CASE),
        case_record(OTHER_CASE, name="张某诈骗案", charge="诈骗罪"),
        case_record(
            JUVENILE_CASE,
            name="未成年人案",
            juvenile=True,
            events=[{"kind": "受理", "date": "2026-03-02", "note": "未成年人专办"}],
        ),
    )


@pytest.fixture
def staff():
    """A signed-in case-management (案管) staff member: (user, client)."""
    from django.test import Client

    from ..builders import login_staff
    from ..test_accounts import casemgr

    user = casemgr()
    client = Client()
    login_staff(client, user)
    return user, client
