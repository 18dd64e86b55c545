"""Elasticsearch documents for cases and public legal documents (elasticsearch-dsl).

Each index lives under a versioned name (`<prefix>_cases_<timestamp>`) behind an alias
(`<prefix>_cases`); readers and writers use the alias only, so `reindex_cases` can build a
new version and swap the alias in one atomic step. Juvenile and secret cases are never
written to an index, and documents carry only the anonymised public version.

Every call passes the client explicitly (`using=get_client()`), so a client built for other
settings never leaks in through elasticsearch-dsl's default connection.
"""

import json
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from elasticsearch import NotFoundError
from elasticsearch.helpers import BulkIndexError, bulk
from elasticsearch_dsl import Date, Document, Index, InnerDoc, Integer, Keyword, Nested, Text

from search.analysis import analysis_settings, chinese_text_field
from search.connection import get_client, index_name

from .models import Case, CaseEvent, LegalDocument, Party


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
    # Matched exactly, and as text (any brackets around the year: the analysis drops them).
    number = Keyword(fields={"text": chinese_text_field()})
    case_name = chinese_text_field()  # 赵某危险驾驶案: as the source names it, surname + 某
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
            case_name=strip_private_use(document.case.name),
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


# The indexed form of a case (the fields of CaseDocument), built by PostgreSQL as JSON text.
# A rebuild serialises every case: in the database that is a few microseconds per case,
# through ORM objects and Python dicts it was the bottleneck (about 4,000 cases/s at best).
# Juvenile and secret cases never leave the database.
_CASE_SOURCES_SQL = """
SELECT c.id, json_build_object(
    'case_number', c.case_number, 'name', c.name, 'charge', c.charge,
    'handling_office', c.handling_office, 'accepted_on', c.accepted_on,
    'time_limit_on', c.time_limit_on, 'current_stage', c.current_stage, 'outcome', c.outcome,
    'compulsory_measures', c.compulsory_measures,
    'parties', COALESCE((
        SELECT json_agg(json_build_object('name', p.name, 'role', p.role, 'id_number_hash', p.id_number_hash)
                        ORDER BY p.position)
        FROM {party} p WHERE p.case_id = c.id), '[]'),
    'events', COALESCE((
        SELECT json_agg(json_build_object('kind', e.kind, 'occurred_on', e.occurred_on, 'note', e.note)
                        ORDER BY e.occurred_on, e.position)
        FROM {event} e WHERE e.case_id = c.id), '[]')
)::text
FROM {case} c
WHERE NOT c.is_juvenile AND NOT c.is_secret AND c.id > %s {only}
ORDER BY c.id
LIMIT %s
"""


def case_source_chunks(case_ids=None, chunk_size=2000):
    """Yield lists of (pk, JSON source) of the cases that may be shown, in pk order, for all
    cases or only `case_ids`. Pages by primary key, so each query is an index range scan."""
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured("Indexing cases in Elasticsearch requires PostgreSQL.")
    sql = _CASE_SOURCES_SQL.format(
        case=Case._meta.db_table,
        party=Party._meta.db_table,
        event=CaseEvent._meta.db_table,
        only="AND c.id = ANY(%s)" if case_ids is not None else "",
    )
    last = 0
    while True:
        params = [last, list(case_ids), chunk_size] if case_ids is not None else [last, chunk_size]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def document_source_chunks(documents, chunk_size=1000):
    """Yield lists of (pk, JSON source) of public documents."""
    chunk = []
    for document in documents:
        chunk.append((document.pk, json.dumps(PublicDocument.from_document(document).to_dict(), default=str)))
        if len(chunk) == chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk_lines(index, rows):
    """NDJSON lines of a bulk request writing already-serialised sources into `index`."""
    lines = []
    for pk, source in rows:
        lines.append(f'{{"index":{{"_index":"{index}","_id":"{pk}"}}}}')
        lines.append(source)
    return lines


def _send(client, lines, refresh=False):
    response = client.options(request_timeout=BULK_TIMEOUT).bulk(operations=lines, refresh=refresh)
    if response["errors"]:
        failed = [item["index"] for item in response["items"] if item["index"].get("error")]
        raise BulkIndexError(f"{len(failed)} document(s) failed to index", failed)
    return len(response["items"])


# Seconds one bulk request may take: a rebuild keeps the server busy, and a request that
# times out would be sent again by nobody.
BULK_TIMEOUT = 120


def _requests(targets, case_chunks, document_chunks):
    for rows in case_chunks:
        if rows:
            yield _bulk_lines(targets["cases"], rows)
    for rows in document_chunks:
        if rows:
            yield _bulk_lines(targets["documents"], rows)


def parallel_bulk_index(targets, case_chunks, document_chunks, threads=2):
    """Write the chunks to `targets` ({"cases": index, "documents": index}): this thread
    reads PostgreSQL and builds the requests (database connections stay in this thread)
    while up to `threads` requests are in flight. Returns the number of entries written."""
    client = get_client()
    indexed, in_flight = 0, set()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for lines in _requests(targets, case_chunks, document_chunks):
            if len(in_flight) >= threads:
                done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                indexed += sum(future.result() for future in done)
            in_flight.add(pool.submit(_send, client, lines))
        indexed += sum(future.result() for future in in_flight)
    return indexed


def sync_cases(case_ids):
    """Bring the index in line with PostgreSQL for these cases: restricted or deleted cases,
    and documents no longer published (or no longer sent), are removed; the rest rewritten."""
    client = get_client()
    targets = {kind: ensure_alias(kind) for kind in INDEXED}
    case_rows = [row for rows in case_source_chunks(case_ids) for row in rows]
    public = list(public_document_queryset().filter(case_id__in=case_ids))
    for lines in _requests(targets, [case_rows], document_source_chunks(public)):
        _send(client, lines)

    shown_cases = {pk for pk, _source in case_rows}
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
    from .site_search import sync_case_documents

    sync_case_documents(case_ids, [document.pk for document in public])


def rebuild_indices(chunk_size=2000):
    """Build new versions of both indices from PostgreSQL, then swap the aliases.

    Readers keep using the old versions until the swap, which is one atomic alias action
    per index, so no query ever meets an empty index. Cases changed while the new versions
    were being built are written again afterwards. Returns ({kind: new index name}, count)."""
    client = get_client()
    started = timezone.now()
    # No refreshes while the new versions fill up; one refresh before they go live.
    targets = {kind: new_index(kind, refresh_interval="-1") for kind in INDEXED}
    documents = public_document_queryset().iterator(chunk_size=chunk_size)
    count = parallel_bulk_index(
        targets, case_source_chunks(chunk_size=chunk_size), document_source_chunks(documents, chunk_size // 2)
    )
    client.indices.put_settings(index=list(targets.values()), settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=list(targets.values()))
    for kind, name in targets.items():
        swap_alias(kind, name)
    changed = list(Case.objects.filter(updated_at__gte=started).values_list("pk", flat=True))
    if changed:
        sync_cases(changed)
    return targets, count
