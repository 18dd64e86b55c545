"""Search of the published legal documents (法律文书公开): full text, filters, highlighting.

Elasticsearch answers from the PublicDocument index alone (one request: hits, highlights and
the filter values), so a page of results costs no database query. When Elasticsearch cannot
answer, PostgreSQL does (substring search, same filters) and the page says so.

Highlighted snippets are built so that nothing in a document can become markup: Elasticsearch
marks matches with two private-use characters (which the indexed text never contains), the
fragment is HTML-escaped, and only then are the two characters turned into <mark>.
"""

import logging
import math
import re
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from elasticsearch_dsl import Q as ESQ

from search.connection import elasticsearch_enabled, get_client

from .documents import PublicDocument, alias_name, public_document_queryset, strip_private_use
from .models import LegalDocument

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_QUERY_LENGTH = 100
# Elasticsearch pages no further than 10,000 hits (index.max_result_window).
MAX_WINDOW = 10_000
MARK_START, MARK_END = "\ue000", "\ue001"
FRAGMENT_SIZE = 80
TYPE_LABELS = dict(LegalDocument.Type.choices)
PUBLIC_TYPES = [str(value) for value in LegalDocument.PUBLISHABLE_TYPES]


@dataclass
class Criteria:
    query: str = ""
    doc_type: str = ""
    year: int | None = None
    office: str = ""
    page: int = 1

    @property
    def terms(self):
        return self.query.split()

    @property
    def filtered(self):
        return bool(self.doc_type or self.year or self.office)


def criteria_from(params):
    """Read the GET parameters; anything malformed is ignored rather than refused."""
    query = " ".join(params.get("q", "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]  # PostgreSQL refuses NUL
    doc_type = params.get("type", "")
    year = params.get("year", "")
    try:
        page = max(1, int(params.get("page", "1")))
    except ValueError:
        page = 1
    return Criteria(
        query=query,
        doc_type=doc_type if doc_type in PUBLIC_TYPES else "",
        year=int(year) if year.isdigit() and len(year) == 4 else None,
        office=params.get("office", "").strip()[:100],
        page=min(page, MAX_WINDOW // PER_PAGE),
    )


@dataclass
class Hit:
    pk: int
    title: str
    number: str
    doc_type: str
    issued_on: str
    handling_office: str
    snippet: str

    @property
    def type_label(self):
        return TYPE_LABELS.get(self.doc_type, "")


@dataclass
class Facets:
    types: list = field(default_factory=list)  # (value, label, count)
    years: list = field(default_factory=list)  # (year, count)
    offices: list = field(default_factory=list)  # (office, count)


@dataclass
class Results:
    total: int
    page_obj: object
    facets: Facets
    degraded: bool = False


def marked(fragment):
    """A text fragment with MARK_START/MARK_END around matches → safe HTML with <mark>."""
    return mark_safe(escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


class _Window:
    """The part of the result list one page shows, sized as the whole list for Paginator."""

    def __init__(self, total, offset, items):
        self.total, self.offset, self.items = total, offset, items

    def count(self):
        return min(self.total, MAX_WINDOW)

    def __getitem__(self, window):
        return self.items if window.start == self.offset else []


def _page(total, number, items):
    return Paginator(_Window(total, (number - 1) * PER_PAGE, items), PER_PAGE).get_page(number)


def _last_page(total):
    return max(1, math.ceil(min(total, MAX_WINDOW) / PER_PAGE))


# --- Elasticsearch ---------------------------------------------------------------------

LIST_FIELDS = ["title", "number", "doc_type", "issued_on", "handling_office", "excerpt"]


def _es_search(criteria, number):
    search = PublicDocument.search(using=get_client(), index=alias_name("documents"))
    for term in criteria.terms:
        search = search.query("multi_match", query=term, fields=["title^2", "text", "number"], operator="and")
    filters = []
    if criteria.doc_type:
        filters.append(ESQ("term", doc_type=criteria.doc_type))
    if criteria.year:
        filters.append(ESQ("term", year=criteria.year))
    if criteria.office:
        filters.append(ESQ("term", handling_office=criteria.office))
    if filters:
        # Filters narrow the hits but not the facet counts, so other values stay offered.
        search = search.post_filter("bool", filter=filters)
    search.aggs.bucket("types", "terms", field="doc_type", size=len(PUBLIC_TYPES))
    search.aggs.bucket("years", "terms", field="year", size=30, order={"_key": "desc"})
    search.aggs.bucket("offices", "terms", field="handling_office", size=50, order={"_key": "asc"})
    if criteria.terms:
        search = search.sort("_score", {"issued_on": "desc"}, "number")
        search = search.highlight_options(pre_tags=[MARK_START], post_tags=[MARK_END], encoder="default")
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight("text", fragment_size=FRAGMENT_SIZE, number_of_fragments=2)
    else:
        search = search.sort({"issued_on": "desc"}, "number")
    start = (number - 1) * PER_PAGE
    search = search.source(LIST_FIELDS).extra(from_=start, size=PER_PAGE, track_total_hits=True)
    return search.execute()


def _hit(hit):
    highlight = getattr(hit.meta, "highlight", None)
    title = marked(highlight.title[0]) if highlight and "title" in highlight else escape(hit.title)
    if highlight and "text" in highlight:
        snippet = marked("…".join(highlight.text))
    else:
        snippet = escape(hit.excerpt or "")
    return Hit(
        pk=int(hit.meta.id),
        title=title,
        number=hit.number,
        doc_type=hit.doc_type,
        issued_on=str(hit.issued_on)[:10],
        handling_office=hit.handling_office,
        snippet=snippet,
    )


def search_elasticsearch(criteria):
    number = criteria.page
    response = _es_search(criteria, number)
    total = response.hits.total.value
    if not response.hits and total and number > 1:  # past the end: show the last page
        number = _last_page(total)
        response = _es_search(criteria, number)
    aggs = response.aggregations
    facets = Facets(
        types=[(b.key, TYPE_LABELS.get(b.key, b.key), b.doc_count) for b in aggs.types.buckets],
        years=[(int(b.key), b.doc_count) for b in aggs.years.buckets],
        offices=[(b.key, b.doc_count) for b in aggs.offices.buckets],
    )
    return Results(total=total, page_obj=_page(total, number, [_hit(hit) for hit in response]), facets=facets)


# --- PostgreSQL ------------------------------------------------------------------------


def _database_snippet(text, terms):
    text = strip_private_use(text)
    if not terms:
        return escape(text[: PublicDocument.EXCERPT_LENGTH])
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, first.start() - FRAGMENT_SIZE // 3) if first else 0
    fragment = text[start : start + FRAGMENT_SIZE]
    return marked(pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", fragment))


def search_database(criteria):
    documents = public_document_queryset()
    for term in criteria.terms:
        documents = documents.filter(
            Q(public_text__icontains=term) | Q(case__charge__icontains=term) | Q(number__icontains=term)
        )
    matching = documents
    if criteria.doc_type:
        documents = documents.filter(doc_type=criteria.doc_type)
    if criteria.year:
        documents = documents.filter(issued_on__year=criteria.year)
    if criteria.office:
        documents = documents.filter(case__handling_office=criteria.office)
    total = documents.count()
    number = min(criteria.page, _last_page(total))
    start = (number - 1) * PER_PAGE
    page = documents.order_by("-issued_on", "number")[start : start + PER_PAGE]
    hits = [
        Hit(
            pk=document.pk,
            title=escape(document.title),
            number=document.number,
            doc_type=document.doc_type,
            issued_on=document.issued_on.isoformat(),
            handling_office=document.case.handling_office,
            snippet=_database_snippet(document.public_text, criteria.terms),
        )
        for document in page
    ]
    counts = matching.order_by()
    facets = Facets(
        types=[
            (row["doc_type"], TYPE_LABELS.get(row["doc_type"], ""), row["n"])
            for row in counts.values("doc_type").annotate(n=Count("pk")).order_by("-n")
        ],
        years=[
            (row["issued_on__year"], row["n"])
            for row in counts.values("issued_on__year").annotate(n=Count("pk")).order_by("-issued_on__year")
        ],
        offices=[
            (row["case__handling_office"], row["n"])
            for row in counts.values("case__handling_office").annotate(n=Count("pk")).order_by("case__handling_office")
        ],
    )
    return Results(total=total, page_obj=_page(total, number, hits), facets=facets, degraded=True)


def search_documents(criteria):
    """The page of published documents matching `criteria`, with the filter values on offer."""
    if not elasticsearch_enabled():
        results = search_database(criteria)
        results.degraded = False
        return results
    try:
        return search_elasticsearch(criteria)
    except Exception as exc:  # unreachable, timeout, missing index: answer from the database
        logger.warning("document search: Elasticsearch failed (%s), using the database", exc.__class__.__name__)
        return search_database(criteria)
