"""Migrations run against a database that already holds cases, as on a deployed portal."""

import datetime

import pytest

from search.connection import get_client
from services.cases.documents import alias_name
from services.cases.models import LegalDocument

from ..migration_support import latest, migrate
from .builders import approve_pending, case_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_STAFF_CHECK = ("cases", "0003_stage_time_limits")


@pytest.mark.slow
def test_documents_published_before_the_staff_check_wait_for_it_after_the_upgrade():
    old = migrate([BEFORE_STAFF_CHECK])
    case = old.get_model("cases", "Case").objects.create(
        case_number="青山检刑受〔2025〕1号",
        name="李某盗窃案",
        charge="盗窃罪",
        handling_office="第一检察部",
        accepted_on=datetime.date(2025, 3, 1),
        current_stage="已结案",
        fingerprint="",
    )
    documents = old.get_model("cases", "LegalDocument").objects
    documents.create(
        case=case,
        doc_type="non_prosecution",
        number="青山检刑不诉〔2025〕1号",
        issued_on=datetime.date(2025, 4, 1),
        full_text="被不起诉人李建国……被害人王秀英……",
        public_text="被不起诉人李建国……被害人王某……",
        is_published=True,
    )
    documents.create(
        case=case,
        doc_type="other",
        number="青山检刑他〔2025〕1号",
        issued_on=datetime.date(2025, 4, 2),
        full_text="内部文书",
        is_published=False,
    )

    migrate(latest())

    published = LegalDocument.objects.get(number="青山检刑不诉〔2025〕1号")
    assert published.state == LegalDocument.State.PENDING and published.source_publishable
    assert published.source_public_text == "被不起诉人李建国……被害人王某……"
    assert LegalDocument.objects.get(number="青山检刑他〔2025〕1号").state == LegalDocument.State.WITHHELD


BEFORE_ROLE_WORD_NAMES = ("cases", "0006_document_withdrawal")


def test_documents_published_with_a_name_after_a_role_word_go_back_to_the_check(import_file, indexed, publisher):
    old_rules_text = "被不起诉人李建国窃取被害人王某的现金。经鉴定人周立新鉴定，价值人民币三千元。"
    clean_text = "被不起诉人李建国窃取被害人王某的现金，价值人民币三千元。"
    record = case_record(
        parties=[{"name": "李建国", "role": "犯罪嫌疑人"}, {"name": "王秀英", "role": "被害人"}],
        documents=[
            {"type": "不起诉决定书", "number": number, "date": "2026-05-06", "full_text": text, "published": True}
            for number, text in (("青山检刑不诉〔2026〕5号", old_rules_text), ("青山检刑不诉〔2026〕6号", clean_text))
        ],
    )
    import_file(record)
    approve_pending(publisher)
    # As the rules of the time published it: the expert's full name in the public version.
    LegalDocument.objects.filter(number="青山检刑不诉〔2026〕5号").update(
        public_text=old_rules_text, rule_text=old_rules_text
    )
    indexed()
    named = LegalDocument.objects.get(number="青山检刑不诉〔2026〕5号")
    assert "周立新" in get_client().get(index=alias_name("documents"), id=str(named.pk))["_source"]["text"]

    migrate([BEFORE_ROLE_WORD_NAMES])
    migrate(latest())

    named.refresh_from_db()
    assert named.state == LegalDocument.State.PENDING and named.reviewed_by is None
    assert "鉴定人周某" in named.public_text and "鉴定人周某" in named.rule_text
    assert named.events.last().comment == "隐名规则更新：已公开的版本中仍有由诉讼身份词引出的姓名，需重新核对。"
    clean = LegalDocument.objects.get(number="青山检刑不诉〔2026〕6号")
    assert clean.state == LegalDocument.State.APPROVED  # nothing new found: stays public
    indexed()  # the queued index update takes the document off the public index
    ids = {hit["_id"] for hit in get_client().search(index=alias_name("documents"), size=10)["hits"]["hits"]}
    assert ids == {str(clean.pk)}
