"""Case-import records for tests, in the JSON Lines shape the case-management system sends."""

import json

from portal.pii import id_number_check_char


def id_number(first17):
    """A well-formed ID number (valid check character) from 17 digits."""
    return first17 + id_number_check_char(first17)


SUSPECT_ID = id_number("99000019850612003")
VICTIM_ID = id_number("99000019700305002")
OTHER_ID = id_number("99000019900101001")

CASE = "青山检刑受〔2026〕12号"
OTHER_CASE = "青山检刑受〔2026〕13号"
JUVENILE_CASE = "青山检未受〔2026〕3号"


def case_record(number="青山检刑受〔2026〕12号", **overrides):
    record = {
        "case_number": number,
        "name": "李某盗窃案",
        "charge": "盗窃罪",
        "handling_office": "第一检察部",
        "accepted_on": "2026-03-02",
        "time_limit_on": "2026-04-01",
        "current_stage": "审查起诉",
        "outcome": "",
        "compulsory_measures": "取保候审",
        "juvenile": False,
        "secret": False,
        "parties": [
            {"name": "李建国", "role": "犯罪嫌疑人", "id_number": SUSPECT_ID},
            {"name": "王秀英", "role": "被害人", "id_number": VICTIM_ID},
            {"name": "陈证", "role": "证人", "id_number": OTHER_ID},
        ],
        "events": [
            {"kind": "受理", "date": "2026-03-02"},
            {"kind": "审查", "date": "2026-03-03", "note": "已告知犯罪嫌疑人诉讼权利"},
        ],
        "documents": [],
    }
    record.update(overrides)
    return record


def jsonl(*records):
    """Records (dicts, or raw strings for broken lines) as one JSON Lines text."""
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"


def approve_pending(user):
    """Staff approve every document waiting in 待核对 with the rule output as it stands."""
    from services.cases.models import LegalDocument
    from services.cases.publication import approve_document

    for document in LegalDocument.objects.filter(state=LegalDocument.State.PENDING):
        approve_document(document, user, document.public_text)
