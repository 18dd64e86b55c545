"""The demo cases `seed_demo` loads (through the import path) can be queried with the demo
party data, and loading them again changes nothing."""

import json

import pytest
from django.utils import timezone

from search.connection import get_client, index_name
from services.cases.demo import ROLE_WORD_NAMES, demo_id, seed_demo_cases
from services.cases.models import Case, LegalDocument
from services.cases.monitoring import monitored_cases, standing
from services.cases.publication import rule_output

from ..builders import solve_captcha

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_demo_cases_load_once_and_answer_a_demo_party(client, indexed):
    today = timezone.localdate()
    assert seed_demo_cases(today) == 6
    indexed()
    before = list(Case.objects.order_by("pk").values())
    assert seed_demo_cases(today) == 0
    assert list(Case.objects.order_by("pk").values()) == before

    captcha = solve_captcha(client.get("/cases/query/").content.decode())
    data = {"party_name": "李建国", "id_number": demo_id("99000019850612003"), **captcha}
    html = client.post("/cases/query/", {**data, "case_number": f"青山检刑受〔{today.year}〕8号"}).content.decode()
    assert "盗窃罪" in html and "<strong>受理</strong>" in html
    assert "数据库直接查询" not in html

    juvenile = {"party_name": "钱小明", "id_number": demo_id("99000020100101002")}
    juvenile.update(solve_captcha(client.get("/cases/query/").content.decode()))
    html = client.post("/cases/query/", {**data, **juvenile, "case_number": f"青山检未受〔{today.year}〕1号"})
    assert "未查询到相关案件" in html.content.decode()


def test_the_demo_cases_give_the_monitoring_screen_rows():
    today = timezone.localdate()
    seed_demo_cases(today)
    listed = [(case.case_number, standing(case, today).days_left) for case in monitored_cases(today)]
    assert listed == [(f"青山检刑受〔{today.year}〕6号", -5), (f"青山检捕受〔{today.year}〕5号", 1)]


def test_the_demo_documents_are_checked_and_public_without_personal_data(client, indexed, publisher):
    seed_demo_cases(timezone.localdate())
    indexed()
    assert set(LegalDocument.objects.values_list("state", flat=True)) == {"approved"}
    html = client.get("/cases/documents/", {"q": "不起诉"}).content.decode()
    assert "<mark>不起诉</mark>" in html and "共找到 1 份" in html
    detail = client.get(f"/cases/documents/{LegalDocument.objects.get(doc_type='non_prosecution').pk}/")
    text = detail.content.decode()
    assert "被害人刘某" in text and "证人周某" in text and "孙志强" in text
    for personal in ("刘桂兰", "周红", "花园小区", "孙家村", "糖尿病", "住院", demo_id("99000019980707001")):
        assert personal not in text


def test_no_name_a_role_word_introduces_survives_in_documents_pages_or_indices(client, indexed, publisher):
    seed_demo_cases(timezone.localdate())
    indexed()
    documents = list(LegalDocument.objects.select_related("case"))
    # The demo documents do name these people after a role word, unlisted as parties.
    flagged = {change.original for document in documents for change in rule_output(document).changes if change.flagged}
    assert flagged == set(ROLE_WORD_NAMES)
    published = [document for document in documents if document.state == LegalDocument.State.APPROVED]
    assert len(published) == 2

    pages = [client.get("/cases/documents/").content.decode()]
    pages += [client.get(f"/cases/documents/{document.pk}/").content.decode() for document in published]
    for query in ("鉴定", "证人", "被害人", "辩护人"):
        results = client.get("/cases/documents/", {"q": query}).content.decode()
        assert "没有符合条件的文书" not in results
        pages += [results, client.get("/search/", {"q": query}).content.decode()]
    hits = get_client().search(index=f"{index_name('')}*", query={"match_all": {}}, size=1000)["hits"]["hits"]
    sources = [json.dumps(hit["_source"], ensure_ascii=False) for hit in hits]
    assert any("鉴定人周某" in source for source in sources)
    for name in ROLE_WORD_NAMES:
        assert not any(name in document.public_text for document in published), name
        for text in pages + sources:
            assert name not in text, name
    assert any("辩护人林晓峰，青山明理律师事务所律师" in document.public_text for document in published)
