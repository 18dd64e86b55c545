import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from . import statistics

VIEW_SEARCH_TERMS = "portal_search.view_searchtermday"
WEEKS_OFFERED = 12


def search_terms(request):
    """Top queries and queries that found nothing, for one week (this week by default)."""
    if not request.user.has_perm(VIEW_SEARCH_TERMS):
        raise PermissionDenied
    this_monday, _sunday = statistics.week_of(timezone.localdate())
    weeks = [this_monday - datetime.timedelta(weeks=n) for n in range(WEEKS_OFFERED)]
    try:
        monday = statistics.week_of(datetime.date.fromisoformat(request.GET.get("week", "")))[0]
    except ValueError:
        monday = this_monday
    sunday = monday + datetime.timedelta(days=6)
    return render(
        request,
        "search/admin/search_terms.html",
        {
            "weeks": weeks,
            "monday": monday,
            "sunday": sunday,
            "top": statistics.top_queries(monday, sunday),
            "zero": statistics.zero_result_queries(monday, sunday),
        },
    )
