"""The site search index: one entry per public page, published letter and public legal document.

Each app says what of its data is public and how it reads in a result list by registering a
source (hook `register_site_search_source`, see `SiteSource`); this module keeps the index in
line with PostgreSQL. An entry holds everything a result line shows (title, type, column,
department, date, validity, link), so a page of results is rendered from one Elasticsearch
response without a database query per hit.

The index lives under a versioned name behind an alias (`<prefix>_site`): `rebuild()` builds a
new version from PostgreSQL and swaps the alias in one atomic action. `sync(kind, ids)` writes
the current state of some objects: an object that is no longer public is removed.
"""

import logging
import threading
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from elasticsearch import NotFoundError
from elasticsearch.helpers import BulkIndexError, bulk
from elasticsearch_dsl import Date, Document, Index, Integer, Keyword, Text
from wagtail import hooks

from .analysis import analysis_settings, chinese_text_field
from .connection import elasticsearch_enabled, get_client, index_name, retry_later
from .query import title_pinyin

logger = logging.getLogger(__name__)

EXCERPT_LENGTH = 120
_PRIVATE_USE = dict.fromkeys(range(0xE000, 0xF900))


def clean_text(text):
    """Text as it goes into the index: private-use characters (they mark highlights) dropped."""
    return (text or "").translate(_PRIVATE_USE)


class SiteEntry(Document):
    kind = Keyword()  # the source: page, letter, document
    type = Keyword()  # what a reader calls it: policy, notices, news…, letter, document
    title = chinese_text_field()
    title_pinyin = Text(analyzer="standard")
    document_no = chinese_text_field()
    summary = chinese_text_field()
    body = chinese_text_field()
    extra = chinese_text_field()  # issuing body, case name…: found, never highlighted
    excerpt = Text(index=False)
    subtype = Keyword(index=False)  # shown beside the type: 不起诉决定书, 咨询…
    url = Keyword(index=False)
    column_id = Integer()
    column_title = Keyword()
    column_url = Keyword(index=False)
    column_ids = Integer(multi=True)
    department = Keyword()
    date = Date()
    validity = Keyword()
    current_url = Keyword(index=False)
    current_title = Keyword(index=False)
    group = Keyword()  # the object an entry belongs to, for removing entries of a deleted group


@dataclass
class Row:
    """What a source says about one public object; turned into a SiteEntry here."""

    pk: int
    type: str
    title: str
    url: str
    date: object
    body: str = ""
    summary: str = ""
    document_no: str = ""
    extra: str = ""
    subtype: str = ""
    column_id: int | None = None
    column_title: str = ""
    column_url: str = ""
    column_ids: tuple = ()
    department: str = ""
    validity: str = ""
    current_url: str = ""
    current_title: str = ""
    group: str = ""


class SiteSource:
    """One kind of public object in the site search. Subclasses implement:

    - `rows(ids)`: Rows of those of `ids` that are public now (others are left out);
    - `all_ids(chunk_size)`: the ids of every public object, in lists of at most chunk_size;
    - `database_search(understood, criteria)`: for the search page while Elasticsearch is
      down, the matching public objects newest first, as a queryset of dicts with
      `item_id` and `sort_date`;
    - `type_labels`: {type: label} of the types its rows use.
    """

    kind = ""
    label = ""

    def rows(self, ids):
        raise NotImplementedError

    def all_ids(self):
        raise NotImplementedError

    def database_search(self, understood, criteria):
        raise NotImplementedError


def with_every_term(queryset, terms, lookups):
    """The database search of a source: rows holding every term (any of its alternatives)
    in any of `lookups` (e.g. "title__icontains")."""
    for term in terms:
        queryset = queryset.filter(
            reduce(or_, (Q(**{lookup: alternative}) for alternative in term.alternatives for lookup in lookups))
        )
    return queryset


def within_dates(queryset, field, criteria):
    """Rows whose `field` lies in the date filter of `criteria`."""
    date_from, date_to = criteria.filter_dates()
    if date_from:
        queryset = queryset.filter(**{f"{field}__gte": date_from})
    if date_to:
        queryset = queryset.filter(**{f"{field}__lte": date_to})
    return queryset


def sources():
    """{kind: SiteSource} of every app, in registration order."""
    found = {}
    for make in hooks.get_hooks("register_site_search_source"):
        source = make()
        found[source.kind] = source
    return found


def alias_name():
    return index_name("site")


def entry_id(kind, pk):
    return f"{kind}-{pk}"


def entry(kind, row):
    body = clean_text(row.body)
    return SiteEntry(
        meta={"id": entry_id(kind, row.pk)},
        kind=kind,
        type=row.type,
        title=clean_text(row.title),
        title_pinyin=title_pinyin(row.title),
        document_no=clean_text(row.document_no),
        summary=clean_text(row.summary),
        body=body,
        extra=clean_text(row.extra),
        excerpt=clean_text(row.summary)[:EXCERPT_LENGTH] or body[:EXCERPT_LENGTH],
        subtype=row.subtype,
        url=row.url,
        column_id=row.column_id,
        column_title=row.column_title,
        column_url=row.column_url,
        column_ids=list(row.column_ids),
        department=row.department,
        date=row.date,
        validity=row.validity or "valid",
        current_url=row.current_url,
        current_title=row.current_title,
        group=row.group,
    )


