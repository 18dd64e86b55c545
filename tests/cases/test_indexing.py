"""Indexing: imports never depend on Elasticsearch (while it is down, indexing is queued again
for later), and the indices analyse Chinese text as words and keep codes exact."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.pii import pii_hash
from search.connection import get_client
from services.cases.documents import alias_name
from services.cases.lookup import search_elasticsearch
from services.cases.models import Case

from .builders import SUSPECT_ID, approve_pending, case_record

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


def test_public_documents_are_searchable_as_chinese_words_and_numbers_as_exact_codes(import_file, indexed, publisher):
    document = {
        "type": "不起诉决定书",
        "number": "青山检刑不诉〔2026〕1号",
        "date": "2026-05-06",
        "full_text": "被不起诉人李建国……被害人王秀英……",
        "public_text": "被不起诉人李建国驾驶机动车追逐竞驶，情节轻微，决定不起诉。",
        "published": True,
    }
    import_file(case_record(documents=[document]))
    approve_pending(publisher)
    indexed()

    def hits(query):
        return get_client().search(index=alias_name("documents"), query=query)["hits"]["total"]["value"]

    assert hits({"match": {"text": {"query": "追逐竞驶", "operator": "and"}}}) == 1
    assert hits({"match": {"text": {"query": "驶驾", "operator": "and"}}}) == 0  # characters, not the word
    assert hits({"term": {"number": "青山检刑不诉〔2026〕1号"}}) == 1
    assert hits({"term": {"number": "青山检刑不诉"}}) == 0  # a code matches whole or not at all
    assert hits({"bool": {"filter": [{"term": {"year": 2026}}, {"term": {"doc_type": "non_prosecution"}}]}}) == 1
    mapping = get_client().indices.get_mapping(index=alias_name("cases"))
    properties = next(iter(mapping.values()))["mappings"]["properties"]
    assert properties["events"]["type"] == "nested" and properties["parties"]["type"] == "nested"
    assert properties["name"]["analyzer"] == "chinese_text" and properties["case_number"]["type"] == "keyword"
