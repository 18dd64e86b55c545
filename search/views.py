import logging
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page
from wagtail.search.query import And, PlainText

from .connection import elasticsearch_enabled

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100

# Page text the database search looks through when Elasticsearch cannot answer.
DATABASE_SEARCH_LOOKUPS = (
    "title__icontains",
    "articlepage__summary__icontains",
    "articlepage__body__icontains",
    "articlepage__document_no__icontains",
    "articlepage__issuing_body__icontains",
    "columnpage__intro__icontains",
    "servicepage__intro__icontains",
)


def public_pages():
    return Page.objects.live().public()


def database_search(query):
    """Substring search in PostgreSQL/SQLite: every whitespace-separated term must occur."""
    pages = public_pages()
    for term in query.split():
        pages = pages.filter(reduce(or_, (Q(**{lookup: term}) for lookup in DATABASE_SEARCH_LOOKUPS)))
    return pages.order_by("-first_published_at").specific()


def search_pages(query):
    """Live public pages matching the query, and whether the database had to answer instead."""
    if not elasticsearch_enabled():
        return database_search(query), False
    # One query per term: bigrams must not be built across the space between two terms.
    terms = [PlainText(term, operator="and") for term in query.split()]
    try:
        results = public_pages().specific().search(terms[0] if len(terms) == 1 else And(terms))
        results.count()  # make the round trip here, inside the try
        return results, False
    except Exception as exc:  # any transport error: degrade, never a 500
        logger.warning("site search: Elasticsearch failed (%s), using the database", exc.__class__.__name__)
        return database_search(query), True


@dataclass
class SearchItem:
    title: str
    url: str
    meta: str = ""


@dataclass
class SearchSection:
    """Matches from a service outside the page tree (公开信件, 法律文书…), shown beside the
    page results with a link to that service's own search for the rest."""

    title: str
    more_url: str
    count: int
    items: list[SearchItem] = field(default_factory=list)
    degraded: bool = False


SECTION_SIZE = 5


def search_sections(query):
    """Sections from every app that registers a `site_search_section` hook: a callable taking
    (query, size) and returning a SearchSection or None. A failing section is left out."""
    sections = []
    for section_for in hooks.get_hooks("site_search_section"):
        try:
            section = section_for(query, SECTION_SIZE)
        except Exception as exc:  # one service's trouble must not take the search page down
            logger.warning("site search: section %s failed (%s)", section_for.__module__, exc.__class__.__name__)
            continue
        if section is not None and section.count:
            sections.append(section)
    return sections


def search(request):
    query = request.GET.get("q", "").replace("\x00", "").strip()  # PostgreSQL refuses NUL characters
    context = {"query": query, "results": None, "degraded": False, "error": "", "sections": []}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = _("搜索词过长，请控制在 %(max)d 个字以内。") % {"max": MAX_QUERY_LENGTH}
    elif query:
        results, degraded = search_pages(query)
        context["results"] = Paginator(results, 20).get_page(request.GET.get("page"))
        context["sections"] = search_sections(query)
        context["degraded"] = degraded or any(section.degraded for section in context["sections"])
    return render(request, "search/search.html", context)
