"""`manage.py reindex_cases` (acceptance 3): the indices are rebuilt from PostgreSQL into new
versions and the aliases swapped atomically, while a query loop keeps getting answers."""

import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command

from portal.pii import pii_hash
from search.connection import get_client
from services.cases.documents import alias_name, aliased_indices
from services.cases.lookup import search_elasticsearch

from .builders import SUSPECT_ID, case_record, id_number

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NUMBER = "青山检刑受〔2026〕12号"


def many_cases(count):
    yield case_record(NUMBER)
    for n in range(1, count):
        yield case_record(
            f"青山检刑受〔2025〕{n}号",
            parties=[{"name": f"测试{n}", "role": "犯罪嫌疑人", "id_number": id_number(f"990000198001{n:05d}")}],
        )


def versioned_indices(kind):
    return sorted(get_client().indices.get(index=f"{alias_name(kind)}_*"))


def test_reindexing_swaps_the_aliases_while_queries_keep_answering(import_file, indexed):
    import_file(*many_cases(400))
    indexed()
    old_cases, old_documents = aliased_indices("cases"), aliased_indices("documents")
    id_hash = pii_hash(SUSPECT_ID)

    answers, failures, stop = [], [], threading.Event()

    def query_loop():
        while not stop.is_set():
            try:
                answers.append(search_elasticsearch(NUMBER, "李建国", id_hash))
            except Exception as exc:  # any error is a moment without an answer
                failures.append(exc)

    loop = threading.Thread(target=query_loop)
    loop.start()
    try:
        time.sleep(0.2)
        before_reindex = len(answers)
        outputs = []
        for _ in range(3):
            out = StringIO()
            call_command("reindex_cases", stdout=out)
            outputs.append(out.getvalue())
        during_reindex = len(answers) - before_reindex
        time.sleep(0.2)
    finally:
        stop.set()
        loop.join()

    assert failures == []
    assert during_reindex > 10, "the loop must have run while the indices were rebuilt"
    assert all(answer is not None and answer.case_number == NUMBER for answer in answers)
    assert "写入 400 条" in outputs[0]
    new_cases = aliased_indices("cases")
    assert new_cases != old_cases and aliased_indices("documents") != old_documents
    # The previous versions are gone; one version per kind remains, behind its alias.
    assert versioned_indices("cases") == new_cases and versioned_indices("documents") == aliased_indices("documents")
    get_client().indices.refresh(index=new_cases)
    assert get_client().count(index=alias_name("cases"))["count"] == 400


def test_reindexing_rebuilds_lost_indices_from_postgresql(import_file, indexed, clean_search_indices):
    import_file(case_record(NUMBER))
    indexed()
    for kind in ("cases", "documents"):  # both indices lost
        for name in versioned_indices(kind):
            get_client().indices.delete(index=name)

    call_command("reindex_cases", stdout=StringIO())

    answer = search_elasticsearch(NUMBER, "李建国", pii_hash(SUSPECT_ID))
    assert answer is not None and [event.kind for event in answer.events] == ["受理", "审查"]
