"""The site search answered by the database while Elasticsearch cannot: the same understood
query (folding, document numbers, synonyms) matched by substring in each source's own
tables, newest first, rendered through the same result lines. No ranking beyond the date and
no filter counts, and the page says so. The column and date filters still apply; a type
filter limits the sources searched.

The number of queries does not grow with the results: per source one count, one page of ids
and the few queries its `rows` needs for that page.
"""

import datetime

from .criteria import PER_PAGE
from .paging import last_page, window_page
from .results import Outcome, result_from_row, type_labels
from .site_index import sources


def _sources_for(criteria):
    found = sources()
    if criteria.column:
        found = {kind: source for kind, source in found.items() if kind == "page"}
    if criteria.type:
        found = {kind: source for kind, source in found.items() if criteria.type in source.type_labels}
    return found


def search(understood, criteria):
    matches, total = {}, 0
    for kind, source in _sources_for(criteria).items():
        queryset = source.database_search(understood, criteria)
        matches[kind] = queryset
        total += queryset.count()
    number = min(criteria.page, last_page(total, PER_PAGE))
    end = number * PER_PAGE
    # The newest `end` of each source, merged: the page is the last PER_PAGE of them.
    candidates = [
        (row["sort_date"] or datetime.date.min, row["item_id"], kind)
        for kind, qs in matches.items()
        for row in qs[:end]
    ]
    candidates.sort(reverse=True)
    page = candidates[end - PER_PAGE : end]
    words = [alt for term in understood.terms for alt in term.alternatives]
    labels = type_labels()
    results = []
    for kind in matches:
        ids = [pk for _date, pk, k in page if k == kind]
        rows = {row.pk: row for row in sources()[kind].rows(ids)} if ids else {}
        results += [
            (d, pk, result_from_row(kind, rows[pk], words, labels)) for d, pk, k in page if k == kind and pk in rows
        ]
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    return Outcome(
        total=total, page_obj=window_page(total, number, [r for _d, _pk, r in results], PER_PAGE), degraded=True
    )
