"""Wagtail pages of the portal: home page, columns (栏目), articles (信息) and service entries."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.locks import WorkflowLock
from wagtail.models import (
    AbstractGroupApprovalTask,
    Orderable,
    Page,
    PagePermissionTester,
    Site,
    TaskState,
    Workflow,
)
from wagtail.search import index

from portal.service_registry import Section, all_services, get_service, services_in
from portal.validators import validate_link

from . import publishing
from .forms import SEND_BACK_NEEDS_REASON, ArticlePageForm, SendBackForm, ServicePageForm, send_back_reason
from .topics import Topic
from .visibility import private


class RuleChosenWorkflow:
    """The review workflow is chosen by the rules in home.review (column, flags), never by
    assigning workflows to pages."""

    def get_workflow(self):
        from .review import workflow_for

        return workflow_for(self)

    @property
    def has_workflow(self):
        # Page.has_workflow looks for workflows assigned to ancestors; ours are chosen by rule.
        return self.get_workflow() is not None


class ReviewedPage(RuleChosenWorkflow):
    """A page type that goes live only through the county's review: nobody, not even a
    superuser, publishes it directly."""

    def permissions_for_user(self, user):
        return ArticlePermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.expire_at:
            # An expiry would take the item offline without the 网站总编's reason (publishing.withdraw).
            raise ValidationError({"expire_at": publishing.NO_SCHEDULED_WITHDRAWAL})

    def save_revision(self, user=None, *args, overwrite_revision=None, **kwargs):
        """Every way of saving a version ends here. A revision that a review or a publication refers
        to is never overwritten in place (autosave would); and a version saved while a review is
        under way voids that review and starts it again from the first level, with the person who
        saved it as the submitter. The admin's doors refuse such changes first (home.publishing);
        this is the rule for any door they do not know."""
        from .review import CHANGED_UNDER_REVIEW, is_on_record, restart_review, review_in_progress

        if overwrite_revision is not None and is_on_record(overwrite_revision):
            overwrite_revision = None
        revision = super().save_revision(user, *args, overwrite_revision=overwrite_revision, **kwargs)
        if review_in_progress(self) is not None:
            restart_review(self, user, CHANGED_UNDER_REVIEW)
        return revision


class HomePage(Page):
    """The county portal's front page: latest news, notices, policy and service entries."""

    headline = models.CharField(_("首页导语"), max_length=200, blank=True)
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("头图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [FieldPanel("headline"), FieldPanel("banner_image")]
    subpage_types = ["home.ColumnPage", "home.ServicePage", "home.SitemapPage", "home.SitePolicyPage"]
    max_count = 1

    class Meta:
        verbose_name = _("网站首页")

    def permissions_for_user(self, user):
        return StructurePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = ColumnPage.objects.child_of(self).live().exclude(private()).in_menu()
        context["services"] = all_services()
        context["home_blocks"] = [
            (kind, ArticlePage.latest_in_kind(self, kind, limit=8), self.first_column_of_kind(kind))
            for kind in (ColumnPage.Kind.NEWS, ColumnPage.Kind.NOTICES, ColumnPage.Kind.POLICY)
        ]
        context["featured"] = (
            ArticlePage.objects.descendant_of(self)
            .live()
            .exclude(private())
            .filter(cover_image__isnull=False)
            .order_by("-date")[:4]
        )
        return context

    def first_column_of_kind(self, kind):
        """The column a home-page block's "more" link leads to: the shallowest of that kind."""
        return (
            ColumnPage.objects.descendant_of(self)
            .live()
            .exclude(private())
            .filter(kind=kind)
            .order_by("depth", "path")
            .first()
        )


class ColumnPage(RuleChosenWorkflow, Page):
    """A column (栏目) holding articles or sub-columns."""

    class Kind(models.TextChoices):
        SECTION = "section", _("频道")
        NEWS = "news", _("动态要闻")
        NOTICES = "notices", _("通知公告")
        POLICY = "policy", _("政策文件")
        CATALOGUE = "catalogue", _("信息公开目录")
        GUIDE = "guide", _("信息公开指南")
        PERSONNEL = "personnel", _("人事任免")
        SPEECHES = "speeches", _("领导讲话")
        GENERAL = "general", _("综合信息")
        INTERPRETATION = "interpretation", _("政策解读")
        RESPONSE = "response", _("回应关切")
        LEADERS = "leaders", _("领导之窗")
        DEPARTMENTS = "departments", _("机构职能")
        TOPICS = "topics", _("专题专栏")
        CONSULTATIONS = "consultations", _("意见征集")

    kind = models.CharField(_("栏目类型"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    intro = models.TextField(_("栏目简介"), blank=True)
    is_disclosure = models.BooleanField(
        _("属于政府信息公开"),
        default=False,
        help_text=_("此栏目下的信息进入政府信息公开目录，发布时由系统生成索引号。"),
    )
    is_sensitive = models.BooleanField(
        _("敏感栏目"),
        default=False,
        help_text=_("领导讲话、人事任免、法规文件、大事记、重大决策、重要活动、重要会议等栏目。"),
    )
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
        help_text=_("部门栏目按“谁上网谁负责”由该部门维护。"),
    )
    services_section = models.CharField(
        _("在线服务分组"),
        max_length=30,
        choices=Section.choices,
        blank=True,
        help_text=_("本栏目列出该分组中已上线的在线服务（由各服务应用登记，未上线的服务不会出现）。"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("services_section"),
                FieldPanel("department"),
                FieldRowPanel([FieldPanel("is_disclosure"), FieldPanel("is_sensitive")]),
            ],
            heading=_("栏目属性"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = [
        "home.ColumnPage",
        "home.ArticlePage",
        "home.InterpretationPage",
        "home.ServicePage",
        "home.LeaderPage",
        "home.DepartmentPage",
        "home.TopicPage",
        "home.ConsultationPage",
    ]
    page_size = 20

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def permissions_for_user(self, user):
        return StructurePermissionTester(user, self)

    @cached_property
    def sub_columns(self):
        return list(ColumnPage.objects.child_of(self).live().exclude(private()))

    @property
    def is_catalogue(self):
        return self.kind == self.Kind.CATALOGUE

    def services(self):
        """The online services this column lists: those of its section, then those its own
        guide pages (ServicePage children) describe; never a service that is not registered."""
        services = services_in(self.services_section)
        keys = {service.key for service in services}
        for key in ServicePage.objects.child_of(self).live().exclude(private()).values_list("service", flat=True):
            service = get_service(key)
            if service and service.key not in keys:
                services.append(service)
                keys.add(service.key)
        return services

    def page_children(self):
        """The live leader, department, topic and consultation pages this column holds, in tree order."""
        types = (LeaderPage, DepartmentPage, TopicPage, ConsultationPage)
        pages = Page.objects.child_of(self).live().exclude(private()).type(*types).order_by("path").specific()
        return list(pages)

    def department_page(self):
        """The public page of the department responsible for this column, if it is live."""
        if self.department_id is None:
            return None
        return DepartmentPage.objects.live().exclude(private()).filter(department_id=self.department_id).first()

    def articles(self):
        """Live articles of this column and its sub-columns, newest first."""
        return ArticlePage.objects.descendant_of(self).live().exclude(private()).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .catalogue import (
            CatalogueFilterForm,
            attach_current_versions,
            attach_interpretation_counts,
            disclosed_articles,
        )
        from .navigation import section_menu, service_entries

        context = super().get_context(request, *args, **kwargs)
        if self.is_catalogue:
            scope = disclosed_articles(Site.find_for_request(request).root_page)
            searched = any(name in request.GET for name in CatalogueFilterForm.base_fields)
            form = CatalogueFilterForm(request.GET if searched else None, scope=scope)
            articles = form.filter(scope)
            context["catalogue_form"] = form
        else:
            articles = self.articles()
        paginator = Paginator(articles.select_related("cover_image").defer("body"), self.page_size)
        page = paginator.get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
        if self.is_disclosure or self.is_catalogue:
            attach_current_versions(page.object_list)
            attach_interpretation_counts(page.object_list)
            context["interpretation_total"] = InterpretationPage.objects.filter(pk__in=articles.values("pk")).count()
        context["articles"] = page
        context["children"] = self.page_children()
        context["department_page"] = self.department_page()
        context["sub_columns"] = self.sub_columns
        context["services"] = service_entries(self.services())
        context["section_menu"] = section_menu(self)
        return context


class ArticlePage(ReviewedPage, Page):
    """An article (信息) with the editorial and disclosure metadata the county rules ask for."""

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        AMENDED = "amended", _("已修订")
        REPEALED = "repealed", _("已废止")

    date = models.DateField(_("发布日期"), default=datetime.date.today)
    summary = models.TextField(_("摘要"), blank=True, max_length=500)
    body = RichTextField(_("正文"))
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("标题图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Editorial record (采编信息)
    source = models.CharField(_("信息来源"), max_length=100, blank=True)
    collected_on = models.DateField(_("采集日期"), null=True, blank=True)
    collector = models.CharField(_("采集人"), max_length=50, blank=True)
    is_excerpt = models.BooleanField(_("摘编"), default=False)
    author = models.CharField(_("作者"), max_length=50, blank=True, help_text=_("摘编信息必须填写作者。"))
    original_source = models.CharField(_("原文出处"), max_length=200, blank=True)

    # Disclosure catalogue (政府信息公开目录)
    index_no = models.CharField(_("索引号"), max_length=50, blank=True, editable=False, db_index=True)
    document_no = models.CharField(_("文号"), max_length=100, blank=True)
    issuing_body = models.CharField(_("发布机构"), max_length=100, blank=True)
    written_on = models.DateField(_("成文日期"), null=True, blank=True)
    topic = models.CharField(_("主题分类"), max_length=20, choices=Topic.choices, blank=True)
    validity = models.CharField(_("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("现行版本"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_versions",
        help_text=_("已修订或已废止的文件：选择修订后或替代它的文件，原文页面和公开目录将链接到现行版本。"),
    )

    is_sensitive = models.BooleanField(
        _("敏感信息"),
        default=False,
        help_text=_(
            "涉及省、市、县领导，重大突发事件、自然灾害、社会稳定，或属于领导讲话、人事任免、法规文件、大事记、"
            "重大决策、重要活动、重要会议的信息，须经县政府办公室和县政府领导审核。一经标记不能由编辑取消。"
        ),
    )

    tags = ClusterTaggableManager(
        verbose_name=_("标签"),
        through="home.ArticlePageTag",
        blank=True,
        help_text=_("专题专栏按标签汇集信息。"),
    )

    base_form_class = ArticlePageForm

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("附件"), label=_("附件")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("source"), FieldPanel("collected_on"), FieldPanel("collector")]),
                FieldRowPanel([FieldPanel("is_excerpt"), FieldPanel("author"), FieldPanel("original_source")]),
                FieldPanel("is_sensitive"),
                FieldPanel("tags"),
            ],
            heading=_("采编信息"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_no"), FieldPanel("issuing_body")]),
                FieldRowPanel([FieldPanel("written_on"), FieldPanel("topic"), FieldPanel("validity")]),
                FieldPanel("superseded_by"),
            ],
            heading=_("政府信息公开"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("document_no"),
        index.SearchField("issuing_body"),
        index.AutocompleteField("document_no"),
        index.FilterField("date"),
        index.FilterField("topic"),
        index.FilterField("validity"),
    ]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []
    # A copy is a new item: it gets its own index number when it is published after review.
    exclude_fields_in_copy = ["index_no"]

    class Meta:
        verbose_name = _("信息")
        verbose_name_plural = _("信息")
        permissions = [
            ("withdraw_articlepage", _("撤下已发布的信息")),
            ("view_review_audit", _("查看审核记录")),
        ]

    @cached_property
    def column(self):
        return ColumnPage.objects.filter(pk=self.get_parent().pk).first() if self.pk else None

    @property
    def is_disclosure(self):
        column = self.column
        return bool(column and column.is_disclosure)

    def clean(self):
        super().clean()
        if self.is_excerpt and not self.author.strip():
            raise ValidationError({"author": _("摘编信息必须填写作者。")})
        if self.collected_on and self.collected_on > timezone.localdate():
            raise ValidationError({"collected_on": _("采集日期不能晚于今天。")})
        self._clean_superseded_by()

    def _clean_superseded_by(self):
        if self.superseded_by_id is None:
            return
        if self.validity == self.Validity.VALID:
            raise ValidationError({"superseded_by": _("有效的文件没有现行版本；请先将有效性改为“已修订”或“已废止”。")})
        successor, seen = self.superseded_by, set()
        while successor is not None and successor.pk not in seen:
            if self.pk and successor.pk == self.pk:
                raise ValidationError({"superseded_by": _("现行版本不能是本文件，也不能是被本文件替代的文件。")})
            seen.add(successor.pk)
            successor = successor.superseded_by

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["earlier_versions"] = (
            self.superseded_versions.live().exclude(private()).defer("body").order_by("-date", "-pk")
        )
        context["interpretations"] = (
            InterpretationPage.objects.live().exclude(private()).filter(policy=self).order_by("date", "pk")
        )
        return context

    @cached_property
    def current_version(self):
        """The live article now in force in place of this one (following later revisions too),
        or None when this one is valid or no live successor is recorded."""
        from .catalogue import current_versions

        return current_versions([self]).get(self.pk)

    def with_content_json(self, content):
        """Keep the system-assigned index number and the sticky 敏感信息 mark when an older
        revision is restored (home.review.was_ever_sensitive)."""
        from .review import was_ever_sensitive

        obj = super().with_content_json(content)
        obj.index_no = self.index_no or obj.index_no
        obj.is_sensitive = obj.is_sensitive or was_ever_sensitive(self)
        return obj

    @classmethod
    def latest_in_kind(cls, home, kind, limit):
        columns = ColumnPage.objects.descendant_of(home).live().exclude(private()).filter(kind=kind)
        queryset = cls.objects.none()
        for column in columns:
            queryset = queryset | cls.objects.descendant_of(column)
        return queryset.live().exclude(private()).order_by("-date", "-pk")[:limit]


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("home.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticleAttachment(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("附件"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("附件名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.display_title

    @property
    def display_title(self):
        return self.title or self.document.title


class ServicePage(Page):
    """An editor's guide (办理说明) to one online service of the registry
    (portal.service_registry); the service's entries in columns and on the home page link to it.
    Only services whose app is installed can be chosen, and the page is not served without one."""

    service = models.CharField(
        _("在线服务"),
        max_length=100,
        help_text=_("本页介绍的在线服务。只能选择已上线的服务（由各服务应用登记）。"),
    )
    intro = models.TextField(_("服务简介"))
    body = RichTextField(_("办理说明"), blank=True)

    base_form_class = ServicePageForm

    content_panels = Page.content_panels + [FieldPanel("service"), FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("在线服务办理说明")
        verbose_name_plural = _("在线服务办理说明")

    @property
    def public_service(self):
        return get_service(self.service)

    def clean(self):
        super().clean()
        if self.service and self.public_service is None:
            raise ValidationError({"service": _("请选择一项已上线的在线服务。")})

    def serve(self, request, *args, **kwargs):
        if self.public_service is None:
            raise Http404(_("该服务未上线。"))
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from .navigation import ServiceEntry

        context = super().get_context(request, *args, **kwargs)
        service = self.public_service
        context["related_services"] = [
            ServiceEntry(other)
            for other in all_services()
            if other.key != service.key and set(other.sections) & set(service.sections)
        ]
        return context


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """Footer and identity data every government site must show (网站标识码, ICP备案…)."""

    sponsor = models.CharField(_("主办单位"), max_length=100, default=settings.PORTAL_SITE["sponsor"])
    organiser = models.CharField(_("承办单位"), max_length=100, blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, default=settings.PORTAL_SITE["site_code"])
    icp = models.CharField(_("ICP备案号"), max_length=50, default=settings.PORTAL_SITE["icp"])
    police_record = models.CharField(_("公安备案号"), max_length=50, default=settings.PORTAL_SITE["police_record"])
    org_code = models.CharField(
        _("机构代码"),
        max_length=20,
        default=settings.PORTAL_SITE["org_code"],
        help_text=_("用于生成政府信息公开索引号。"),
    )
    police_record_url = models.URLField(
        _("公安备案查询地址"),
        blank=True,
        validators=[validate_link],
        help_text=_(
            "全国互联网安全管理服务平台上本站备案信息的地址，例如 https://beian.mps.gov.cn/#/query/webSearch?code=…"
        ),
    )
    police_record_icon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("公安备案图标"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gov_mark_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("党政机关网站标识"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("中央机构编制委员会办公室核发的党政机关网站标识图片。"),
    )
    gov_mark_url = models.URLField(
        _("党政机关网站标识链接"),
        blank=True,
        validators=[validate_link],
        help_text=_("标识的验证地址（由开办单位提供）。"),
    )
    error_report_url = models.URLField(
        _("“我为政府网站找错”地址"),
        blank=True,
        validators=[validate_link],
        help_text=_("国务院办公厅政府网站找错平台上本站的地址；留空则页脚不显示该链接。"),
    )
    hotline = models.CharField(_("政务服务便民热线"), max_length=30, default="12345")
    provincial_platform_name = models.CharField(_("省级政务服务平台名称"), max_length=50, blank=True)
    provincial_platform_url = models.URLField(_("省级政务服务平台地址"), blank=True, validators=[validate_link])
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("sponsor"), FieldPanel("organiser"), FieldPanel("address"), FieldPanel("phone")],
            heading=_("主办与联系"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("site_code"),
                FieldPanel("org_code"),
                FieldPanel("icp"),
                FieldRowPanel([FieldPanel("police_record"), FieldPanel("police_record_url")]),
                FieldPanel("police_record_icon"),
                FieldRowPanel([FieldPanel("gov_mark_image"), FieldPanel("gov_mark_url")]),
                FieldPanel("error_report_url"),
            ],
            heading=_("网站标识与备案"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("hotline"),
                FieldRowPanel([FieldPanel("provincial_platform_name"), FieldPanel("provincial_platform_url")]),
            ],
            heading=_("热线与政务服务平台"),
        ),
    ]

    class Meta:
        verbose_name = _("网站信息")


# --- Editorial review (三级审核) -------------------------------------------------------


class ReviewRulesMixin:
    """The rules of home.publishing in Wagtail's permission tester, so every screen, bulk action and
    API action that asks the tester gets them, superusers included."""

    def can_delete(self, ignore_bulk=False):
        return publishing.deletion_refusal(self.page) is None and super().can_delete(ignore_bulk)

    def can_move_to(self, destination):
        # Wagtail lets superusers move anything anywhere before it asks can_move(); reordering
        # among siblings is no move.
        if not self.page.is_child_of(destination) and not self.can_move():
            return False
        return super().can_move_to(destination)


class ArticlePermissionTester(ReviewRulesMixin, PagePermissionTester):
    """Articles go live only by completing their review workflow: nobody, not even a superuser,
    publishes one directly. Only the 网站总编 withdraws (unpublishes); a published article is never
    deleted or moved, an article under review neither."""

    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False

    def can_unpublish(self):
        return self.page.live and not self.page_locked() and publishing.may_withdraw(self.user)

    def can_unschedule(self):
        return publishing.may_withdraw(self.user)

    def can_move(self):
        return publishing.move_refusal(self.page) is None and super().can_move()


class StructurePermissionTester(ReviewRulesMixin, PagePermissionTester):
    """The home page and columns. Nothing is created live inside them: copies, aliases and "create
    and publish" would put articles online without review, so publishing a subpage is refused to
    everyone. A column holding published or reviewed articles is not deleted (they are archived);
    one holding articles under review is not moved."""

    def can_publish_subpage(self):
        return False

    def can_move(self):
        # Wagtail's test for moving is its test for deleting, without the archive rule.
        return publishing.move_refusal(self.page) is None and PagePermissionTester.can_delete(self, ignore_bulk=True)


class ReviewTaskState(TaskState):
    """A task state of the county's review; its own class so that reviewers are notified by a
    background task (home.notifications) rather than by Wagtail's in-request e-mail."""

    class Meta:
        verbose_name = _("审核环节状态")
        verbose_name_plural = _("审核环节状态")


class ReviewLock(WorkflowLock):
    """The edit screen of an item under review tells everyone, reviewers included, that nobody
    changes it now (home.wagtail_hooks refuses the saves)."""

    def get_message(self, user):
        return format_html(str(UNDER_REVIEW_AT), level=self.task.name)


UNDER_REVIEW_AT = _(
    "这条信息正在“{level}”环节审核，审核期间任何人都不能修改。审核人请审核通过，或退回修改并在意见中写明要改的内容；"
    "提交人可以撤回审核后再修改。"
)


class ReviewTask(AbstractGroupApprovalTask):
    """One level of editorial review. Members of the chosen groups approve or send back, but no
    person acts at two levels of one item's review (separation of duties, see home.review); the
    level's reviewers open the edit screen to act, nobody saves changes there during review."""

    same_department = models.BooleanField(
        _("限本部门"),
        default=False,
        help_text=_("勾选后，只有与信息所属栏目同一责任部门的组成员可以审核（部门分管领导审核）。"),
    )

    admin_form_fields = AbstractGroupApprovalTask.admin_form_fields + ["same_department"]
    task_state_class = ReviewTaskState
    lock_class = ReviewLock

    class Meta:
        verbose_name = _("审核环节")
        verbose_name_plural = _("审核环节")

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员可以审核；同一人不能在同一信息的两个审核级次操作。")

    def may_review(self, obj, user):
        """Whether `user` holds this level for `obj` (group and, where required, department)."""
        from .review import department_of

        if not user.is_active or not self._user_in_groups(user):
            return False
        if self.same_department:
            department = department_of(obj)
            return department is not None and department.pk == user.department_id
        return True

    def may_act(self, obj, user):
        from .review import acted_at_another_level, stands_in

        if self.may_review(obj, user):
            return not acted_at_another_level(obj, self, user)
        return stands_in(self, obj, user)

    def user_can_access_editor(self, obj, user):
        return self.may_act(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_act(obj, user)

    def user_can_lock(self, obj, user):
        return self.may_act(obj, user)

    def get_actions(self, obj, user):
        if not self.may_act(obj, user):
            return []
        return [
            ("reject", _("退回修改"), True),
            ("approve", _("审核通过"), False),
            ("approve", _("审核通过并填写意见"), True),
        ]

    def get_form_for_action(self, action):
        return SendBackForm if action == "reject" else super().get_form_for_action(action)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not (self._user_in_groups(user) or publishing.may_withdraw(user)):
            return TaskState.objects.none()
        from .review import not_acted_at_another_level

        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
        if not self._user_in_groups(user):
            # Only standing in (home.review.stands_in): on items whose submitter holds this level.
            states = states.filter(workflow_state__requested_by__groups__in=self.groups.all())
            states = states.exclude(workflow_state__requested_by=user).distinct()
            ids = [state.pk for state in states if self.may_act(state.workflow_state.content_object, user)]
            return TaskState.objects.filter(pk__in=ids)
        states = not_acted_at_another_level(states, self, user)
        if self.same_department:
            # may_review asks for the department of each item's column.
            ids = [state.pk for state in states if self.may_review(state.workflow_state.content_object, user)]
            return TaskState.objects.filter(pk__in=ids)
        return TaskState.objects.filter(pk__in=states.values("pk"))

    def on_action(self, task_state, user, action_name, **kwargs):
        """Acts at this level and sends the reviewer to their work list (home.review.work_list_after)."""
        from django.core.exceptions import PermissionDenied

        from .review import work_list_after

        obj = task_state.workflow_state.content_object
        if not self.may_act(obj, user):
            raise PermissionDenied(_("同一人不能在同一信息的两个审核级次操作，或您不是本级审核人。"))
        if action_name == "reject" and send_back_reason(kwargs) is None:
            raise PermissionDenied(SEND_BACK_NEEDS_REASON)
        super().on_action(task_state, user, action_name, **kwargs)
        return work_list_after(task_state)


class ReviewWorkflow(models.Model):
    """Which Wagtail workflow serves each kind of review; the article's column and flags pick the kind."""

    class Kind(models.TextChoices):
        STANDARD = "standard", _("三级审核")
        SENSITIVE = "sensitive", _("敏感信息审核")
        DEPARTMENT = "department", _("部门栏目审核")
        DEPARTMENT_SENSITIVE = "department_sensitive", _("部门敏感信息审核")

    kind = models.CharField(_("审核类别"), max_length=30, choices=Kind.choices, unique=True)
    workflow = models.OneToOneField(
        Workflow, verbose_name=_("工作流"), on_delete=models.PROTECT, related_name="review_kind"
    )

    class Meta:
        verbose_name = _("审核流程类别")
        verbose_name_plural = _("审核流程类别")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.workflow}"


class PublicFile(models.Model):
    """A document or image a live page shows the public. Derived data (home.files), rebuilt for a
    page on each publication and withdrawal; serving a file asks this table."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        DOCUMENT = "document", _("文档")

    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveIntegerField(_("文件编号"))

    class Meta:
        verbose_name = _("公开文件")
        verbose_name_plural = _("公开文件")
        constraints = [models.UniqueConstraint(fields=["page", "kind", "object_id"], name="public_file_once_per_page")]
        indexes = [models.Index(fields=["kind", "object_id"], name="public_file_lookup")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}"


from .page_types import (  # noqa: E402  (page types that build on the ones above)
    ConsultationComment,
    ConsultationPage,
    DepartmentPage,
    InterpretationPage,
    InterpretationQuestion,
    LeaderPage,
    NewMediaAccount,
    SitemapPage,
    SitePolicyPage,
    TopicPage,
    TopicSelection,
)

__all__ = [
    "ArticleAttachment",
    "ConsultationComment",
    "ConsultationPage",
    "ArticlePage",
    "ArticlePageTag",
    "ColumnPage",
    "DepartmentPage",
    "HomePage",
    "InterpretationPage",
    "InterpretationQuestion",
    "LeaderPage",
    "NewMediaAccount",
    "PortalSettings",
    "PublicFile",
    "ReviewTask",
    "ReviewTaskState",
    "ReviewWorkflow",
    "ServicePage",
    "SitePolicyPage",
    "SitemapPage",
    "TopicPage",
    "TopicSelection",
]
