"""Cross-cutting data every app uses: departments, gap-free numbering sequences and the
holiday notices of the working-day calendar."""

from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import DraftStateMixin, Orderable, PreviewableMixin, RevisionMixin

from .validators import validate_link


class Department(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("县政府及办公室")
        BUREAU = "bureau", _("县政府部门")
        TOWNSHIP = "township", _("乡镇（街道）")
        OTHER = "other", _("其他单位")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=30, blank=True)
    code = models.SlugField(_("代码"), max_length=30, unique=True, allow_unicode=False)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.BUREAU)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name


class Sequence(models.Model):
    """A named counter; `next_in_sequence` hands out each value exactly once."""

    name = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self):
        return f"{self.name}={self.value}"


def next_in_sequence(name):
    """Return the next value of the named sequence, safe under concurrent transactions.

    The row lock serialises writers in PostgreSQL; a sequence is created on first use.
    """
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        sequence = Sequence.objects.select_for_update().get(name=name)
        sequence.value += 1
        sequence.save(update_fields=["value"])
        return sequence.value


def reserve_in_sequences(counts):
    """Reserve `counts[name]` consecutive values of each named sequence in one statement (bulk
    imports); returns {name: first value reserved}."""
    if not counts:
        return {}
    names = sorted(counts)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Sequence._meta.db_table} (name, value) "  # noqa: S608 (the model's own table)
            "SELECT * FROM unnest(%s::varchar[], %s::bigint[]) "
            f"ON CONFLICT (name) DO UPDATE SET value = {Sequence._meta.db_table}.value + EXCLUDED.value "
            "RETURNING name, value",
            [names, [counts[name] for name in names]],
        )
        return {name: value - counts[name] + 1 for name, value in cursor.fetchall()}


class HolidayNotice(DraftStateMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    """One year's holiday arrangement as the State Council's notice states it (国务院办公厅关于
    部分节假日安排的通知): each holiday as a named range of days off, each adjusted working day.

    It applies to the working-day calendar (`portal.workdays`) only while confirmed (live):
    a draft, or a correction saved but not yet confirmed, is kept as a revision. Its days win
    over the `chinesecalendar` package, so it also corrects a year the package knows.
    """

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    document_no = models.CharField(_("通知文号"), max_length=50, blank=True, help_text=_("例如：国办发明电〔2026〕7号"))
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    revisions = GenericRelation(
        "wagtailcore.Revision", content_type_field="content_type", object_id_field="object_id", for_concrete_model=False
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")

    def __str__(self):
        return gettext("%(year)s年节假日安排") % {"year": self.year}

    @admin.display(description=_("状态"))
    def state_label(self):
        if not self.live:
            return gettext("草稿，尚未生效")
        if self.has_unpublished_changes:
            return gettext("已确认生效，有未确认的更正")
        return gettext("已确认生效")

    # Previews are of the whole year, which needs the width of a desktop screen.
    @property
    def default_preview_size(self):
        return "desktop"

    def get_preview_template(self, request, mode_name):
        return "portal/holiday_notice_preview.html"

    def get_preview_context(self, request, mode_name):
        from .holidays import year_preview

        return {**super().get_preview_context(request, mode_name), "preview": year_preview(self)}


class Holiday(Orderable):
    """A holiday of a notice: the days from `first_day` to `last_day` (inclusive) are off."""

    notice = ParentalKey(HolidayNotice, on_delete=models.CASCADE, related_name="holidays")
    name = models.CharField(_("节日名称"), max_length=30, help_text=_("例如：元旦、春节"))
    first_day = models.DateField(_("放假起始日"))
    last_day = models.DateField(_("放假结束日"), help_text=_("只放一天的，起止填同一天。"))

    panels = [FieldPanel("name"), FieldPanel("first_day"), FieldPanel("last_day")]

    class Meta(Orderable.Meta):
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self):
        return f"{self.name} {self.first_day:%Y-%m-%d}–{self.last_day:%Y-%m-%d}"


class AdjustedWorkday(Orderable):
    """调休上班: a day, usually a weekend day, that a notice makes a working day."""

    notice = ParentalKey(HolidayNotice, on_delete=models.CASCADE, related_name="adjusted_workdays")
    date = models.DateField(_("上班日期"))
    name = models.CharField(_("说明"), max_length=30, blank=True, help_text=_("例如：春节调休上班"))

    panels = [FieldPanel("date"), FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("调休上班日")
        verbose_name_plural = _("调休上班日")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class StaffNotice(models.Model):
    """A notice in the admin to the staff member who must act next (「我的通知」 on the admin
    home page); `portal.notifications.notify_staff` creates it and sends the same by e-mail."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="staff_notices"
    )
    subject = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    url = models.CharField(_("链接"), max_length=200, blank=True, validators=[validate_link])
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("工作通知")
        verbose_name_plural = _("工作通知")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject
