import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 100


def search_pages(query):
    """Live pages matching the query, and whether the database fallback answered.

    Elasticsearch answers when it is configured and up; otherwise the database backend,
    which Wagtail keeps up to date alongside it, answers with the same pages.
    """
    pages = Page.objects.live().public().specific()
    if "fallback" not in settings.WAGTAILSEARCH_BACKENDS:
        return pages.search(query, operator="and"), False
    try:
        results = pages.search(query, operator="and", backend="default")
        results.count()  # force the round trip now, inside the try
        return results, False
    except Exception as exc:  # transport errors of any kind: degrade, never a 500
        logger.warning("site search: Elasticsearch failed (%s), using the database", exc.__class__.__name__)
        return pages.search(query, operator="and", backend="fallback"), True


def search(request):
    query = request.GET.get("q", "").strip()
    context = {"query": query, "results": None, "degraded": False, "error": ""}
    if len(query) > MAX_QUERY_LENGTH:
        context["error"] = _("搜索词过长，请控制在 %(max)d 个字以内。") % {"max": MAX_QUERY_LENGTH}
    elif query:
        results, degraded = search_pages(query)
        context["results"] = Paginator(results, 20).get_page(request.GET.get("page"))
        context["degraded"] = degraded
    return render(request, "search/search.html", context)
