"""政府网站工作年度报表: computed for one year from the portal's own data, in the sections of
the national form (网站基本信息, 发布解读, 专栏专题, 互动交流, 功能建设), exported to .xlsx and
published as an article through the usual review.

Figures the portal cannot know (visits, security checks, budget) are not invented: those rows
of the national form are left out, and the published article says so."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from portal.exports import xlsx_bytes


@dataclass(frozen=True)
class Row:
    section: str
    item: str
    value: object


def _year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)


def _published_in(queryset, year):
    start, end = _year_range(year)
    return queryset.filter(first_published_at__date__gte=start, first_published_at__date__lt=end)


def annual_rows(year, root):
    """The report's rows for `year`, for the site whose home page is `root`."""
    from services.letters.models import Letter
    from services.letters.statistics import Period, figures

    from .models import (
        ArticlePage,
        ColumnPage,
        ConsultationComment,
        ConsultationPage,
        InterpretationPage,
        PortalSettings,
        TopicPage,
    )

    settings = PortalSettings.for_site(root.get_site())
    rows = [
        Row(_("网站基本信息"), _("网站名称"), root.title),
        Row(_("网站基本信息"), _("主办单位"), settings.sponsor),
        Row(_("网站基本信息"), _("政府网站标识码"), settings.site_code),
        Row(_("网站基本信息"), _("ICP备案号"), settings.icp),
        Row(_("网站基本信息"), _("公安机关备案号"), settings.police_record),
    ]
    articles = _published_in(ArticlePage.objects.live().descendant_of(root), year)
    rows.append(Row(_("发布解读"), _("信息发布总数（条）"), articles.count()))
    for column in ColumnPage.objects.live().descendant_of(root).order_by("path"):
        count = articles.child_of(column).count()
        if count:
            rows.append(Row(_("发布解读"), _("其中：%(column)s（条）") % {"column": column.title}, count))
    interpretations = _published_in(InterpretationPage.objects.live().descendant_of(root), year)
    rows += [
        Row(_("发布解读"), _("政策解读总数（篇）"), interpretations.count()),
        Row(
            _("发布解读"), _("其中：文字解读（篇）"), interpretations.filter(form=InterpretationPage.Form.TEXT).count()
        ),
        Row(_("发布解读"), _("其中：图解（篇）"), interpretations.filter(form=InterpretationPage.Form.GRAPHIC).count()),
        Row(_("发布解读"), _("其中：问答（篇）"), interpretations.filter(form=InterpretationPage.Form.QA).count()),
    ]
    responses = articles.filter(
        pk__in=[
            page.pk
            for column in ColumnPage.objects.live().descendant_of(root).filter(kind=ColumnPage.Kind.RESPONSE)
            for page in ArticlePage.objects.child_of(column)
        ]
    )
    rows.append(Row(_("发布解读"), _("回应公众关注热点（次）"), responses.count()))
    topics = TopicPage.objects.live().descendant_of(root)
    rows += [
        Row(_("专栏专题"), _("维护数量（个）"), topics.count()),
        Row(_("专栏专题"), _("新开设数量（个）"), _published_in(topics, year).count()),
    ]
    start, end = _year_range(year)
    letters = figures(Letter.objects.all(), Period(f"{year}年", start, end))
    rows += [
        Row(_("互动交流"), _("领导信箱收到留言数量（条）"), letters.received),
        Row(_("互动交流"), _("领导信箱办结留言数量（条）"), letters.replied),
        Row(_("互动交流"), _("平均办理时间（天）"), letters.average_days if letters.average_days is not None else "—"),
    ]
    consultations = ConsultationPage.objects.live().descendant_of(root).filter(opens_on__gte=start, opens_on__lt=end)
    comments = ConsultationComment.objects.filter(page__in=consultations)
    rows += [
        Row(_("互动交流"), _("意见征集期数（期）"), consultations.count()),
        Row(_("互动交流"), _("收到意见数量（条）"), comments.count()),
        Row(_("互动交流"), _("公布意见采纳情况期数（期）"), consultations.exclude(feedback="").count()),
    ]
    rows.append(Row(_("功能建设"), _("站内搜索"), _("提供") if _has_search() else _("未提供")))
    return rows


def _has_search():
    try:
        reverse("search")
    except NoReverseMatch:
        return False
    return True


def report_xlsx(year, rows):
    headings = [str(_("类别")), str(_("指标")), str(_("数值"))]
    return xlsx_bytes(
        str(_("%(year)s年度报表") % {"year": year}),
        headings,
        [(str(r.section), str(r.item), _plain(r.value)) for r in rows],
    )


def _plain(value):
    return value if isinstance(value, int | float) else str(value)


def report_html(year, rows):
    from django.utils.html import format_html, format_html_join

    body = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", ((r.section, r.item, r.value) for r in rows)
    )
    return format_html(
        "<p>{}</p><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table><p>{}</p>",
        _("根据政府网站年度报表格式，现将本网站%(year)s年度工作情况公布如下。") % {"year": year},
        _("类别"),
        _("指标"),
        _("数值"),
        body,
        _("网站访问量、安全检测和经费等本系统不掌握的指标由网站主管单位另行填报。"),
    )


def report_slug(year):
    return f"website-annual-report-{year}"


def report_refusal(year, column, user):
    """Why `user` may not generate the report for `year` in `column`, or None. The admin screen
    and `manage.py annual_report` ask the same question."""
    from django.utils import timezone

    if not column.live:
        return _("栏目“%(column)s”未发布，不能在其中发布年度报表。") % {"column": column.title}
    if not column.permissions_for_user(user).can_add_subpage():
        return _("您没有在栏目“%(column)s”中新建信息的权限。") % {"column": column.title}
    if year > timezone.localdate().year:
        return _("%(year)s 年还没有到，不能生成年度报表。") % {"year": year}
    if column.get_children().filter(slug=report_slug(year)).exists():
        return _("%(year)s 年度报表已经生成过，请在后台修改那一篇。") % {"year": year}
    return None


@transaction.atomic
def draft_report_article(year, column, user):
    """Create the 年度报表 article in `column` as a draft (with the .xlsx attached) and submit it
    for review; it goes live only when the last reviewer approves it."""
    from django.core.files.base import ContentFile
    from django.utils import timezone
    from wagtail.documents import get_document_model
    from wagtail.models import Collection

    from .models import ArticleAttachment, ArticlePage
    from .review import ReviewRefused, submit_for_review

    refusal = report_refusal(year, column, user)
    if refusal is not None:
        raise ReviewRefused(refusal)
    rows = annual_rows(year, column.get_site().root_page)
    site_name = column.get_site().root_page.title
    title = str(_("%(site)s%(year)s年政府网站工作年度报表") % {"site": site_name, "year": year})
    document = get_document_model()(title=title, collection=Collection.get_first_root_node())
    document.file = ContentFile(report_xlsx(year, rows), name=f"{report_slug(year)}.xlsx")
    document._set_document_file_metadata()
    document.save()
    today = timezone.localdate()
    article = ArticlePage(
        title=title,
        slug=report_slug(year),
        summary=str(_("本网站年度工作情况：信息发布、政策解读、互动交流和功能建设。")),
        body=report_html(year, rows),
        source=site_name,
        collected_on=today,
        collector=getattr(user, "display_name", "") or user.get_username(),
        issuing_body=site_name,
        written_on=today,
        topic="general",
        live=False,
    )
    article.attachments = [ArticleAttachment(document=document, title=title)]
    column.add_child(instance=article)
    submit_for_review(article, user)
    return article
