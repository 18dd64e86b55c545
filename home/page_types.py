"""Page types a county portal carries beside columns and articles (政府网站发展指引):
政策解读, 领导之窗, 机构职能, 专题专栏, 网站地图, 网站声明 and 隐私政策, and the 政务新媒体
accounts of the footer. Every page type here goes live only through the county's review."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, Site
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal.validators import validate_link

from .forms import InterpretationPageForm
from .models import ArticlePage, ReviewedPage, ServicePage
from .visibility import private

# --- 政策解读 -------------------------------------------------------------------------------


class InterpretationPage(ArticlePage):
    """A 政策解读: an article that explains one policy document. The policy page lists its live
    解读 and each 解读 links back to its 原文; 图解 carry the picture, 问答 their questions."""

    class Form(models.TextChoices):
        TEXT = "text", _("文字解读")
        GRAPHIC = "graphic", _("图解")
        QA = "qa", _("问答")

    policy = models.ForeignKey(
        ArticlePage,
        verbose_name=_("解读的文件（原文）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        help_text=_("本解读所解读的政策文件；文件发布后解读页显示“原文”链接，文件页显示本解读。"),
    )
    form = models.CharField(_("解读形式"), max_length=10, choices=Form.choices, default=Form.TEXT)
    graphic = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("图解图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("图解形式必须上传；请在“图解文字说明”中写出图中全部文字，供读屏软件朗读。"),
    )
    graphic_text = models.TextField(_("图解文字说明"), blank=True)

    base_form_class = InterpretationPageForm

    content_panels = ArticlePage.content_panels[:1] + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("policy"), FieldPanel("form")]),
                FieldPanel("graphic"),
                FieldPanel("graphic_text"),
                InlinePanel("questions", heading=_("问答"), label=_("问题")),
            ],
            heading=_("解读"),
        ),
        *ArticlePage.content_panels[1:],
    ]
    search_fields = ArticlePage.search_fields + [index.SearchField("graphic_text")]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")

    def clean(self):
        super().clean()
        if self.policy_id is None:
            return
        if self.pk and self.policy_id == self.pk:
            raise ValidationError({"policy": _("解读不能解读它自己。")})
        if InterpretationPage.objects.filter(pk=self.policy_id).exists():
            raise ValidationError({"policy": _("请选择政策文件本身，而不是另一篇解读。")})

    @property
    def live_policy(self):
        """The 原文, only once it is live (never a link to a draft)."""
        policy = self.policy
        return policy if policy is not None and policy.live else None


class InterpretationQuestion(Orderable):
    page = ParentalKey(InterpretationPage, on_delete=models.CASCADE, related_name="questions")
    question = models.CharField(_("问"), max_length=300)
    answer = models.TextField(_("答"))

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("问答")
        verbose_name_plural = _("问答")

    def __str__(self):
        return self.question


# --- 领导之窗 and 机构职能 -------------------------------------------------------------------


class LeaderPage(ReviewedPage, Page):
    """One county leader in 领导之窗: the page title is the leader's name."""

    position = models.CharField(_("职务"), max_length=100)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duties = RichTextField(_("工作分工"))
    biography = RichTextField(_("简历"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("position"),
        FieldPanel("photo"),
        FieldPanel("duties"),
        FieldPanel("biography"),
    ]
    search_fields = Page.search_fields + [index.SearchField("position"), index.SearchField("duties")]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("领导信息")
        verbose_name_plural = _("领导信息")


class DepartmentPage(ReviewedPage, Page):
    """The public page of one department (机构职能). It belongs to the `portal.Department` record
    the services use, so a column, a letter's reply or a service names the department and
    links to this one page."""

    department = models.OneToOneField(
        "portal.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="page",
        help_text=_("栏目、信件和在线服务所用的同一部门记录。"),
    )
    head = models.CharField(_("主要负责人"), max_length=100, blank=True)
    functions = RichTextField(_("主要职能"))
    units = RichTextField(_("内设机构"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200)
    hours = models.CharField(_("办公时间"), max_length=100)
    phone = models.CharField(_("联系电话"), max_length=30)

    content_panels = Page.content_panels + [
        FieldPanel("department"),
        FieldPanel("head"),
        FieldPanel("functions"),
        FieldPanel("units"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldRowPanel([FieldPanel("hours"), FieldPanel("phone")])],
            heading=_("办公信息"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("functions"), index.SearchField("units")]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("部门信息")
        verbose_name_plural = _("部门信息")

    def get_context(self, request, *args, **kwargs):
        from .models import ColumnPage

        context = super().get_context(request, *args, **kwargs)
        columns = ColumnPage.objects.live().exclude(private()).filter(department_id=self.department_id)
        context["columns"] = columns.order_by("path")
        return context


def department_pages(departments):
    """{department pk: its live DepartmentPage} for the given departments, in one query."""
    ids = {getattr(department, "pk", department) for department in departments if department}
    if not ids:
        return {}
    return {
        page.department_id: page
        for page in DepartmentPage.objects.live().exclude(private()).filter(department_id__in=ids)
    }


# --- 专题专栏 -------------------------------------------------------------------------------


class TopicPage(ReviewedPage, Page):
    """A topic section (专题专栏): the live articles tagged with its tag, and those editors pick
    one by one, newest first."""

    intro = models.TextField(_("专题简介"))
    banner = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("专题头图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tag = models.CharField(
        _("汇集标签"), max_length=100, blank=True, help_text=_("带有此标签的已发布信息自动列入本专题。")
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("banner"),
        FieldPanel("tag"),
        InlinePanel("selections", heading=_("选入的信息"), label=_("信息")),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []
    page_size = 20

    class Meta:
        verbose_name = _("专题")
        verbose_name_plural = _("专题")

    def articles(self):
        condition = models.Q(pk__in=self.selections.values("article_id"))
        if self.tag.strip():
            condition |= models.Q(tags__name=self.tag.strip())
        return ArticlePage.objects.live().exclude(private()).filter(condition).distinct().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        context["articles"] = Paginator(self.articles().defer("body"), self.page_size).get_page(request.GET.get("page"))
        return context


class TopicSelection(Orderable):
    page = ParentalKey(TopicPage, on_delete=models.CASCADE, related_name="selections")
    article = models.ForeignKey(ArticlePage, verbose_name=_("信息"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("选入的信息")
        verbose_name_plural = _("选入的信息")


# --- 网站地图, 网站声明, 隐私政策 -------------------------------------------------------------


class SitemapPage(ReviewedPage, Page):
    """网站地图: every live, public page of the site, as the page tree holds it."""

    intro = models.TextField(_("说明"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("网站地图")
        verbose_name_plural = _("网站地图")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tree"] = sitemap_tree(Site.find_for_request(request).root_page)
        return context


class SitemapNode:
    def __init__(self, page):
        self.page = page
        self.children = []


def sitemap_tree(root):
    """The live pages below `root` that a visitor can open: no draft, no page under a draft, no
    page behind a view restriction, no guide to a service that is not installed."""
    pages = Page.objects.live().exclude(private()).descendant_of(root).order_by("path").specific(defer=True)
    nodes = {root.path: SitemapNode(root)}
    for page in pages:
        parent = nodes.get(page.path[: -Page.steplen])
        if parent is None:
            continue  # under a draft or restricted page: not reachable
        if isinstance(page, ServicePage) and page.public_service is None:
            continue
        node = SitemapNode(page)
        nodes[page.path] = node
        parent.children.append(node)
    return nodes[root.path].children


class SitePolicyPage(ReviewedPage, Page):
    """网站声明 or 隐私政策. Every form that collects personal data links to the live ones."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("网站声明")
        PRIVACY = "privacy", _("隐私政策")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("生效日期"))
    body = RichTextField(_("正文"))

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("effective_on"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("网站声明与隐私政策")
        verbose_name_plural = _("网站声明与隐私政策")

    def clean(self):
        super().clean()
        others = SitePolicyPage.objects.filter(kind=self.kind).exclude(pk=self.pk)
        if self.kind and others.exists():
            message = _("本站已有一个“%(kind)s”页面，请修改那一页。") % {"kind": self.get_kind_display()}
            raise ValidationError({"kind": message})


def identity_pages(root):
    """The live 网站声明, 隐私政策 and 网站地图 of the site whose home page is `root`, keyed
    "statement", "privacy" and "sitemap" (missing keys: no such live page, so no link)."""
    pages = {page.kind: page for page in SitePolicyPage.objects.live().exclude(private()).child_of(root)}
    sitemap = SitemapPage.objects.live().exclude(private()).child_of(root).first()
    if sitemap is not None:
        pages["sitemap"] = sitemap
    return pages


# --- 政务新媒体 -----------------------------------------------------------------------------


@register_snippet
class NewMediaAccount(models.Model):
    """A 政务新媒体 account shown in the footer with its QR code."""

    class Platform(models.TextChoices):
        WECHAT = "wechat", _("微信公众号")
        WEIBO = "weibo", _("政务微博")
        DOUYIN = "douyin", _("抖音号")
        TOUTIAO = "toutiao", _("头条号")
        APP = "app", _("政务客户端")

    platform = models.CharField(_("平台"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("账号名称"), max_length=100)
    qr_code = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("二维码图片"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.URLField(_("账号主页地址"), blank=True, validators=[validate_link])
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    panels = [
        FieldRowPanel([FieldPanel("platform"), FieldPanel("name")]),
        FieldPanel("qr_code"),
        FieldPanel("url"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("政务新媒体")
        verbose_name_plural = _("政务新媒体")

    def __str__(self):
        return f"{self.get_platform_display()}：{self.name}"


# --- 意见征集 -------------------------------------------------------------------------------


def thirty_days_from_today():
    return timezone.localdate() + datetime.timedelta(days=ConsultationPage.MIN_DAYS_NORMATIVE)


class ConsultationPage(ReviewedPage, Page):
    """意见征集 on a draft policy: the draft, the period, comments by signed-in citizens shown after
    moderation (home.consultations), and the 采纳情况 report staff publish through review at the end.
    Closed consultations stay readable."""

    MIN_DAYS_NORMATIVE = 30

    draft = RichTextField(_("征求意见稿"))
    is_normative = models.BooleanField(
        _("行政规范性文件"), default=True, help_text=_("行政规范性文件的征求意见期一般不少于30日。")
    )
    opens_on = models.DateField(_("征集开始日期"), default=timezone.localdate)
    closes_on = models.DateField(_("征集截止日期"), default=thirty_days_from_today)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    feedback = RichTextField(_("意见采纳情况"), blank=True, help_text=_("征集结束后填写并提交审核，发布后向社会公开。"))

    content_panels = Page.content_panels + [
        FieldPanel("draft"),
        MultiFieldPanel(
            [FieldPanel("is_normative"), FieldRowPanel([FieldPanel("opens_on"), FieldPanel("closes_on")])],
            heading=_("征集期"),
        ),
        FieldPanel("contact"),
        FieldPanel("feedback"),
    ]
    search_fields = Page.search_fields + [index.SearchField("draft"), index.SearchField("feedback")]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on:
            if self.closes_on < self.opens_on:
                raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
            days = (self.closes_on - self.opens_on).days
            if self.is_normative and days < self.MIN_DAYS_NORMATIVE:
                message = _("行政规范性文件的征求意见期不少于%(days)s日（现为%(actual)s日）。")
                raise ValidationError({"closes_on": message % {"days": self.MIN_DAYS_NORMATIVE, "actual": days}})

    @property
    def is_open(self):
        return self.opens_on <= timezone.localdate() <= self.closes_on

    @property
    def has_closed(self):
        return timezone.localdate() > self.closes_on

    def serve(self, request, *args, **kwargs):
        from .consultations import comment_view

        if request.method == "POST":
            return comment_view(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .consultations import CommentForm

        context = super().get_context(request, *args, **kwargs)
        context["comments"] = self.comments.filter(status=ConsultationComment.Status.APPROVED).select_related("author")
        context["comment_count"] = self.comments.count()
        if self.is_open and request.user.is_authenticated:
            context.setdefault("form", CommentForm())
        return context


class ConsultationComment(models.Model):
    """A citizen's comment; shown publicly (author masked) only once staff approve it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已公开")
        REJECTED = "rejected", _("不予公开")

    page = models.ForeignKey(ConsultationPage, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="consultation_comments",
    )
    body = models.TextField(_("意见内容"), max_length=2000)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("不予公开的理由"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("征集意见")
        verbose_name_plural = _("征集意见")
        permissions = [("moderate_consultationcomment", _("审核和导出征集意见"))]

    def __str__(self):
        return f"{self.page.title}：{self.body[:20]}"

    @property
    def author_display(self):
        from portal.pii import mask_name

        name = getattr(self.author, "display_name", "") or ""
        return mask_name(name) or _("网友")
