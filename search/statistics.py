"""Search-term figures for editors (top queries and queries that found nothing, per week) and
the popular searches the search page suggests — without personal data.

A query is stored folded (as it was searched) with every run of digits that could be an ID
number, a phone number or an account masked through portal.pii, one row per query and day
with two counters. Nothing ties a row to a person: no address, no session, no time of day.
"""

import datetime
import re

from django.db import connection
from django.db.models import F, Sum
from django.utils import timezone

from portal.pii import mask_id_number, mask_phone

from .models import SearchTermDay

# ID numbers (18 or 15 characters), mobile and landline numbers, card and account numbers.
_ID_NUMBER = re.compile(r"(?<![0-9])(\d{17}[0-9x]|\d{15})(?![0-9x])", re.IGNORECASE)
_LONG_DIGITS = re.compile(r"(?<![0-9*])\d{7,}(?![0-9])")
POPULAR_DAYS = 28
POPULAR_MIN_SEARCHES = 3
POPULAR_SIZE = 8


def mask_personal_numbers(text):
    """The query with ID numbers shown as their first 2 and last 3 characters and any other
    run of 7 or more digits (phones, accounts) as its last 4 digits."""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _LONG_DIGITS.sub(lambda m: mask_phone(m.group(0)), text)


def record_search(query, found, day=None):
    """Count one search of `query` (already folded) and whether it found anything: one
    statement, safe with any number of app servers searching at once."""
    query = mask_personal_numbers(query)[:100]
    if not query:
        return
    day = day or timezone.localdate()
    table = SearchTermDay._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, query, searches, zero_results) VALUES (%s, %s, 1, %s) "  # noqa: S608
            f"ON CONFLICT (day, query) DO UPDATE SET searches = {table}.searches + 1, "
            f"zero_results = {table}.zero_results + EXCLUDED.zero_results",
            [day, query, 0 if found else 1],
        )


def week_of(day):
    """(Monday, Sunday) of the week `day` falls in."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def _terms(start, end):
    return SearchTermDay.objects.filter(day__range=(start, end)).values("query")


def top_queries(start, end, limit=50):
    """[{query, searches, zero_results}] most searched first."""
    return list(
        _terms(start, end).annotate(total=Sum("searches"), zero=Sum("zero_results")).order_by("-total", "query")[:limit]
    )


def zero_result_queries(start, end, limit=50):
    return list(
        _terms(start, end)
        .annotate(total=Sum("searches"), zero=Sum("zero_results"))
        .filter(zero__gt=0)
        .order_by("-zero", "query")[:limit]
    )


def popular_queries(limit=POPULAR_SIZE, today=None):
    """Queries many people searched lately and that found something, for suggestions. A query
    with a masked number in it is never suggested."""
    today = today or timezone.localdate()
    rows = (
        SearchTermDay.objects.filter(day__gt=today - datetime.timedelta(days=POPULAR_DAYS))
        .exclude(query__contains="*")
        .values("query")
        .annotate(total=Sum("searches"), zero=Sum("zero_results"))
        .filter(total__gte=POPULAR_MIN_SEARCHES, zero__lt=F("total"))
        .order_by("-total", "query")[:limit]
    )
    return [row["query"] for row in rows]
