"""Wagtail pages of the portal: home page, columns (栏目), articles (信息) and service entries."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.locks import WorkflowLock
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, PagePermissionTester, TaskState, Workflow
from wagtail.search import index

from portal.validators import validate_link

from . import publishing
from .forms import ArticlePageForm
from .topics import Topic


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
    subpage_types = ["home.ColumnPage", "home.ServicePage"]
    max_count = 1

    class Meta:
        verbose_name = _("网站首页")

    def permissions_for_user(self, user):
        return StructurePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = ColumnPage.objects.child_of(self).live().in_menu()
        context["services"] = ServicePage.objects.descendant_of(self).live()
        context["home_blocks"] = [
            (kind, ArticlePage.latest_in_kind(self, kind, limit=8), self.first_column_of_kind(kind))
            for kind in (ColumnPage.Kind.NEWS, ColumnPage.Kind.NOTICES, ColumnPage.Kind.POLICY)
        ]
        context["featured"] = (
            ArticlePage.objects.descendant_of(self).live().filter(cover_image__isnull=False).order_by("-date")[:4]
        )
        return context

    def first_column_of_kind(self, kind):
        """The column a home-page block's "more" link leads to: the shallowest of that kind."""
        return ColumnPage.objects.descendant_of(self).live().filter(kind=kind).order_by("depth", "path").first()


class ColumnPage(Page):
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

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("department"),
                FieldRowPanel([FieldPanel("is_disclosure"), FieldPanel("is_sensitive")]),
            ],
            heading=_("栏目属性"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = ["home.ColumnPage", "home.ArticlePage", "home.ServicePage"]
    page_size = 20

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    def permissions_for_user(self, user):
        return StructurePermissionTester(user, self)

    def get_workflow(self):
        """The review workflow a new article of this column goes through (shown on the create screen)."""
        from .review import workflow_for

        return workflow_for(self)

    @property
    def has_workflow(self):
        # Page.has_workflow looks for workflows assigned to ancestors; ours are chosen by rule.
        return self.get_workflow() is not None

    @cached_property
    def sub_columns(self):
        return ColumnPage.objects.child_of(self).live()

    def articles(self):
        """Live articles of this column and its sub-columns, newest first."""
        return ArticlePage.objects.descendant_of(self).live().order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(self.articles().select_related("cover_image"), self.page_size)
        context["articles"] = paginator.get_page(request.GET.get("page"))
        context["sub_columns"] = self.sub_columns
        return context


class ArticlePage(Page):
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

    is_sensitive = models.BooleanField(
        _("敏感信息"),
        default=False,
        help_text=_(
            "涉及省、市、县领导，重大突发事件、自然灾害、社会稳定，或属于领导讲话、人事任免、法规文件、大事记、"
            "重大决策、重要活动、重要会议的信息，须经县政府办公室和县政府领导审核。一经标记不能由编辑取消。"
        ),
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
            ],
            heading=_("采编信息"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("document_no"), FieldPanel("issuing_body")]),
                FieldRowPanel([FieldPanel("written_on"), FieldPanel("topic"), FieldPanel("validity")]),
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

    def permissions_for_user(self, user):
        return ArticlePermissionTester(user, self)

    def get_workflow(self):
        """The review workflow is chosen by the rules in home.review, never by page assignment."""
        from .review import workflow_for

        return workflow_for(self)

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

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

    def with_content_json(self, content):
        """Keep the system-assigned index number and the sticky 敏感信息 mark when an older
        revision is restored (home.review.was_ever_sensitive)."""
        from .review import was_ever_sensitive

        obj = super().with_content_json(content)
        obj.index_no = self.index_no or obj.index_no
        obj.is_sensitive = obj.is_sensitive or was_ever_sensitive(self)
        return obj

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

    @classmethod
    def latest_in_kind(cls, home, kind, limit):
        columns = ColumnPage.objects.descendant_of(home).live().filter(kind=kind)
        queryset = cls.objects.none()
        for column in columns:
            queryset = queryset | cls.objects.descendant_of(column)
        return queryset.live().order_by("-date", "-pk")[:limit]


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
    """Entry to an online service (领导信箱, 在线预约…); links to the service once it is live."""

    intro = models.TextField(_("服务简介"))
    body = RichTextField(_("办理说明"), blank=True)
    service_url = models.CharField(
        _("服务地址"),
        max_length=200,
        blank=True,
        validators=[validate_link],
        help_text=_("服务上线后填写站内地址，例如 /letters/；为空时显示“即将上线”。"),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("service_url")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["home.HomePage", "home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("在线服务入口")
        verbose_name_plural = _("在线服务入口")


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
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

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
        from .review import acted_at_another_level

        return self.may_review(obj, user) and not acted_at_another_level(obj, self, user)

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

    def get_task_states_user_can_moderate(self, user, **kwargs):
        if not self._user_in_groups(user):
            return TaskState.objects.none()
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("workflow_state")
        ids = [state.pk for state in states if self.may_act(state.workflow_state.content_object, user)]
        return TaskState.objects.filter(pk__in=ids)

    def on_action(self, task_state, user, action_name, **kwargs):
        from django.core.exceptions import PermissionDenied

        obj = task_state.workflow_state.content_object
        if not self.may_act(obj, user):
            raise PermissionDenied(_("同一人不能在同一信息的两个审核级次操作，或您不是本级审核人。"))
        return super().on_action(task_state, user, action_name, **kwargs)


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
