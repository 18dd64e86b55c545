"""Fixtures for the case tests: imports through the real command, indexing through the worker."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from portal.roles import ensure_role_groups
from services.cases.models import ImportBatch

from .builders import jsonl


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
