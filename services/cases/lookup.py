"""The verified case lookup (案件程序性信息查询): case number + party name + ID number.

Answers come from Elasticsearch, or from PostgreSQL when Elasticsearch cannot answer, with
the same result either way. A mismatch of any field and a case that does not exist or is
restricted (juvenile, secret) all give None, so the caller cannot tell them apart.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from portal.pii import normalise_id_number, pii_hash
from search.connection import elasticsearch_enabled, get_client

from .documents import alias_name
from .models import Case, Party
from .records import normalise_case_number

logger = logging.getLogger(__name__)


@dataclass
class TimelineEntry:
    kind: str
    occurred_on: datetime.date
    note: str = ""


@dataclass
class CaseStatus:
    """What a verified party may see (人民检察院案件信息公开工作规定): no party data."""

    case_number: str
    charge: str
    handling_office: str
    accepted_on: datetime.date
    time_limit_on: datetime.date | None
    current_stage: str
    outcome: str
    compulsory_measures: str
    events: list[TimelineEntry] = field(default_factory=list)


def _as_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _from_source(source):
    events = [
        TimelineEntry(kind=e["kind"], occurred_on=_as_date(e["occurred_on"]), note=e.get("note", ""))
        for e in source.get("events", [])
    ]
    events.sort(key=lambda entry: entry.occurred_on)
    return CaseStatus(
        case_number=source["case_number"],
        charge=source["charge"],
        handling_office=source["handling_office"],
        accepted_on=_as_date(source["accepted_on"]),
        time_limit_on=_as_date(source.get("time_limit_on")),
        current_stage=source["current_stage"],
        outcome=source.get("outcome", ""),
        compulsory_measures=source.get("compulsory_measures", ""),
        events=events,
    )


def _from_case(case):
    return CaseStatus(
        case_number=case.case_number,
        charge=case.charge,
        handling_office=case.handling_office,
        accepted_on=case.accepted_on,
        time_limit_on=case.time_limit_on,
        current_stage=case.current_stage,
        outcome=case.outcome,
        compulsory_measures=case.compulsory_measures,
        events=[TimelineEntry(kind=e.kind, occurred_on=e.occurred_on, note=e.note) for e in case.events.all()],
    )


def search_elasticsearch(case_number, party_name, id_hash):
    """One filter-only query (no scoring) asking for the source of at most one case; sent as
    a plain body because this is the hot path and the DSL objects cost more than the search."""
    party = {
        "bool": {
            "filter": [
                {"term": {"parties.name": party_name}},
                {"term": {"parties.id_number_hash": id_hash}},
                {"terms": {"parties.role": [str(role) for role in Party.QUERYING_ROLES]}},
            ]
        }
    }
    response = get_client().search(
        index=alias_name("cases"),
        query={
            "bool": {
                "filter": [
                    {"term": {"case_number": case_number}},
                    {"nested": {"path": "parties", "query": party}},
                ]
            }
        },
        size=1,
        source_excludes=["parties"],
        filter_path="hits.hits._source",
    )
    hits = response.body.get("hits", {}).get("hits", [])
    return _from_source(hits[0]["_source"]) if hits else None


def search_database(case_number, party_name, id_hash):
    case = (
        Case.objects.filter(
            case_number=case_number,
            is_juvenile=False,
            is_secret=False,
            parties__name=party_name,
            parties__id_number_hash=id_hash,
            parties__role__in=Party.QUERYING_ROLES,
        )
        .prefetch_related("events")
        .first()
    )
    return _from_case(case) if case else None


def find_case_for_party(case_number, party_name, id_number):
    """Return (CaseStatus or None, degraded): degraded is True when PostgreSQL had to answer."""
    case_number, party_name = normalise_case_number(case_number), party_name.strip()
    id_hash = pii_hash(normalise_id_number(id_number))
    if not elasticsearch_enabled():
        return search_database(case_number, party_name, id_hash), False
    try:
        return search_elasticsearch(case_number, party_name, id_hash), False
    except Exception as exc:  # unreachable, timeout, missing index: answer from the database
        logger.warning("case lookup: Elasticsearch failed (%s), using the database", exc.__class__.__name__)
        return search_database(case_number, party_name, id_hash), True


def case_status(case):
    """What a lawyer with an approved binding sees: the same facts and timeline a verified party
    sees, read from PostgreSQL (the binding is already checked there). Restricted cases: None."""
    if case is None or case.is_restricted:
        return None
    return _from_case(Case.objects.prefetch_related("events").get(pk=case.pk))
