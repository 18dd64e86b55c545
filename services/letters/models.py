"""领导信箱: mailboxes, letters, their routing to departments, events, and public versions.

State changes are made only by the functions in `workflow.py`; every change appends a
`LetterEvent`. The original letter is never altered by publication or moderation.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


class Mailbox(models.Model):
    """县长信箱 or a department's mailbox, managed by named officials."""

    name = models.CharField(_("信箱名称"), max_length=50, unique=True)
    slug = models.SlugField(_("代码"), max_length=30, unique=True)
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="mailboxes"
    )
    description = models.CharField(_("简介"), max_length=200, blank=True)
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("信箱管理员"), blank=True, related_name="managed_mailboxes"
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    # 举报 are never handled by the body they accuse (workflow.mailbox_for_report).
    is_report_mailbox = models.BooleanField(
        _("独立受理举报"),
        default=False,
        help_text=_(
            "举报某信箱主管部门的来信不由该信箱办理，自动转入本信箱（如纪检监察信箱）。只能指定一个信箱；"
            "未指定时转入排序最前的其他部门信箱。"
        ),
    )

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("信箱")
        verbose_name_plural = _("信箱")
        constraints = [
            models.UniqueConstraint(
                fields=["is_report_mailbox"],
                condition=models.Q(is_report_mailbox=True),
                name="letters_one_report_mailbox",
                violation_error_message=_("只能指定一个独立受理举报的信箱。"),
            )
        ]

    def __str__(self):
        return self.name


class LetterType(models.TextChoices):
    CONSULT = "consult", _("咨询")
    SUGGEST = "suggest", _("建议")
    COMPLAINT = "complaint", _("投诉")
    HELP = "help", _("求助")
    REPORT = "report", _("举报")
    OTHER = "other", _("其他")


class Topic(models.TextChoices):
    EDUCATION = "education", _("教育")
    SOCIAL = "social", _("民政与社会保障")
    HEALTH = "health", _("医疗卫生")
    HOUSING = "housing", _("住房与城乡建设")
    TRANSPORT = "transport", _("交通出行")
    ENVIRONMENT = "environment", _("生态环境")
    AGRICULTURE = "agriculture", _("农业农村")
    MARKET = "market", _("市场监管")
    SAFETY = "safety", _("公共安全")
    GOVERNMENT = "government", _("政务服务")
    OTHER = "other", _("其他")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACCEPTED = "accepted", _("已受理")
    DECLINED = "declined", _("不予受理")
    REPEAT = "repeat", _("重复来信")
    ROUTED = "routed", _("办理中")
    DRAFTED = "drafted", _("答复待审核")
    REPLIED = "replied", _("已答复")
    REOPENED = "reopened", _("重办中")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.ROUTED, Status.DRAFTED, Status.REOPENED)
ANSWERED_STATUSES = (Status.REPLIED, Status.CLOSED)


