"""Cases as the case-management system (统一业务应用系统) sends them, and the import batches
that brought them. PostgreSQL holds the truth; the Elasticsearch documents are derived."""

import hashlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.accounts.models import private_storage


class ImportSource(models.Model):
    """A system allowed to send batches over HTTP; only a hash of its token is stored."""

    code = models.SlugField(_("代码"), max_length=50, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据来源系统")
        verbose_name_plural = _("数据来源系统")

    def __str__(self):
        return self.name

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    def set_new_token(self):
        """Give the source a fresh random token, keep only its hash, return the token once."""
        token = secrets.token_urlsafe(32)
        self.token_hash = self.hash_token(token)
        return token


class Case(models.Model):
    case_number = models.CharField(_("案件编号"), max_length=100, unique=True)
    name = models.CharField(_("案件名称"), max_length=200)
    charge = models.CharField(_("案由"), max_length=200)
    handling_office = models.CharField(_("承办部门"), max_length=100)
    accepted_on = models.DateField(_("受理日期"))
    time_limit_on = models.DateField(_("办理期限"), null=True, blank=True)
    current_stage = models.CharField(_("当前阶段"), max_length=50)
    outcome = models.CharField(_("办理结果"), max_length=500, blank=True)
    compulsory_measures = models.CharField(_("强制措施"), max_length=200, blank=True)
    is_juvenile = models.BooleanField(_("未成年人案件"), default=False)
    is_secret = models.BooleanField(_("涉及国家秘密"), default=False)
    # Digest of the record as last imported (ID numbers only as keyed hashes): an identical
    # record changes nothing, which makes re-importing a batch a no-op.
    fingerprint = models.CharField(max_length=64, editable=False)
    source = models.ForeignKey(
        ImportSource, verbose_name=_("来源"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_batch = models.ForeignKey(
        "ImportBatch", verbose_name=_("最近导入批次"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["-accepted_on", "case_number"]
        verbose_name = _("案件")
        verbose_name_plural = _("案件")

    def __str__(self):
        return f"{self.case_number} {self.name}"

    @property
    def is_restricted(self):
        """Juvenile and secret cases are never disclosed, to anyone, on the portal."""
        return self.is_juvenile or self.is_secret


class Party(models.Model):
    class Role(models.TextChoices):
        SUSPECT = "suspect", _("犯罪嫌疑人")
        DEFENDANT = "defendant", _("被告人")
        VICTIM = "victim", _("被害人")
        COMPLAINANT = "complainant", _("申诉人")
        LEGAL_REPRESENTATIVE = "legal_representative", _("法定代理人")
        RELATIVE = "relative", _("近亲属")
        WITNESS = "witness", _("证人")
        EXPERT = "expert", _("鉴定人")

    # Who may query a case with name + ID number (the rest are neither parties nor their representatives).
    QUERYING_ROLES = (
        Role.SUSPECT,
        Role.DEFENDANT,
        Role.VICTIM,
        Role.COMPLAINANT,
        Role.LEGAL_REPRESENTATIVE,
        Role.RELATIVE,
    )

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    name = models.CharField(_("姓名"), max_length=100)
    role = models.CharField(_("诉讼身份"), max_length=30, choices=Role.choices)
    id_number_hash = models.CharField(_("身份证号摘要"), max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    # Decided on import (flag from the source, or the birth date in the ID number), because
    # the ID number itself is not kept: minors are anonymised in published documents.
    is_minor = models.BooleanField(_("未成年人"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"

    @property
    def is_protected(self):
        """Published documents name this party only as surname + 某: everyone but adult
        suspects and defendants (whose names the disclosure rules allow)."""
        return self.is_minor or self.role not in (self.Role.SUSPECT, self.Role.DEFENDANT)


class CaseEvent(models.Model):
    """One procedural step (受理, 审查, 延长审查期限, 退回补充侦查, 提起公诉…) as the source names it."""

    KNOWN_KINDS = ("受理", "审查", "延长审查期限", "退回补充侦查", "提起公诉", "不起诉", "撤回", "结案")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("程序事项"), max_length=50)
    occurred_on = models.DateField(_("日期"))
    note = models.CharField(_("说明"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "occurred_on", "position"]
        verbose_name = _("程序性信息")
        verbose_name_plural = _("程序性信息")

    def __str__(self):
        return f"{self.occurred_on} {self.kind}"


class LegalDocument(models.Model):
    class Type(models.TextChoices):
        INDICTMENT = "indictment", _("起诉书")
        PROTEST = "protest", _("抗诉书")
        NON_PROSECUTION = "non_prosecution", _("不起诉决定书")
        APPEAL_REVIEW = "appeal_review", _("刑事申诉复查决定书")
        OTHER = "other", _("其他法律文书")

    class State(models.TextChoices):
        WITHHELD = "withheld", _("不公开")
        PENDING = "pending", _("待核对")
        APPROVED = "approved", _("已公开")
        RETURNED = "returned", _("已退回")

    PUBLISHABLE_TYPES = (Type.INDICTMENT, Type.PROTEST, Type.NON_PROSECUTION, Type.APPEAL_REVIEW)
    # 起诉书 and 抗诉书 only once the judgment is in force; these two at any time.
    PUBLISHABLE_ANY_TIME = (Type.NON_PROSECUTION, Type.APPEAL_REVIEW)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("文书类型"), max_length=30, choices=Type.choices)
    number = models.CharField(_("文书编号"), max_length=100, unique=True)
    issued_on = models.DateField(_("文书日期"))
    judgment_effective_on = models.DateField(_("判决生效日期"), null=True, blank=True)
    full_text = models.TextField(_("文书全文"))
    source_public_text = models.TextField(_("来源系统提供的公开版本"), blank=True)
    source_publishable = models.BooleanField(_("来源系统标记公开"), default=False)
    rule_text = models.TextField(_("规则隐名处理结果"), blank=True)
    public_text = models.TextField(_("公开版本（已隐名处理）"), blank=True)
    state = models.CharField(_("公开状态"), max_length=16, choices=State.choices, default=State.WITHHELD, db_index=True)
    reviewed_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核对人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("法律文书")
        verbose_name_plural = _("法律文书")
        permissions = [("publish_document", _("核对并公开法律文书"))]

    def __str__(self):
        return self.number

    @property
    def title(self):
        return f"{self.case.charge}{self.get_doc_type_display()}"

    @property
    def is_publishable(self):
        """The source marks it public and the rules allow its type now (for 起诉书/抗诉书:
        the judgment is in force)."""
        if not self.source_publishable or self.doc_type not in self.PUBLISHABLE_TYPES:
            return False
        return self.doc_type in self.PUBLISHABLE_ANY_TIME or self.judgment_effective_on is not None

    @property
    def is_public(self):
        return self.state == self.State.APPROVED and self.is_publishable and bool(self.public_text)

    @property
    def review_basis(self):
        """Digest of the texts staff check; an approval made against an older version is refused."""
        return hashlib.sha256(f"{self.full_text}\0{self.rule_text}".encode()).hexdigest()


class DocumentEvent(models.Model):
    """Append-only history of a document's publication: imports, staff checks, returns."""

    class Action(models.TextChoices):
        QUEUED = "queued", _("进入待核对")
        WITHHELD = "withheld", _("不予公开")
        APPROVED = "approved", _("核对通过并公开")
        RETURNED = "returned", _("退回")
        WITHDRAWN = "withdrawn", _("撤回公开")

    document = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["document", "at", "pk"]
        verbose_name = _("文书公开记录")
        verbose_name_plural = _("文书公开记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class ImportBatch(models.Model):
    # A log, not content: nothing links to a batch, so Wagtail need not track its references.
    wagtail_reference_index_ignore = True

    class Channel(models.TextChoices):
        COMMAND = "command", _("命令行")
        HTTP = "http", _("接口")

    source = models.ForeignKey(
        ImportSource, verbose_name=_("来源"), null=True, blank=True, on_delete=models.SET_NULL, related_name="batches"
    )
    channel = models.CharField(_("方式"), max_length=10, choices=Channel.choices)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    total_lines = models.PositiveIntegerField(_("记录行数"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    rejected_count = models.PositiveIntegerField(_("拒收"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")

    def __str__(self):
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class RejectedLine(models.Model):
    """A line of a batch that was not applied, and why (in the words shown to staff)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rejections")
    line_number = models.PositiveIntegerField(_("行号"))
    case_number = models.CharField(_("案件编号"), max_length=100, blank=True)
    reason = models.CharField(_("原因"), max_length=500)

    class Meta:
        ordering = ["batch", "line_number"]
        verbose_name = _("拒收记录")
        verbose_name_plural = _("拒收记录")

    def __str__(self):
        return f"{self.line_number}: {self.reason}"


def binding_letter_upload_to(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"case-bindings/{instance.lawyer_id}/{secrets.token_hex(8)}.{extension}"


class LawyerBinding(models.Model):
    """A lawyer's request to follow a case (案件绑定), reviewed by case-management staff."""

    class Role(models.TextChoices):
        DEFENDER = "defender", _("辩护人")
        AGENT = "agent", _("诉讼代理人")

    class LetterKind(models.TextChoices):
        ENGAGEMENT = "engagement", _("委托书")
        LEGAL_AID = "legal_aid", _("法律援助公函")

    class State(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")
        REVOKED = "revoked", _("已撤销")

    lawyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("律师"), on_delete=models.CASCADE, related_name="case_bindings"
    )
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="bindings")
    role = models.CharField(_("诉讼身份"), max_length=20, choices=Role.choices)
    letter_kind = models.CharField(_("授权文书类型"), max_length=20, choices=LetterKind.choices)
    letter = models.FileField(_("委托书或法律援助公函"), storage=private_storage, upload_to=binding_letter_upload_to)
    firm_letter = models.FileField(_("律师事务所函"), storage=private_storage, upload_to=binding_letter_upload_to)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    rejection_reason = models.TextField(_("未通过原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("律师案件绑定")
        verbose_name_plural = _("律师案件绑定")
        permissions = [("review_binding", _("审核律师案件绑定"))]

    def __str__(self):
        return f"{self.case.case_number} · {self.get_role_display()}"


class BindingEvent(models.Model):
    """Append-only history of a binding: who did what, when, and why."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("提交绑定申请")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("审核未通过")
        REVOKED = "revoked", _("撤销绑定")

    binding = models.ForeignKey(LawyerBinding, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["binding", "at", "pk"]
        verbose_name = _("绑定记录")
        verbose_name_plural = _("绑定记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class StageTimeLimit(models.Model):
    """The time limit (审查期限) of one procedural stage, set by case-management staff.

    Used for the staff monitoring list when the source sends no time limit of its own; how a
    deadline is computed from these figures is described in `services/cases/monitoring.py`."""

    stage = models.CharField(
        _("阶段名称"),
        max_length=50,
        unique=True,
        help_text=_("与案件管理系统发送的“当前阶段”完全一致，例如：审查起诉。"),
    )
    limit_months = models.PositiveSmallIntegerField(
        _("期限（月）"), default=0, validators=[MaxValueValidator(24)], help_text=_("按自然月计算的部分。")
    )
    limit_days = models.PositiveSmallIntegerField(
        _("期限（日）"), default=0, validators=[MaxValueValidator(730)], help_text=_("按自然日计算的部分。")
    )
    extension_days = models.PositiveSmallIntegerField(
        _("每次延长（日）"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("本阶段每有一次“延长审查期限”，期限顺延的日数；不得延长的阶段填0。"),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("提前预警（日）"),
        default=3,
        validators=[MaxValueValidator(90)],
        help_text=_("距期限届满不超过该日数时列入期限监测。"),
    )
    restart_events = models.CharField(
        _("重新起算事项"),
        max_length=200,
        blank=True,
        help_text=_("使本阶段期限重新起算的程序事项，多个用顿号分隔，例如：重新移送审查起诉。没有时自受理日期起算。"),
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        ordering = ["stage"]
        verbose_name = _("阶段期限设置")
        verbose_name_plural = _("阶段期限设置")
        permissions = [("monitor_time_limits", _("查看案件期限监测"))]

    def __str__(self):
        return self.stage

    def clean(self):
        if not (self.limit_months or self.limit_days):
            raise ValidationError(_("请填写期限：月数和日数不能都为0。"))

    @property
    def restart_kinds(self):
        """The event kinds in `restart_events`, whatever separators staff typed."""
        return [kind for kind in re.split(r"[、,，;；\s]+", self.restart_events) if kind]
