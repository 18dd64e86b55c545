"""What the site search page was asked: the query, filters, order and page, read from GET."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .paging import MAX_WINDOW

MAX_QUERY_LENGTH = 100
PER_PAGE = 20

PERIODS = {
    "week": (_("一周内"), 7),
    "month": (_("一月内"), 31),
    "year": (_("一年内"), 366),
    "older": (_("一年以前"), None),
}
SORTS = {"relevance": _("按相关度"), "date": _("按发布日期")}


@dataclass
class Criteria:
    query: str = ""
    type: str = ""
    column: int | None = None
    column_path: str = ""
    column_title: str = ""
    department: str = ""
    period: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    errors: list = field(default_factory=list)

    @property
    def filtered(self):
        return bool(self.type or self.column or self.department or self.date_from or self.date_to)

    def filter_dates(self):
        """(from, to) of the date filter: the typed dates, else the chosen period."""
        if self.date_from or self.date_to:
            return self.date_from, self.date_to
        return period_range(self.period)


def period_range(period, today=None):
    today = today or timezone.localdate()
    if period not in PERIODS:
        return None, None
    days = PERIODS[period][1]
    if days is None:
        return None, today - datetime.timedelta(days=PERIODS["year"][1] + 1)
    return today - datetime.timedelta(days=days), None


def _date(params, name, label, errors):
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(_("%(label)s格式不正确，请按“2026-01-31”的格式填写。") % {"label": label})
        return None


def criteria_from(params):
    """Read the GET parameters. A malformed filter is dropped with a message; the query is kept."""
    errors = []
    query = " ".join(params.get("q", "").replace("\x00", "").split())  # PostgreSQL refuses NUL characters
    if len(query) > MAX_QUERY_LENGTH:
        errors.append(_("搜索词过长，请控制在 %(max)d 个字以内。") % {"max": MAX_QUERY_LENGTH})
        query = ""
    criteria = Criteria(query=query, errors=errors)
    criteria.type = params.get("type", "").strip()[:30]
    criteria.department = params.get("department", "").strip()[:100]
    criteria.period = params.get("period", "") if params.get("period", "") in PERIODS else ""
    criteria.sort = params.get("sort", "") if params.get("sort", "") in SORTS else "relevance"
    criteria.date_from = _date(params, "from", _("起始日期"), errors)
    criteria.date_to = _date(params, "to", _("截止日期"), errors)
    if criteria.date_from and criteria.date_to and criteria.date_from > criteria.date_to:
        errors.append(_("起始日期不能晚于截止日期。"))
        criteria.date_from = criteria.date_to = None
    column = params.get("column", "")
    if column.isdigit():
        found = Page.objects.filter(pk=int(column)).values("pk", "path", "title").first()
        if found:
            criteria.column, criteria.column_path, criteria.column_title = found["pk"], found["path"], found["title"]
    try:
        page = int(params.get("page", "1"))
    except ValueError:
        page = 1
    criteria.page = min(max(1, page), MAX_WINDOW // PER_PAGE)
    return criteria