class Channel(models.TextChoices):
    WEB = "web", _("网上来信")
    POST = "post", _("来信（邮寄）")
    PHONE = "phone", _("来电")
    VISIT = "visit", _("来访")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Letter(models.Model):
    tracking_no = models.CharField(_("信件编号"), max_length=20, unique=True)
    query_password = models.CharField(_("查询密码（哈希）"), max_length=128)
    mailbox = models.ForeignKey(Mailbox, verbose_name=_("信箱"), on_delete=models.PROTECT, related_name="letters")
    letter_type = models.CharField(_("信件类型"), max_length=20, choices=LetterType.choices)
    topic = models.CharField(_("主题分类"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    # The writer; staff see only what permissions.writer_for allows, never the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("写信用户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    is_anonymous = models.BooleanField(_("匿名来信"), default=False)
    writer_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True)
    consent_publish = models.BooleanField(_("同意公开"), default=False)
    accused_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("被举报单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    channel = models.CharField(_("来信渠道"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("来信时间"))
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    # What `due_on` was counted from: the `due_workdays`-th working day after `due_from`. Kept
    # so the deadline is counted again when the holiday calendar changes (deadlines.py).
    due_from = models.DateField(_("期限起算日"), null=True, blank=True)
    due_workdays = models.PositiveSmallIntegerField(_("期限工作日数"), null=True, blank=True)
    replied_on = models.DateField(_("答复日期"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    reply_department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("答复单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decline_reason = models.TextField(_("不予受理理由"), blank=True)
    repeat_of = models.ForeignKey(
        "self", verbose_name=_("原信件"), null=True, blank=True, on_delete=models.SET_NULL, related_name="repeats"
    )
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_state = models.CharField(
        _("延期"),
        max_length=10,
        blank=True,
        choices=[("requested", _("延期待批准")), ("approved", _("已延期")), ("rejected", _("延期未批准"))],
    )
    rating = models.CharField(_("评价"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Search index bookkeeping: `version` grows with every change, the indexer records the
    # version it wrote; a letter is pending while they differ (see search.py).
    version = models.PositiveIntegerField(default=1)
    indexed_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("信件")
        verbose_name_plural = _("信件")
        indexes = [
            models.Index(fields=["status", "due_on"]),
            # The monthly figures on the public list and the statistics pages count by these dates.
            models.Index(fields=["submitted_at"], name="letters_submitted_at"),
            models.Index(fields=["replied_on"], name="letters_replied_on"),
            models.Index(fields=["rated_at"], name="letters_rated_at"),
        ]
        permissions = [
            ("view_all_letters", _("查看全部信件（督办）")),
            ("handle_letter", _("办理转办到本部门的来信（承办部门）")),
        ]

    def __str__(self):
        return f"{self.tracking_no} {self.title}"

    @property
    def is_report(self):
        return self.letter_type == LetterType.REPORT

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES


class Assignment(models.Model):
    """One handling department's part in a letter (转办), with its draft reply."""

    class State(models.TextChoices):
        HANDLING = "handling", _("办理中")
        DRAFTED = "drafted", _("已拟复待审核")
        RETURNED = "returned", _("退回重办")
        APPROVED = "approved", _("答复已审核")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey("portal.Department", verbose_name=_("承办部门"), on_delete=models.PROTECT)
    instructions = models.TextField(_("转办意见"), blank=True)
    due_on = models.DateField(_("办理期限"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.HANDLING)
    # False once the letter has been routed again (re-handling); kept for the history.
    current = models.BooleanField(default=True)
    draft = models.TextField(_("拟答复内容"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")

    def __str__(self):
        return f"{self.letter.tracking_no} → {self.department}"


class LetterEvent(models.Model):
    """Append-only history of a letter: who did what, when, with which comment.

    The writer's own steps name no actor: screens show them as 来信人, so that a timeline
    never tells staff who wrote an anonymous letter or a 举报."""

    WRITER_ACTIONS = ("submitted", "rated", "reopened")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=30)
    label = models.CharField(_("操作名称"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("部门"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("信件记录")
        verbose_name_plural = _("信件记录")

    def __str__(self):
        return f"{self.letter.tracking_no} {self.label}"

    @property
    def by_writer(self):
        return self.action in self.WRITER_ACTIONS


class Supervision(models.Model):
    """督办单: a supervisor's written order to a handling department about one letter."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="supervisions")
    department = models.ForeignKey("portal.Department", verbose_name=_("督办部门"), on_delete=models.PROTECT)
    content = models.TextField(_("督办意见"))
    due_on = models.DateField(_("督办期限"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("督办回复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")

    def __str__(self):
        return f"{self.letter.tracking_no} 督办 {self.department}"


def private_storage():
    """Letter attachments never sit under MEDIA_ROOT, which the web server publishes; they
    are read only through the desk's permission-checked download view."""
    return FileSystemStorage(location=settings.LETTERS_PRIVATE_ROOT)


def attachment_path(instance, filename):
    return f"letters/{instance.letter.submitted_at:%Y/%m}/{instance.letter.tracking_no}/{filename}"


class Attachment(models.Model):
    """A file the writer sent with the letter, or, with `assignment`, one a handling department
    added to its reply (a scanned 答复意见书): the latter goes through the reply's approval and
    reaches the writer with the reply, never the public letters pages."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("所属答复"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_attachments",
    )
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name


class PublicVersion(models.Model):
    """The de-identified, official-approved copy of a letter shown on the public site."""

    class State(models.TextChoices):
        DRAFT = "draft", _("待审核")
        PUBLISHED = "published", _("已公开")
        HIDDEN = "hidden", _("已屏蔽")

    letter = models.OneToOneField(Letter, on_delete=models.CASCADE, related_name="public_version")
    title = models.CharField(_("公开标题"), max_length=100)
    content = models.TextField(_("公开内容"))
    reply = models.TextField(_("公开答复"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("公开信件")
        verbose_name_plural = _("公开信件")

    def __str__(self):
        return self.title


class ModerationReport(models.Model):
    """Record of illegal content hidden at once, for the 24-hour report."""

    public_version = models.ForeignKey(PublicVersion, on_delete=models.CASCADE, related_name="reports")
    reason = models.TextField(_("屏蔽原因"))
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT, related_name="+"
    )
    hidden_at = models.DateTimeField(_("屏蔽时间"), auto_now_add=True)
    report_due_at = models.DateTimeField(_("报告期限"))
    reported_at = models.DateTimeField(_("报告时间"), null=True, blank=True)

    class Meta:
        ordering = ["-hidden_at"]
        verbose_name = _("违法信息处置记录")
        verbose_name_plural = _("违法信息处置记录")

    def __str__(self):
        return f"{self.public_version} {self.hidden_at:%Y-%m-%d %H:%M}"


class GroupAlert(models.Model):
    """群体性诉求预警: many similar letters in a short time."""

    title = models.CharField(_("预警事项"), max_length=100)
    letters = models.ManyToManyField(Letter, related_name="group_alerts")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(_("已处置"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("群体性诉求预警")
        verbose_name_plural = _("群体性诉求预警")

    def __str__(self):
        return self.title
