"""The site search page (站内搜索): pages, published letters and public legal documents in
one ranked list, with filters, highlighted snippets, the editors' pinned results and, when
nothing is found, suggestions. Elasticsearch answers; while it cannot, the database does and
the page says so.

The number of database queries does not depend on the results: the synonym table (cached),
the pinned results, the popular searches, the column searched within and one statement to
count the search.
"""

import logging

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from . import engine, fallback
from .connection import elasticsearch_enabled
from .criteria import PERIODS, SORTS, criteria_from
from .query import understand
from .results import Result
from .site_index import entry_id
from .statistics import popular_queries, record_search
from .synonyms import current_table

logger = logging.getLogger(__name__)


def promotions_for(understood):
    """The editors' pinned results for this query (typed or folded form), in their order."""
    strings = {normalise_query_string(understood.typed), normalise_query_string(understood.text)}
    return list(
        SearchPromotion.objects.filter(query__query_string__in=strings)
        .order_by("sort_order", "pk")
        .only("page_id", "external_link_url", "external_link_text", "description")
    )


def _external_pin(promotion):
    return Result(
        kind="link",
        type="link",
        type_label=_("推荐链接"),
        title=escape(promotion.external_link_text or promotion.external_link_url),
        url=promotion.external_link_url,
        snippet=escape(promotion.description),
        date="",
    )


def run_search(understood, criteria, promotions):
    """(Outcome, degraded): Elasticsearch, or the database when it cannot answer."""
    if not elasticsearch_enabled():
        return fallback.search(understood, criteria), False
    try:
        outcome = engine.search(understood, criteria, [entry_id("page", p.page_id) for p in promotions if p.page_id])
    except Exception as exc:  # unreachable, timeout, missing index: degrade, never a 500
        logger.warning("site search: Elasticsearch failed (%s), using the database", exc.__class__.__name__)
        return fallback.search(understood, criteria), True
    pins = []
    if criteria.page == 1 and not criteria.filtered:
        for promotion in promotions:
            if not promotion.page_id:
                pins.append(_external_pin(promotion))
            elif entry_id("page", promotion.page_id) in outcome.pins:
                pin = outcome.pins[entry_id("page", promotion.page_id)]
                if promotion.description:  # the editor's words about why it is pinned
                    pin.snippet = escape(promotion.description)
                pins.append(pin)
    outcome.pins = pins
    return outcome, False


def suggestions(understood, table):
    """Other searches worth trying when this one found nothing."""
    found = []
    for group in table.related(understood.text.replace(" ", "")):
        found += [word for word in group if word not in found]
    if len(understood.terms) > 1:
        found += [term.text for term in understood.terms if term.text not in found]
    return found[:10]


def search(request):
    criteria = criteria_from(request.GET)
    popular = popular_queries()
    context = {
        "criteria": criteria,
        "query": criteria.query,
        "outcome": None,
        "popular": popular,
        "periods": [(key, label) for key, (label, _days) in PERIODS.items()],
        "sorts": list(SORTS.items()),
    }
    if not criteria.query:
        return render(request, "search/search.html", context)
    table = current_table()
    understood = understand(criteria.query, table)
    context["understood"] = understood
    if not understood:
        context["no_terms"] = True
        return render(request, "search/search.html", context)
    outcome, degraded = run_search(understood, criteria, promotions_for(understood))
    outcome.degraded = outcome.degraded or degraded
    context["outcome"] = outcome
    if not outcome.total:
        context["suggestions"] = suggestions(understood, table)
    if criteria.page == 1 and not criteria.filtered:
        record_search(understood.text, found=bool(outcome.total or outcome.pins))
    response = render(request, "search/search.html", context)
    if outcome.degraded:
        add_never_cache_headers(response)  # the database's answer is not kept for later visitors
    return response
