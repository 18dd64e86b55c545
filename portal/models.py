"""Cross-cutting data every app uses: departments and gap-free numbering sequences."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


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


class CalendarDay(models.Model):
    """An administrator's correction to the working-day calendar for one date.

    The base calendar comes from the `chinesecalendar` package (weekends, statutory holidays,
    adjusted working days); a row here wins over it, for years the package does not know
    yet or for a local holiday.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(
        _("是否工作日"), help_text=_("勾选表示当天上班（如调休补班）；不勾选表示当天放假。")
    )
    name = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("例如：国庆节、国庆节调休上班"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date:%Y-%m-%d} {kind} {self.name}".strip()
