"""Freshness monitor: the national inspection indicators (国办秘函〔2019〕19号) a county portal is
graded on — home page and news columns updated within 2 weeks, notices and policy columns within
6 months, no empty columns, no broken links. Limits come from settings.PORTAL_FRESHNESS."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.models import CollectionViewRestriction, Page
from wagtail.rich_text.rewriters import extract_attrs

from .files import DOCUMENT, RICH_TEXT_TAG
from .models import ArticlePage, ColumnPage, HomePage, PublicFile, ServicePage

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


def _live_below(model):
    """Live pages of `model` below the outer page (a correlated subquery on its tree path)."""
    return model.objects.live().filter(path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"))


def _last_publication():
    first_published = _live_below(ArticlePage).order_by(F("first_published_at").desc(nulls_last=True))
    return Subquery(first_published.values("first_published_at")[:1])


def findings(now=None):
    """Columns that are empty or close to / over their update limit, worst first. Two queries,
    however many columns and articles."""
    now = now or timezone.now()
    limits = settings.PORTAL_FRESHNESS
    result = []
    for home in HomePage.objects.live().annotate(last_publication=_last_publication()):
        finding = judge(home, home.last_publication, limits["home_days"], now)
        if finding:
            result.append(finding)
    columns = ColumnPage.objects.live().annotate(
        last_publication=_last_publication(),
        has_article=Exists(_live_below(ArticlePage)),
        has_service=Exists(_live_below(ServicePage)),
    )
    for column in columns.order_by("path"):
        if not (column.has_article or column.has_service):
            result.append(Finding(column, "empty", None, None, None))
            continue
        if column.kind in LIMIT_BY_KIND:
            finding = judge(column, column.last_publication, limits[LIMIT_BY_KIND[column.kind]], now)
            if finding:
                result.append(finding)
    order = {"overdue": 0, "empty": 1, "due_soon": 2}
    return sorted(result, key=lambda finding: (order[finding.state], -(finding.age_days or 0)))


# --- Broken links -------------------------------------------------------------------------------


@dataclass
class BrokenLink:
    page: object  # the live page whose text holds the link (pk and title only)
    kind: str  # "page" or "document"
    target_id: int
    target_title: str  # "" when the target was deleted
    problem: str

    KINDS = {"page": _("页面"), DOCUMENT: _("文件")}

    @property
    def kind_label(self):
        return self.KINDS[self.kind]


DELETED = _("已删除")
NOT_LIVE = _("未发布或已撤下")
NOT_PUBLIC = _("未公开")


def _rich_text_fields():
    """{page model: [rich text fields in its own table]}: a page type extending another (a 解读 is
    an article) is read with the type whose table holds the text."""
    found = {}
    for model in apps.get_models():
        if issubclass(model, Page):
            names = [field.name for field in model._meta.local_fields if isinstance(field, RichTextField)]
            if names:
                found[model] = names
    return found


def _links_on_live_pages():
    """[(page pk, page title, kind, target id)] of the page and document links in the rich text of
    live pages: one query per page type that has rich text."""
    links = []
    for model, names in _rich_text_fields().items():
        holds_a_link = Q()
        for name in names:
            holds_a_link |= Q(**{f"{name}__contains": 'linktype="page"'})
            holds_a_link |= Q(**{f"{name}__contains": 'linktype="document"'})
        for row in model.objects.live().filter(holds_a_link).values("pk", "title", *names):
            for name in names:
                for tag, attr_string in RICH_TEXT_TAG.findall(row[name] or ""):
                    attrs = extract_attrs(attr_string)
                    kind = attrs.get("linktype")
                    if tag == "a" and kind in ("page", DOCUMENT) and attrs.get("id", "").isdigit():
                        links.append((row["pk"], row["title"], kind, int(attrs["id"])))
    return links


def broken_links():
    """Links in the text of live pages to pages that are no longer live or were deleted, and to
    documents that were deleted or are not public; by page, in the order of its text. A bounded
    number of queries, however many pages: one per page type with rich text, and four more."""
    links = _links_on_live_pages()
    page_ids = {target for _pk, _title, kind, target in links if kind == "page"}
    document_ids = {target for _pk, _title, kind, target in links if kind == DOCUMENT}
    pages = {row["pk"]: row for row in Page.objects.filter(pk__in=page_ids).values("pk", "title", "live")}
    documents = {
        row["pk"]: row
        for row in get_document_model().objects.filter(pk__in=document_ids).values("pk", "title", "collection__path")
    }
    public = set(
        PublicFile.objects.filter(kind=DOCUMENT, object_id__in=document_ids).values_list("object_id", flat=True)
    )
    restricted = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    found = []
    for page_pk, page_title, kind, target in sorted(dict.fromkeys(links), key=lambda link: (link[1], link[0])):
        source = Page(pk=page_pk, title=page_title)
        if kind == "page":
            row = pages.get(target)
            if row is None:
                found.append(BrokenLink(source, kind, target, "", DELETED))
            elif not row["live"]:
                found.append(BrokenLink(source, kind, target, row["title"], NOT_LIVE))
            continue
        row = documents.get(target)
        if row is None:
            found.append(BrokenLink(source, kind, target, "", DELETED))
        elif target not in public or any(row["collection__path"].startswith(path) for path in restricted):
            found.append(BrokenLink(source, kind, target, row["title"], NOT_PUBLIC))
    return found
