"""Validation of one JSON Lines record from the case-management system.

A record is a JSON object:

    {"case_number": "青山检刑受〔2026〕12号", "name": "张某盗窃案", "charge": "盗窃罪",
     "handling_office": "第一检察部", "accepted_on": "2026-03-02", "time_limit_on": "2026-04-01",
     "current_stage": "审查起诉", "outcome": "", "compulsory_measures": "取保候审",
     "juvenile": false, "secret": false,
     "parties": [{"name": "张三", "role": "犯罪嫌疑人", "id_number": "110101199003070014", "minor": false}],
     "events": [{"kind": "受理", "date": "2026-03-02", "note": ""}],
     "documents": [{"type": "起诉书", "number": "青山检刑诉〔2026〕5号", "date": "2026-03-30",
                    "full_text": "…", "public_text": "…", "published": true,
                    "judgment_effective_on": "2026-06-01"}]}

`parse_record` returns a `CaseRecord` or raises `RecordError` with the reason in Chinese.
ID numbers leave this module only as keyed hash and masked form; a party is a minor when the
source says so or when the birth date in the ID number makes them under 18 on the earliest
date of the record (acceptance or a document's date), and minors are anonymised like victims.

Published documents: `published` says the source allows publication; 起诉书 and 抗诉书 become
publishable only with `judgment_effective_on` (the judgment is in force). The portal makes
the public version itself with the rules of `anonymise.py` (`rule_text`): from the source's
`public_text` when it sends one (the rules run over it again), else from the full text. Staff
check it before it is published (`publication.py`).
"""

import datetime
import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError

from portal.pii import mask_id_number, pii_hash, validate_id_number

from .anonymise import anonymise
from .models import Case, CaseEvent, LegalDocument, Party

CASE_FIELDS = {
    "case_number": "案件编号",
    "name": "案件名称",
    "charge": "案由",
    "handling_office": "承办部门",
    "accepted_on": "受理日期",
    "time_limit_on": "办理期限",
    "current_stage": "当前阶段",
    "outcome": "办理结果",
    "compulsory_measures": "强制措施",
    "juvenile": "未成年人案件",
    "secret": "涉密案件",
    "parties": "当事人",
    "events": "程序性信息",
    "documents": "法律文书",
}
REQUIRED_CASE_FIELDS = ("case_number", "name", "charge", "handling_office", "accepted_on", "current_stage")
PARTY_FIELDS = {"name", "role", "id_number", "minor"}
EVENT_FIELDS = {"kind", "date", "note"}
DOCUMENT_FIELDS = {"type", "number", "date", "full_text", "public_text", "published", "judgment_effective_on"}
ADULT_AGE = 18

# Case numbers are written 青山检刑受〔2026〕12号; people type [2026], ［2026］, (2026)… too.
_YEAR_BRACKETS = str.maketrans("[［【(（]］】)）", "〔〔〔〔〔〕〕〕〕〕")


def normalise_case_number(value):
    """The one spelling of a case number used for storing and matching: no spaces, 〔year〕."""
    return "".join((value or "").split()).translate(_YEAR_BRACKETS)


ROLE_BY_LABEL = {str(label): value for value, label in Party.Role.choices}
DOC_TYPE_BY_LABEL = {str(label): value for value, label in LegalDocument.Type.choices}


class RecordError(Exception):
    """A record the portal will not apply; the message is the reason shown in the batch report."""

    def __init__(self, reason, case_number=""):
        super().__init__(reason)
        self.reason = reason
        self.case_number = case_number


@dataclass
class PartyRecord:
    name: str
    role: str
    id_number_hash: str
    id_number_masked: str
    is_minor: bool = False

    @property
    def is_protected(self):
        return self.is_minor or self.role not in (Party.Role.SUSPECT, Party.Role.DEFENDANT)


@dataclass
class EventRecord:
    kind: str
    occurred_on: datetime.date
    note: str


@dataclass
class DocumentRecord:
    doc_type: str
    number: str
    issued_on: datetime.date
    judgment_effective_on: datetime.date | None
    full_text: str
    source_public_text: str
    source_publishable: bool
    rule_text: str = ""


@dataclass
class CaseRecord:
    case_number: str
    name: str
    charge: str
    handling_office: str
    accepted_on: datetime.date
    time_limit_on: datetime.date | None
    current_stage: str
    outcome: str
    compulsory_measures: str
    is_juvenile: bool
    is_secret: bool
    parties: list[PartyRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)

    def case_fields(self):
        data = asdict(self)
        for name in ("parties", "events", "documents"):
            data.pop(name)
        return data

    def protected_names(self):
        return [party.name for party in self.parties if party.is_protected]

    def fingerprint(self):
        """Digest of everything the record sets; identical records give identical digests."""
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _text(data, key, label, *, model, field_name=None, required=False):
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RecordError(f"{label}应为文本")
    value = value.strip()
    if required and not value:
        raise RecordError(f"缺少{label}")
    limit = _max_length(model, field_name or key) if model else None
    if limit and len(value) > limit:
        raise RecordError(f"{label}过长（最多{limit}个字）")
    return value


def _date(value, label, *, required=True):
    if value in (None, ""):
        if required:
            raise RecordError(f"缺少{label}")
        return None
    if not isinstance(value, str):
        raise RecordError(f"{label}格式不正确，应为 YYYY-MM-DD")
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(f"{label}格式不正确，应为 YYYY-MM-DD：{value[:20]}") from None


def _flag(data, key, label):
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise RecordError(f"{label}应为 true 或 false")
    return value


