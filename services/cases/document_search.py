"""Search of the published legal documents (法律文书公开): full text, filters, highlighting.

Elasticsearch answers from the PublicDocument index alone (one request: hits, highlights and
the filter values), so a page of results costs no database query. When Elasticsearch cannot
answer, PostgreSQL does (substring search, same filters) and the page says so.

Highlighted snippets are built so that nothing in a document can become markup: Elasticsearch
marks matches with two private-use characters (which the indexed text never contains), the
fragment is HTML-escaped, and only then are the two characters turned into <mark>.
"""

import logging
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count
from django.utils.html import escape
from elasticsearch_dsl import Q as ESQ

from search.connection import elasticsearch_enabled, get_client
from search.highlight import FRAGMENT_SIZE, MARK_END, MARK_START, database_snippet, marked
from search.paging import MAX_WINDOW, last_page, window_page
from search.query import understand
from search.site_index import with_every_term

from .documents import PublicDocument, alias_name, public_document_queryset, strip_private_use
from .models import LegalDocument

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_QUERY_LENGTH = 100
TYPE_LABELS = dict(LegalDocument.Type.choices)
PUBLIC_TYPES = [str(value) for value in LegalDocument.PUBLISHABLE_TYPES]


@dataclass
class Criteria:
    query: str = ""
    doc_type: str = ""
    year: int | None = None
    office: str = ""
    page: int = 1

    @cached_property
    def terms(self):
        """The query understood as the site search understands it (search.query): folded,
        document numbers written one way, synonyms, words."""
        return understand(self.query).terms if self.query else []

    @property
    def words(self):
        return [alternative for term in self.terms for alternative in term.alternatives]

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


def _page(total, number, items):
    return window_page(total, number, items, PER_PAGE)


def _last_page(total):
    return last_page(total, PER_PAGE)


# --- Elasticsearch ---------------------------------------------------------------------

LIST_FIELDS = ["title", "number", "doc_type", "issued_on", "handling_office", "excerpt"]


TEXT_FIELDS = ["title^2", "text", "number.text^3", "case_name^2"]


def _term_query(term):
    """Any alternative of the term as written, in the title, text, number or case name; a
    document number also exactly."""
    should = [ESQ("multi_match", query=alt, fields=TEXT_FIELDS, type="phrase") for alt in term.alternatives]
    if term.is_document_number:
        should.append(ESQ("term", number=term.text))
    return ESQ("bool", should=should, minimum_should_match=1)


def _es_search(criteria, number):
    search = PublicDocument.search(using=get_client(), index=alias_name("documents"))
    for term in criteria.terms:
        search = search.query(_term_query(term))
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


DATABASE_LOOKUPS = ("public_text__icontains", "case__charge__icontains", "number__icontains", "case__name__icontains")


def _database_snippet(text, words):
    text = strip_private_use(text)
    return database_snippet(text, words) if words else escape(text[: PublicDocument.EXCERPT_LENGTH])


def search_database(criteria):
    documents = public_document_queryset()
    documents = with_every_term(documents, criteria.terms, DATABASE_LOOKUPS)
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
            snippet=_database_snippet(document.public_text, criteria.words),
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
