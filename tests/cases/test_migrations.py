"""Migrations run against a database that already holds cases, as on a deployed portal."""

import datetime

import pytest

from services.cases.models import LegalDocument

from ..migration_support import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_STAFF_CHECK = ("cases", "0003_stage_time_limits")


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