def _list(data, key, label):
    value = data.get(key, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordError(f"{label}应为对象列表")
    return value


def _unknown(data, allowed, where):
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise RecordError(f"{where}含有无法识别的字段：{'、'.join(unknown)}")


def birth_date(id_number):
    """The birth date an 18-character ID number carries, or None if it is not a real date."""
    try:
        return datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _party(data, position, reference_date):
    """A party; `reference_date` is the date on which an age under 18 makes them a minor."""
    where = f"第{position}名当事人"
    _unknown(data, PARTY_FIELDS, where)
    name = _text(data, "name", f"{where}姓名", model=Party, required=True)
    role_label = _text(data, "role", f"{where}诉讼身份", model=None, required=True)
    if role_label not in ROLE_BY_LABEL:
        raise RecordError(f"{where}诉讼身份“{role_label[:20]}”不在允许范围内（{'、'.join(ROLE_BY_LABEL)}）")
    id_number = data.get("id_number") or ""
    if not isinstance(id_number, str):
        raise RecordError(f"{where}身份证号应为文本")
    is_minor = _flag(data, "minor", f"{where}是否未成年人")
    id_hash = masked = ""
    if id_number.strip():
        try:
            number = validate_id_number(id_number)
        except ValidationError as exc:
            raise RecordError(f"{where}{exc.messages[0]}") from None
        id_hash, masked = pii_hash(number), mask_id_number(number)
        born = birth_date(number)
        is_minor = is_minor or (born is not None and age_on(born, reference_date) < ADULT_AGE)
    return PartyRecord(
        name=name, role=ROLE_BY_LABEL[role_label], id_number_hash=id_hash, id_number_masked=masked, is_minor=is_minor
    )


def _event(data, position):
    where = f"第{position}项程序性信息"
    _unknown(data, EVENT_FIELDS, where)
    return EventRecord(
        kind=_text(data, "kind", f"{where}的事项", model=CaseEvent, required=True),
        occurred_on=_date(data.get("date"), f"{where}的日期"),
        note=_text(data, "note", f"{where}的说明", model=CaseEvent),
    )


def _document(data, position):
    where = f"第{position}份法律文书"
    _unknown(data, DOCUMENT_FIELDS, where)
    type_label = _text(data, "type", f"{where}类型", model=None, required=True)
    if type_label not in DOC_TYPE_BY_LABEL:
        raise RecordError(f"{where}类型“{type_label[:20]}”不在允许范围内（{'、'.join(DOC_TYPE_BY_LABEL)}）")
    document = DocumentRecord(
        doc_type=DOC_TYPE_BY_LABEL[type_label],
        number=_text(data, "number", f"{where}编号", model=LegalDocument, required=True),
        issued_on=_date(data.get("date"), f"{where}日期"),
        judgment_effective_on=_date(data.get("judgment_effective_on"), f"{where}判决生效日期", required=False),
        full_text=_text(data, "full_text", f"{where}全文", model=LegalDocument, required=True),
        source_public_text=_text(data, "public_text", f"{where}公开版本", model=LegalDocument),
        source_publishable=_flag(data, "published", f"{where}是否公开"),
    )
    if document.source_publishable and document.doc_type not in LegalDocument.PUBLISHABLE_TYPES:
        raise RecordError(f"{where}：{type_label}不属于依法公开的文书类型")
    if document.judgment_effective_on and document.judgment_effective_on < document.issued_on:
        raise RecordError(f"{where}的判决生效日期早于文书日期")
    return document


def _check_public_versions(record, raw_parties):
    """A public version must not carry a party's full name (other than suspects/defendants,
    whose names the rules allow) or any ID number of the record."""
    for position, document in enumerate(record.documents, start=1):
        if not document.source_public_text:
            continue
        for raw, party in zip(raw_parties, record.parties, strict=True):
            id_number = (raw.get("id_number") or "").strip().upper()
            if id_number and id_number in document.source_public_text.upper():
                raise RecordError(f"第{position}份法律文书的公开版本含有身份证号，未作隐名处理")
            if party.is_protected and len(party.name) > 1 and party.name in document.source_public_text:
                raise RecordError(
                    f"第{position}份法律文书的公开版本含有{Party.Role(party.role).label}的姓名，未作隐名处理"
                )


def parse_record(data):
    if not isinstance(data, dict):
        raise RecordError("记录应为 JSON 对象")
    case_number = data.get("case_number") if isinstance(data.get("case_number"), str) else ""
    try:
        _unknown(data, CASE_FIELDS, "记录")
        for key in REQUIRED_CASE_FIELDS:
            if data.get(key) in (None, ""):
                raise RecordError(f"缺少{CASE_FIELDS[key]}（{key}）")
        raw_parties = _list(data, "parties", CASE_FIELDS["parties"])
        accepted_on = _date(data.get("accepted_on"), CASE_FIELDS["accepted_on"])
        documents = [
            _document(item, n) for n, item in enumerate(_list(data, "documents", CASE_FIELDS["documents"]), start=1)
        ]
        reference_date = min([accepted_on, *(document.issued_on for document in documents)])
        record = CaseRecord(
            case_number=normalise_case_number(
                _text(data, "case_number", CASE_FIELDS["case_number"], model=Case, required=True)
            ),
            name=_text(data, "name", CASE_FIELDS["name"], model=Case, required=True),
            charge=_text(data, "charge", CASE_FIELDS["charge"], model=Case, required=True),
            handling_office=_text(data, "handling_office", CASE_FIELDS["handling_office"], model=Case, required=True),
            accepted_on=accepted_on,
            time_limit_on=_date(data.get("time_limit_on"), CASE_FIELDS["time_limit_on"], required=False),
            current_stage=_text(data, "current_stage", CASE_FIELDS["current_stage"], model=Case, required=True),
            outcome=_text(data, "outcome", CASE_FIELDS["outcome"], model=Case),
            compulsory_measures=_text(data, "compulsory_measures", CASE_FIELDS["compulsory_measures"], model=Case),
            is_juvenile=_flag(data, "juvenile", CASE_FIELDS["juvenile"]),
            is_secret=_flag(data, "secret", CASE_FIELDS["secret"]),
            parties=[_party(item, n, reference_date) for n, item in enumerate(raw_parties, start=1)],
            events=[_event(item, n) for n, item in enumerate(_list(data, "events", CASE_FIELDS["events"]), start=1)],
            documents=documents,
        )
        if record.time_limit_on and record.time_limit_on < record.accepted_on:
            raise RecordError("办理期限早于受理日期")
        numbers = [document.number for document in record.documents]
        if len(numbers) != len(set(numbers)):
            raise RecordError("同一案件中的法律文书编号重复")
        _check_public_versions(record, raw_parties)
        protected = record.protected_names()
        for document in record.documents:
            document.rule_text = anonymise(document.source_public_text or document.full_text, protected).text
    except RecordError as exc:
        exc.case_number = case_number[:100]
        raise
    return record
