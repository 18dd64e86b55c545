from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.pii import mask_phone


class User(AbstractUser):
    """The portal's user from the first migration, so profiles can grow without a swap."""

    display_name = models.CharField(_("显示名称"), max_length=50, blank=True)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    # Kept in clear because codes must be texted to it; shown only masked.
    phone = models.CharField(_("手机号码"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("手机号码已验证"), default=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        """The person's real name as Chinese writes it: the display name, else family name then
        given name without a space. Wagtail shows people by this name (history, reviews, locks)."""
        return self.display_name or f"{self.last_name}{self.first_name}".strip()

    def get_short_name(self):
        """How e-mails address the person (Wagtail's 「…，您好：」): the full name, as Chinese does."""
        return self.get_full_name()

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


class Profile(models.Model):
    """Real-name information (实名信息). The ID number itself is never stored: only a keyed
    hash to match it (portal.pii.pii_hash) and its masked form to show it.

    Several accounts may claim one ID number: saying "already registered" would reveal whose ID
    numbers are registered, and refusing would let whoever claims first block the owner. Claims
    of one number are disputed until staff confirm the owner's (workflow.save_real_name)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("已登记")
        DISPUTED = "disputed", _("待核实")
        CONFIRMED = "confirmed", _("已核实")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    real_name = models.CharField(_("姓名"), max_length=50)
    id_number_hash = models.CharField(_("身份证号摘要"), max_length=64, db_index=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    status = models.CharField(_("核实状态"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("实名信息")
        verbose_name_plural = _("实名信息")
        permissions = [
            ("unlock_account", _("解除账号登录锁定")),
            ("resolve_real_name", _("核实有争议的实名登记")),
        ]

    def __str__(self):
        return self.real_name


def private_storage():
    """Files only the owner and staff may read: outside MEDIA_ROOT, no public URL."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def certificate_upload_to(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"lawyer-certificates/{instance.user_id}/{instance.user_id}-certificate.{extension}"


class LawyerProfile(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        VERIFIED = "verified", _("已认证")
        REJECTED = "rejected", _("未通过")
        REVOKED = "revoked", _("已撤销认证")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lawyer_profile")
    certificate_no = models.CharField(_("执业证号"), max_length=17)
    law_firm = models.CharField(_("所在律师事务所"), max_length=100)
    certificate_scan = models.FileField(_("执业证扫描件"), storage=private_storage, upload_to=certificate_upload_to)
    status = models.CharField(_("认证状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(_("未通过原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
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
        verbose_name = _("律师认证")
        verbose_name_plural = _("律师认证")
        ordering = ["-submitted_at"]
        permissions = [("verify_lawyer", _("审核律师身份"))]

    def __str__(self):
        return f"{self.user} · {self.law_firm}"

    @property
    def is_verified(self):
        return self.status == self.Status.VERIFIED


class LawyerVerificationEvent(models.Model):
    """Append-only history of a lawyer's verification: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("提交认证申请")
        VERIFIED = "verified", _("审核通过")
        REJECTED = "rejected", _("审核未通过")
        REVOKED = "revoked", _("撤销认证")

    lawyer = models.ForeignKey(LawyerProfile, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("律师认证记录")
        verbose_name_plural = _("律师认证记录")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"
