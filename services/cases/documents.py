"""Elasticsearch documents for cases and public legal documents (elasticsearch-dsl).

Each index lives under a versioned name (`<prefix>_cases_<timestamp>`) behind an alias
(`<prefix>_cases`); readers and writers use the alias only, so `reindex_cases` can build a
new version and swap the alias in one atomic step. Juvenile and secret cases are never
written to an index, and documents carry only the anonymised public version.

Every call passes the client explicitly (`using=get_client()`), so a client built for other
settings never leaks in through elasticsearch-dsl's default connection.
"""

from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from django.db.models import Q
from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Date, Document, Index, InnerDoc, Integer, Keyword, Nested, Text

from search.analysis import analysis_settings, chinese_text_field
from search.connection import get_client, index_name

from .models import Case, LegalDocument


class PartyEntry(InnerDoc):
    name = Keyword()
    role = Keyword()
    id_number_hash = Keyword()


class EventEntry(InnerDoc):
    kind = Keyword()
    occurred_on = Date()
    note = chinese_text_field()


class CaseDocument(Document):
    case_number = Keyword()
    name = chinese_text_field()
    charge = chinese_text_field(fields={"raw": Keyword()})
    handling_office = Keyword()
    accepted_on = Date()
    time_limit_on = Date()
    current_stage = Keyword()
    outcome = chinese_text_field()
    compulsory_measures = chinese_text_field()
    parties = Nested(PartyEntry)
    events = Nested(EventEntry)


class PublicDocument(Document):
    case_id = Keyword()
    number = Keyword()
    doc_type = Keyword()
    title = chinese_text_field()
    issued_on = Date()
    year = Integer()
    handling_office = Keyword()
    charge = chinese_text_field(fields={"raw": Keyword()})
    text = chinese_text_field()
    # The list of results renders from the hits alone: the opening of the text, not searched.
    excerpt = Text(index=False)

    EXCERPT_LENGTH = 120

    @classmethod
    def from_document(cls, document):
        """Only the approved public version goes in, never the full text. Private-use characters
        are dropped: the search page uses two of them to mark highlighted terms."""
        text = strip_private_use(document.public_text)
        return cls(
            meta={"id": document.pk},
            case_id=document.case_id,
            number=document.number,
            doc_type=document.doc_type,
            title=strip_private_use(document.title),
            issued_on=document.issued_on,
            year=document.issued_on.year,
            handling_office=document.case.handling_office,
            charge=document.case.charge,
            text=text,
            excerpt=text[: cls.EXCERPT_LENGTH],
        )


_PRIVATE_USE = dict.fromkeys(range(0xE000, 0xF900))


def strip_private_use(text):
    return (text or "").translate(_PRIVATE_USE)


INDEXED = {"cases": CaseDocument, "documents": PublicDocument}


def alias_name(kind):
    return index_name(kind)


def new_index(kind, refresh_interval="1s"):
    """Create a fresh versioned index for `kind` ("cases" or "documents"), not yet aliased."""
    name = f"{alias_name(kind)}_{timezone.now():%Y%m%d%H%M%S%f}"
    index = Index(name, using=get_client())
    index.settings(
        number_of_shards=1, number_of_replicas=0, refresh_interval=refresh_interval, analysis=analysis_settings()
    )
    index.document(INDEXED[kind])
    index.create()
    return name


def ensure_alias(kind):
    """Make sure the alias exists, creating a first versioned index behind it if needed."""
    client = get_client()
    alias = alias_name(kind)
    if client.indices.exists_alias(name=alias):
        return alias
    name = new_index(kind)
    client.indices.put_alias(index=name, name=alias)
    return alias


def aliased_indices(kind):
    try:
        return sorted(get_client().indices.get_alias(name=alias_name(kind)))
    except NotFoundError:
        return []


def swap_alias(kind, new_name):
    """Point the alias at `new_name` in one atomic action, then drop the previous versions."""
    client = get_client()
    alias = alias_name(kind)
    old = aliased_indices(kind)
    actions = [{"remove": {"index": name, "alias": alias}} for name in old]
    actions.append({"add": {"index": new_name, "alias": alias}})
    client.indices.update_aliases(actions=actions)
    for name in old:
        client.indices.delete(index=name, ignore_unavailable=True)
    return old


def case_queryset():
    return Case.objects.prefetch_related("parties", "events")


def public_document_queryset():
    """Approved by staff, publishable (for 起诉书/抗诉书: judgment in force), of an open case."""
    return (
        LegalDocument.objects.filter(
            state=LegalDocument.State.APPROVED,
            source_publishable=True,
            doc_type__in=LegalDocument.PUBLISHABLE_TYPES,
            case__is_juvenile=False,
            case__is_secret=False,
        )
        .filter(Q(doc_type__in=LegalDocument.PUBLISHABLE_ANY_TIME) | Q(judgment_effective_on__isnull=False))
        .exclude(public_text="")
        .select_related("case")
    )


