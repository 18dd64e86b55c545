"""Imports never depend on Elasticsearch: while it is down, indexing is queued again for later."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.pii import pii_hash
from services.cases.lookup import search_elasticsearch
from services.cases.models import Case

from .builders import SUSPECT_ID, case_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

INDEX_TASK = "services.cases.tasks.index_cases"


def test_indexing_is_retried_later_when_elasticsearch_was_down(import_file, indexed, run_tasks):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        batch, _ = import_file(case_record())
        run_tasks()
    assert batch.created_count == 1 and Case.objects.count() == 1  # PostgreSQL first, whatever the index does

    first, retry = DBTaskResult.objects.filter(task_path=INDEX_TASK).order_by("enqueued_at")
    assert first.status == "SUCCESSFUL" and retry.status == "READY"
    assert retry.args_kwargs["args"][1] == 2  # second attempt
    assert retry.run_after >= timezone.now() + datetime.timedelta(seconds=50)

    run_tasks()  # too early: nothing happens yet
    assert DBTaskResult.objects.get(pk=retry.pk).status == "READY"

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # the delay has passed
    indexed()
    assert search_elasticsearch("青山检刑受〔2026〕12号", "李建国", pii_hash(SUSPECT_ID)) is not None
