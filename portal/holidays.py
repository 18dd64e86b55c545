"""The holiday notices (节假日安排) staff enter for the working-day calendar: the rules of the
form, the year's calendar shown before a notice is confirmed, the dashboard warning about
years nobody has entered yet, and the `calendar_changed` signal sent when a confirmed notice
changes (see `portal.workdays`)."""

import calendar as month_calendar
import datetime
from dataclasses import dataclass, field

from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.signals import published, unpublished

from .models import HolidayNotice
from .workdays import Calendar, calendar_changed, package_knows

# The month from which staff are warned that next year's notice is missing: the State Council
# publishes it late in the year, and deadlines counted in November already reach into January.
WARN_FROM_MONTH = 11
LONGEST_HOLIDAY_DAYS = 31
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")


def notice_period(year):
    """The days a notice of `year` may arrange: the year itself and the December before it
    (notices have made a late-December weekend a working day for New Year)."""
    return datetime.date(year - 1, 12, 1), datetime.date(year, 12, 31)


def _weekday(day):
    return _("星期%(d)s") % {"d": WEEKDAYS[day.weekday()]}


class HolidayNoticeForm(WagtailAdminModelForm):
    """One year's notice in one form. Dates are checked against each other once every
    holiday and working day is read; the year of a saved notice no longer changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].disabled = True
            self.fields["year"].help_text = _("年份保存后不能修改。")

    def is_valid(self):
        return super().is_valid() and self._dates_agree()

    def _rows(self, name):
        return [form for form in self.formsets[name].forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]

    def _dates_agree(self):
        year = self.cleaned_data["year"]
        first_allowed, last_allowed = notice_period(year)
        outside = _("日期应在%(year)s年内（可含%(previous)s年12月的调休安排）。") % {
            "year": year,
            "previous": year - 1,
        }
        ok = True

        def refuse(form, field_name, message):
            nonlocal ok
            form.add_error(field_name, message)
            ok = False

        holidays = self._rows("holidays")
        if not holidays:
            self.add_error(None, _("请至少填写一个节假日（节日名称和放假起止日期）。"))
            ok = False
        ranges = []
        for form in holidays:
            first, last = form.cleaned_data["first_day"], form.cleaned_data["last_day"]
            if not first_allowed <= first <= last_allowed:
                refuse(form, "first_day", outside)
            elif not first_allowed <= last <= last_allowed:
                refuse(form, "last_day", outside)
            elif last < first:
                refuse(form, "last_day", _("放假结束日不能早于起始日。"))
            elif (last - first).days >= LONGEST_HOLIDAY_DAYS:
                refuse(form, "last_day", _("一个节假日放假不超过%(n)s天，请检查日期。") % {"n": LONGEST_HOLIDAY_DAYS})
            else:
                for other_name, other_first, other_last in ranges:
                    if first <= other_last and other_first <= last:
                        refuse(form, "first_day", _("与“%(name)s”的放假日期重叠。") % {"name": other_name})
                        break
                ranges.append((form.cleaned_data["name"], first, last))
        seen = set()
        for form in self._rows("adjusted_workdays"):
            day = form.cleaned_data["date"]
            within = [name for name, first, last in ranges if first <= day <= last]
            if not first_allowed <= day <= last_allowed:
                refuse(form, "date", outside)
            elif day in seen:
                refuse(form, "date", _("这一天已经填写过。"))
            elif within:
                refuse(form, "date", _("这一天在“%(name)s”放假期间内。") % {"name": within[0]})
            elif day.weekday() < 5:
                refuse(
                    form,
                    "date",
                    _("调休上班日应为周六或周日，%(date)s是%(weekday)s，本来就是工作日。")
                    % {"date": f"{day:%Y-%m-%d}", "weekday": _weekday(day)},
                )
            seen.add(day)
        return ok


# --- The year's calendar, shown before a notice is confirmed ------------------------------


@dataclass(frozen=True)
class Cell:
    day: object  # workdays.Day

    @property
    def kind(self):
        weekend = self.day.date.weekday() >= 5
        if self.day.is_workday:
            return "adjusted" if weekend else "workday"
        return "holiday" if self.day.name else "weekend"

    @property
    def mark(self):
        return {"holiday": _("休"), "adjusted": _("班")}.get(self.kind, "")

    @property
    def description(self):
        if self.kind == "holiday":
            return _("放假：%(name)s") % {"name": self.day.name}
        if self.kind == "adjusted":
            return _("上班：%(name)s") % {"name": self.day.name}
        return _("周末") if self.kind == "weekend" else _("工作日")


@dataclass
class Month:
    number: int
    weeks: list = field(default_factory=list)


@dataclass
class YearPreview:
    notice: HolidayNotice
    months: list
    workdays: int
    days_off_on_weekdays: int
    known_to_package: bool
    holidays: list
    adjusted_workdays: list
    weekdays: tuple = WEEKDAYS


def year_preview(notice):
    """The whole year as it will count once `notice` (saved or not) is confirmed."""
    calendar = Calendar(preview=notice)
    months, workdays, closed_weekdays = [], 0, 0
    for number in range(1, 13):
        month = Month(number)
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(notice.year, number):
            row = []
            for day in week:
                if day.month != number:
                    row.append(None)
                    continue
                cell = Cell(calendar.day(day))
                workdays += cell.day.is_workday
                closed_weekdays += cell.kind == "holiday" and day.weekday() < 5
                row.append(cell)
            month.weeks.append(row)
        months.append(month)
    return YearPreview(
        notice=notice,
        months=months,
        workdays=workdays,
        days_off_on_weekdays=closed_weekdays,
        known_to_package=package_knows(notice.year),
        holidays=sorted(notice.holidays.all(), key=lambda holiday: holiday.first_day),
        adjusted_workdays=sorted(notice.adjusted_workdays.all(), key=lambda workday: workday.date),
    )


# --- The dashboard warning ------------------------------------------------------------------


@dataclass
class MissingYear:
    year: int
    current: bool  # the running year: deadlines are provisional now, not only soon
    draft: HolidayNotice | None
    # (what counts working days, how many open items are provisional or None) from each app
    deadlines: list


def missing_years(today):
    """Years whose notice staff must enter now: the current year at any time, the next year
    from 1 November, each when neither the package knows it nor a confirmed notice holds it.

    Each app names its working-day deadlines through the Wagtail hook
    `register_workday_deadlines`: a function of a tuple of years returning (label, number of
    open items whose deadline counts through those years, or None when it keeps no items)."""
    calendar = Calendar()
    years = [today.year]
    if today.month >= WARN_FROM_MONTH:
        years.append(today.year + 1)
    missing = []
    for year in years:
        if calendar.year_is_known(year):
            continue
        missing.append(
            MissingYear(
                year=year,
                current=year == today.year,
                draft=HolidayNotice.objects.filter(year=year).first(),
                deadlines=[fn((year,)) for fn in hooks.get_hooks("register_workday_deadlines")],
            )
        )
    return missing


def can_edit_calendar(user):
    return any(user.has_perm(f"portal.{action}_holidaynotice") for action in ("add", "change", "publish"))


# --- Telling the apps that the calendar changed ------------------------------------------------


def _announce(notice, reason):
    first_day, last_day = notice_period(notice.year)
    calendar_changed.send(sender=HolidayNotice, first_day=first_day, last_day=last_day, reason=reason)


def _title(notice):
    if notice.document_no:
        return _("%(year)s年节假日安排（%(no)s）") % {"year": notice.year, "no": notice.document_no}
    return str(notice)


@receiver(published, sender=HolidayNotice)
def notice_confirmed(sender, instance, **kwargs):
    if instance.first_published_at == instance.last_published_at:
        reason = _("%(notice)s已确认生效。") % {"notice": _title(instance)}
    else:
        reason = _("%(notice)s已更正并确认生效。") % {"notice": _title(instance)}
    _announce(instance, reason)


@receiver(unpublished, sender=HolidayNotice)
def notice_withdrawn(sender, instance, **kwargs):
    _announce(instance, _("%(notice)s已撤销确认。") % {"notice": _title(instance)})


@receiver(post_delete, sender=HolidayNotice)
def notice_deleted(sender, instance, **kwargs):
    if instance.live:
        _announce(instance, _("%(notice)s已删除。") % {"notice": _title(instance)})