def new_index(refresh_interval="1s"):
    name = f"{alias_name()}_{timezone.now():%Y%m%d%H%M%S%f}"
    index = Index(name, using=get_client())
    index.settings(
        number_of_shards=1, number_of_replicas=0, refresh_interval=refresh_interval, analysis=analysis_settings()
    )
    index.document(SiteEntry)
    index.create()
    return name


def ensure_alias():
    """The alias, with a first versioned index behind it if there is none yet."""
    client = get_client()
    alias = alias_name()
    if client.indices.exists_alias(name=alias):
        return alias
    client.indices.put_alias(index=new_index(), name=alias)
    return alias


BULK_TIMEOUT = 120


def _write(client, index, actions):
    ok, errors = bulk(client.options(request_timeout=BULK_TIMEOUT), actions, raise_on_error=False, chunk_size=500)
    failed = [e for e in errors if "delete" not in e or e["delete"].get("status") != 404]
    if failed:
        raise BulkIndexError(f"{len(failed)} site search entr(ies) failed", failed)
    return ok


def _actions(index, kind, rows, ids=()):
    written = set()
    for row in rows:
        written.add(row.pk)
        doc = entry(kind, row)
        yield {"_op_type": "index", "_index": index, "_id": doc.meta.id, "_source": doc.to_dict()}
    for pk in ids:
        if pk not in written:
            yield {"_op_type": "delete", "_index": index, "_id": entry_id(kind, pk)}


def sync(kind, ids, groups=()):
    """Write the current state of the `kind` objects `ids` (removing those no longer public),
    and remove entries of `groups` (e.g. a case's documents) that are not among the rows."""
    if not elasticsearch_enabled():
        return 0
    source = sources()[kind]
    client = get_client()
    index = ensure_alias()
    rows = list(source.rows(ids)) if ids else []
    written = _write(client, index, _actions(index, kind, rows, ids))
    if groups:
        shown = {entry_id(kind, row.pk) for row in rows}
        client.indices.refresh(index=index)
        found = (
            SiteEntry.search(using=client, index=index)
            .filter("term", kind=kind)
            .filter("terms", group=list(groups))
            .source(False)
            .extra(size=10_000)
            .execute()
        )
        stale = [hit.meta.id for hit in found if hit.meta.id not in shown]
        if stale:
            _write(client, index, ({"_op_type": "delete", "_index": index, "_id": pk} for pk in stale))
    _purge_result_pages(client, index)
    return written


# Pages whose answers come from the indices (whatever their query string): kept anonymous copies
# are dropped once the index holds the change, not only when the change was saved, or a visitor
# between the two would keep the old results in the page cache.
RESULT_PAGES = ("/letters/", "/cases/documents/")


def _purge_result_pages(client, index):
    from portal.page_cache import purge

    client.indices.refresh(index=index)
    purge(RESULT_PAGES)


@task()
def sync_task(kind, ids, attempt=1):
    """Background form of `sync`, queued after commit; retried while Elasticsearch is down."""
    try:
        return sync(kind, ids)
    except Exception as exc:
        if not retry_later(sync_task, [kind, ids], attempt, exc, f"site search {kind} {ids[:5]}"):
            raise
        return 0


_pending = threading.local()


def queue_sync(kind, ids):
    """Queue `sync(kind, ids)` for after the commit. Within one transaction the ids are
    gathered into one task per kind, so deleting a column with thousands of articles (a
    signal per page) queues one task, not thousands."""
    if not ids or not elasticsearch_enabled():
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        sync_task.enqueue(kind, sorted(set(ids)))
        return
    batch = getattr(_pending, "batch", None)
    # A batch whose commit callback is gone belongs to a transaction that was rolled back.
    # (`==`: each `batch.flush` is a new bound method, equal to the one registered, never the same.)
    if batch is None or not any(func == batch.flush for _sids, func, _robust in connection.run_on_commit):
        batch = _pending.batch = _Batch()
        transaction.on_commit(batch.flush)
    batch.ids.setdefault(kind, set()).update(ids)


class _Batch:
    def __init__(self):
        self.ids = {}

    def flush(self):
        if getattr(_pending, "batch", None) is self:
            _pending.batch = None
        for kind, ids in self.ids.items():
            sync_task.enqueue(kind, sorted(ids))


def aliased_indices():
    try:
        return sorted(get_client().indices.get_alias(name=alias_name()))
    except NotFoundError:
        return []


def rebuild(chunk_size=1000):
    """Build a new version of the index from PostgreSQL, then swap the alias. Returns the
    number of entries written."""
    client = get_client()
    started = timezone.now()
    name = new_index(refresh_interval="-1")
    count = 0
    for kind, source in sources().items():
        for ids in source.all_ids(chunk_size):
            count += _write(client, name, _actions(name, kind, source.rows(ids)))
    client.indices.put_settings(index=name, settings={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)
    old = aliased_indices()
    actions = [{"remove": {"index": old_name, "alias": alias_name()}} for old_name in old]
    actions.append({"add": {"index": name, "alias": alias_name()}})
    client.indices.update_aliases(actions=actions)
    for old_name in old:
        client.indices.delete(index=old_name, ignore_unavailable=True)
    logger.info("site search index rebuilt: %d entries in %s", count, timezone.now() - started)
    return count
