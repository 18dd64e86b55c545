"""Paging of results that come one page at a time from a search engine."""

import math

from django.core.paginator import Paginator

# Elasticsearch pages no further than 10,000 hits (index.max_result_window).
MAX_WINDOW = 10_000


class _Window:
    """The part of the result list one page shows, sized as the whole list for Paginator."""

    def __init__(self, total, offset, items):
        self.total, self.offset, self.items = total, offset, items

    def count(self):
        return min(self.total, MAX_WINDOW)

    def __getitem__(self, window):
        return self.items if window.start == self.offset else []


def window_page(total, number, items, per_page):
    """A Paginator page holding `items`, which are page `number` of `total` results."""
    return Paginator(_Window(total, (number - 1) * per_page, items), per_page).get_page(number)


def last_page(total, per_page):
    return max(1, math.ceil(min(total, MAX_WINDOW) / per_page))