def case_source(case):
    """The indexed form of a case (fields of CaseDocument), built as a plain dict because
    rebuilds serialise every case and elasticsearch-dsl objects cost a third of that time."""
    return {
        "case_number": case.case_number,
        "name": case.name,
        "charge": case.charge,
        "handling_office": case.handling_office,
        "accepted_on": case.accepted_on.isoformat(),
        "time_limit_on": case.time_limit_on.isoformat() if case.time_limit_on else None,
        "current_stage": case.current_stage,
        "outcome": case.outcome,
        "compulsory_measures": case.compulsory_measures,
        "parties": [{"name": p.name, "role": p.role, "id_number_hash": p.id_number_hash} for p in case.parties.all()],
        "events": [
            {"kind": e.kind, "occurred_on": e.occurred_on.isoformat(), "note": e.note} for e in case.events.all()
        ],
    }


def _actions(index, cases, documents):
    for case in cases:
        yield {"_index": index["cases"], "_id": case.pk, "_source": case_source(case)}
    for document in documents:
        yield PublicDocument.from_document(document).to_dict(include_meta=True) | {"_index": index["documents"]}


def bulk_index(targets, cases, documents, refresh=False):
    """Write cases and public documents to `targets` ({"cases": index, "documents": index})."""
    indexed, _errors = bulk(get_client(), _actions(targets, cases, documents), chunk_size=1000, refresh=refresh)
    return indexed


def parallel_bulk_index(targets, cases, documents, threads=2, chunk_size=1000):
    """bulk_index for whole rebuilds: this thread reads PostgreSQL and builds the requests
    (database connections stay in this thread) while up to `threads` requests are in flight."""
    client = get_client()

    def send(chunk):
        indexed, _errors = bulk(client, chunk, chunk_size=chunk_size)
        return indexed

    indexed, in_flight = 0, set()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        chunk = []
        for action in _actions(targets, cases, documents):
            chunk.append(action)
            if len(chunk) < chunk_size:
                continue
            if len(in_flight) >= threads:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                indexed += sum(future.result() for future in done)
            in_flight.add(pool.submit(send, chunk))
            chunk = []
        if chunk:
            in_flight.add(pool.submit(send, chunk))
        indexed += sum(future.result() for future in in_flight)
    return indexed


def sync_cases(case_ids):
    """Bring the index in line with PostgreSQL for these cases: restricted or deleted cases,
    and documents no longer published (or no longer sent), are removed; the rest rewritten."""
    client = get_client()
    targets = {kind: ensure_alias(kind) for kind in INDEXED}
    cases = list(case_queryset().filter(pk__in=case_ids, is_juvenile=False, is_secret=False))
    public = list(public_document_queryset().filter(case_id__in=case_ids))
    bulk_index(targets, cases, public)

    shown_cases = {case.pk for case in cases}
    for pk in case_ids:
        if pk not in shown_cases:
            try:
                client.delete(index=targets["cases"], id=str(pk))
            except NotFoundError:
                pass
    # Documents no longer public (or no longer sent) go. Found by search and deleted one by
    # one: delete-by-query lives in a module minimal distributions do not ship.
    shown_documents = {str(document.pk) for document in public}
    client.indices.refresh(index=targets["documents"])
    indexed = (
        PublicDocument.search(using=client, index=targets["documents"])
        .filter("terms", case_id=[str(pk) for pk in case_ids])
        .source(False)
        .extra(size=10000)
        .execute()
    )
    stale = [hit.meta.id for hit in indexed if hit.meta.id not in shown_documents]
    if stale:
        bulk(
            client,
            ({"_op_type": "delete", "_index": targets["documents"], "_id": pk} for pk in stale),
            raise_on_error=False,
        )


def rebuild_indices(chunk_size=2000):
    """Build new versions of both indices from PostgreSQL, then swap the aliases.

    Readers keep using the old versions until the swap, which is one atomic alias action
    per index, so no query ever meets an empty index. Cases changed while the new versions
    were being built are written again afterwards. Returns ({kind: new index name}, count)."""
    client = get_client()
    started = timezone.now()
    # No refreshes while the new versions fill up; one refresh before they go live.
    targets = {kind: new_index(kind, refresh_interval="-1") for kind in INDEXED}
    cases = case_queryset().filter(is_juvenile=False, is_secret=False).iterator(chunk_size=chunk_size)
    documents = public_document_queryset().iterator(chunk_size=chunk_size)
    count = parallel_bulk_index(targets, cases, documents)
    client.indices.put_settings(index=list(targets.values()), settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=list(targets.values()))
    for kind, name in targets.items():
        swap_alias(kind, name)
    changed = list(Case.objects.filter(updated_at__gte=started).values_list("pk", flat=True))
    if changed:
        sync_cases(changed)
    return targets, count
