"""Pages in the site search (search.site_index): what of the page tree is public, how a page
reads in a result list, and the signals that queue an index update when that changes.

Public means live, outside any private section (PageViewRestriction), and one of the page
types readers look for (articles, columns, service entries). A page's entry names its column
and the column's whole ancestry, so a search can be limited to a column and its sub-columns.
"""

import html
import re

from django.db.models import DateField, F
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from search.site_index import Row, SiteSource, queue_sync, with_every_term, within_dates

from .models import ArticlePage, ColumnPage, ServicePage
from .topics import Topic

_BLOCK_END = re.compile(r"</(p|h\d|li|div|tr|table|blockquote)>|<br\s*/?>", re.IGNORECASE)

# Article text the database search looks through when Elasticsearch cannot answer.
DATABASE_LOOKUPS = (
    "title__icontains",
    "articlepage__summary__icontains",
    "articlepage__body__icontains",
    "articlepage__document_no__icontains",
    "articlepage__issuing_body__icontains",
    "columnpage__intro__icontains",
    "servicepage__intro__icontains",
)


def plain_text(rich_text):
    """Rich text as the reader sees it: tags out, entities decoded, blocks on their own lines."""
    return html.unescape(strip_tags(_BLOCK_END.sub("\n", rich_text or ""))).strip()


def public_pages():
    return Page.objects.live().public().type(ArticlePage, ColumnPage, ServicePage)


class PageSource(SiteSource):
    kind = "page"
    label = _("网站栏目")

    @property
    def type_labels(self):
        labels = {str(value): label for value, label in ColumnPage.Kind.choices}
        labels.update(column=_("栏目"), service=_("在线服务"), section=_("综合信息"))
        return labels

    def rows(self, ids):
        pages = list(public_pages().filter(pk__in=ids).specific())
        columns = _columns_above(pages)
        for page in pages:
            yield _row(page, columns)

    def all_ids(self, chunk_size=1000):
        last = ""
        while True:
            chunk = list(public_pages().filter(path__gt=last).order_by("path").values_list("path", "pk")[:chunk_size])
            if not chunk:
                return
            yield [pk for _path, pk in chunk]
            last = chunk[-1][0]

    def database_search(self, understood, criteria):
        pages = with_every_term(public_pages(), understood.terms, DATABASE_LOOKUPS)
        if criteria.column:
            pages = pages.filter(path__startswith=criteria.column_path).exclude(path=criteria.column_path)
        pages = pages.annotate(
            sort_date=Coalesce("articlepage__date", TruncDate("last_published_at"), output_field=DateField())
        )
        pages = within_dates(pages, "sort_date", criteria)
        return pages.order_by("-sort_date", "-pk").values("sort_date", item_id=F("pk"))


def _ancestor_paths(page):
    step = Page.steplen
    return [page.path[:end] for end in range(step, len(page.path), step)]


def _columns_above(pages):
    """{path: ColumnPage} of every column above any of `pages`, in one query, each with its
    address worked out once (`url`)."""
    paths = {path for page in pages for path in _ancestor_paths(page)}
    columns = {column.path: column for column in ColumnPage.objects.filter(path__in=paths).select_related("department")}
    for column in columns.values():
        column.address = column.get_url() or ""
    return columns


def _published_on(page):
    published = page.last_published_at or page.first_published_at
    return timezone.localdate(published) if published else None


def _row(page, columns):
    above = [columns[path] for path in _ancestor_paths(page) if path in columns]
    column = above[-1] if above else None
    department = next((c.department.name for c in reversed(above) if c.department_id), "")
    row = Row(
        pk=page.pk,
        type="column",
        title=page.title,
        url=page.get_url() or "",
        date=_published_on(page),
        column_id=column.pk if column else None,
        column_title=column.title if column else "",
        column_url=column.address if column else "",
        column_ids=tuple(c.pk for c in above),
        department=department,
        group=f"page-{page.pk}",
    )
    if isinstance(page, ArticlePage):
        kind = column.kind if column else ColumnPage.Kind.GENERAL
        row.type = "general" if kind == ColumnPage.Kind.SECTION else str(kind)
        row.date = page.date
        row.summary = page.summary
        row.body = plain_text(page.body)
        row.document_no = page.document_no
        topic = str(Topic(page.topic).label) if page.topic in Topic.values else ""
        row.extra = " ".join(part for part in (page.issuing_body, topic) if part)
        row.department = page.issuing_body or department
        row.validity = page.validity
    elif isinstance(page, ServicePage):
        row.type = "service"
        row.summary = page.intro
        row.body = plain_text(page.body)
    else:
        row.summary = page.intro
        if page.department_id:
            row.department = page.department.name
    return row


# --- Keeping the index in line ---------------------------------------------------------


def _subtree_ids(page):
    return list(Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True))


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    # A column's title and address show on every result below it.
    queue_sync("page", _subtree_ids(instance) if instance.numchild else [instance.pk])


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    queue_sync("page", _subtree_ids(instance))


@receiver(post_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    queue_sync("page", [instance.pk])


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        queue_sync("page", _subtree_ids(page))
