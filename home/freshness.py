"""Freshness monitor: the national inspection indicators (国办秘函〔2019〕19号) a county portal is
graded on — home page and news columns updated within 2 weeks, notices and policy columns within
6 months, no empty columns. Limits come from settings.PORTAL_FRESHNESS."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ArticlePage, ColumnPage, HomePage, ServicePage

LIMIT_BY_KIND = {
    ColumnPage.Kind.NEWS: "news_days",
    ColumnPage.Kind.NOTICES: "notices_days",
    ColumnPage.Kind.POLICY: "policy_days",
}


@dataclass
class Finding:
    page: object
    state: str  # "empty", "overdue" or "due_soon"
    last_update: object  # datetime or None
    age_days: int | None
    limit_days: int | None

    LABELS = {"empty": _("空栏目"), "overdue": _("已超期未更新"), "due_soon": _("即将超期")}

    @property
    def label(self):
        return self.LABELS[self.state]

    @property
    def days_left(self):
        return None if self.limit_days is None or self.age_days is None else self.limit_days - self.age_days


def judge(page, last_update, limit_days, now):
    if last_update is None:
        return Finding(page, "overdue", None, None, limit_days)
    age = (now - last_update).days
    if age > limit_days:
        return Finding(page, "overdue", last_update, age, limit_days)
    if age >= limit_days * settings.PORTAL_FRESHNESS["warn_ratio"]:
        return Finding(page, "due_soon", last_update, age, limit_days)
    return None


def last_publication(page):
    return ArticlePage.objects.descendant_of(page).live().aggregate(latest=Max("first_published_at"))["latest"]


def findings(now=None):
    """Columns that are empty or close to / over their update limit, worst first."""
    now = now or timezone.now()
    limits = settings.PORTAL_FRESHNESS
    result = []
    for home in HomePage.objects.live():
        finding = judge(home, last_publication(home), limits["home_days"], now)
        if finding:
            result.append(finding)
    for column in ColumnPage.objects.live().order_by("path"):
        has_content = (
            ArticlePage.objects.descendant_of(column).live().exists()
            or ServicePage.objects.descendant_of(column).live().exists()
        )
        if not has_content:
            result.append(Finding(column, "empty", None, None, None))
            continue
        if column.kind in LIMIT_BY_KIND:
            finding = judge(column, last_publication(column), limits[LIMIT_BY_KIND[column.kind]], now)
            if finding:
                result.append(finding)
    order = {"overdue": 0, "empty": 1, "due_soon": 2}
    return sorted(result, key=lambda finding: (order[finding.state], -(finding.age_days or 0)))
