"""The review audit trail, read from Wagtail's page log: who submitted, approved, sent back,
published and withdrew which article, at which level, when and with what comment."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from portal.exports import xlsx_bytes

from .models import ArticlePage, ColumnPage

ACTIONS = {
    "wagtail.workflow.start": _("提交审核"),
    "wagtail.workflow.approve": _("审核通过"),
    "wagtail.workflow.reject": _("退回修改"),
    "wagtail.workflow.resume": _("重新提交"),
    "wagtail.workflow.cancel": _("撤回审核"),
    "home.review.restart": _("重新审核"),
    "wagtail.publish": _("发布"),
    "wagtail.publish.scheduled": _("定时发布"),
    "wagtail.unpublish": _("撤下"),
}

HEADINGS = (_("时间"), _("信息标题"), _("栏目"), _("操作"), _("审核级次"), _("操作人"), _("审核意见"))


def review_log(*, column=None, user=None, level="", date_from=None, date_to=None):
    """Log entries of article review, newest first, filtered as the audit report asks."""
    entries = PageLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage), action__in=ACTIONS
    ).select_related("user", "page")
    if column is not None:
        entries = entries.filter(page__path__startswith=column.path, page__depth__gt=column.depth)
    if user is not None:
        entries = entries.filter(user=user)
    if level:
        entries = entries.filter(
            Q(data__workflow__task__title=level) | Q(action="wagtail.workflow.start", data__workflow__next__title=level)
        )
    if date_from:
        entries = entries.filter(timestamp__date__gte=date_from)
    if date_to:
        entries = entries.filter(timestamp__date__lte=date_to)
    return entries.order_by("-timestamp", "-pk")


def level_of(entry):
    workflow = entry.data.get("workflow") or {}
    if entry.action == "wagtail.workflow.start":
        return (workflow.get("next") or {}).get("title", "")
    return (workflow.get("task") or {}).get("title", "")


def rows(entries):
    """One tuple per entry, in HEADINGS order (plain values, ready for a table or a sheet)."""
    pages = {entry.page_id for entry in entries}
    columns = {}
    for page in ArticlePage.objects.filter(pk__in=pages):
        column = ColumnPage.objects.filter(pk=page.get_parent().pk).first()
        columns[page.pk] = column.title if column else ""
    result = []
    for entry in entries:
        result.append(
            (
                timezone.localtime(entry.timestamp).replace(microsecond=0, tzinfo=None),
                entry.label,
                columns.get(entry.page_id, ""),
                str(ACTIONS[entry.action]),
                level_of(entry),
                str(entry.user) if entry.user else str(_("系统")),
                entry.data.get("comment", "") or "",
            )
        )
    return result


def to_xlsx(table):
    return xlsx_bytes(_("审核记录"), HEADINGS, table, widths=(20, 40, 16, 12, 18, 12, 40))
