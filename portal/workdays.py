"""The one working-day calendar every deadline uses (工作日).

Weekends and statutory holidays are off and adjusted working days (调休) are on, as the
`chinesecalendar` package knows them and as staff enter each year's State Council notice under
设置 → 节假日安排 (`portal.models.HolidayNotice`). Only confirmed notices count, and their days
win over the package's. A year that is neither known to the package nor entered and confirmed is
counted as plain Monday–Friday, and a deadline counted through it is provisional (暂定):

    deadline = workdays.deadline(start, 15)   # Deadline(start, workdays, due_on, unknown_years)
    deadline.due_on, deadline.provisional

When a notice is confirmed, corrected, withdrawn or deleted, `calendar_changed` is sent so that
each app counts its open deadlines again (see `services.letters.deadlines`). An app with
working-day deadlines keeps each one's start and number of days, shows 暂定 with the templates
`portal/admin/_provisional.html` (staff) or `portal/_provisional.html` (public), given
`provisional=Calendar().unknown_years(start, due_on)`, receives `calendar_changed`, and names its
deadlines for the dashboard warning through the Wagtail hook `register_workday_deadlines`
(`portal.holidays.missing_years`).
"""

import datetime
from dataclasses import dataclass

from chinese_calendar import constants
from django.dispatch import Signal
from django.utils.translation import gettext as _

from .models import AdjustedWorkday, Holiday, HolidayNotice

ONE_DAY = datetime.timedelta(days=1)

# Sent inside the transaction that changed the calendar, with `first_day` and `last_day` (the
# days whose status may have changed) and `reason` (Chinese text for the items' histories).
calendar_changed = Signal()


# The package's data, read once: it is fixed for the installed release.
_PACKAGE_YEARS = range(min(constants.holidays).year, max(constants.holidays).year + 1)


def package_knows(year):
    """Whether the installed chinesecalendar release holds the holiday notice of `year`."""
    return year in _PACKAGE_YEARS


@dataclass(frozen=True)
class Day:
    date: datetime.date
    is_workday: bool
    # The holiday (节日名称) or the reason for working (调休上班); empty for an ordinary day.
    name: str = ""


@dataclass(frozen=True)
class Deadline:
    """The `workdays`-th working day after `start` (the start day itself not counted).
    `unknown_years`: the years the count runs through whose holidays are neither known to the
    package nor confirmed; while there are any the deadline is provisional (暂定)."""

    start: datetime.date
    workdays: int
    due_on: datetime.date
    unknown_years: tuple = ()

    @property
    def provisional(self):
        return bool(self.unknown_years)


def _package_is_workday(day):
    if not package_knows(day.year):
        return day.weekday() < 5
    return day in constants.workdays or (day.weekday() < 5 and day not in constants.holidays)


def _package_day(day):
    """The day as the package has it (its own functions check the year range on every call,
    which costs more than the whole count)."""
    if not package_knows(day.year):
        return Day(day, day.weekday() < 5)
    if day in constants.holidays:
        return Day(day, False, constants.Holiday(constants.holidays[day]).chinese)
    if day in constants.workdays:
        holiday = constants.Holiday(constants.workdays[day]).chinese
        return Day(day, True, _("%(holiday)s调休上班") % {"holiday": holiday})
    return Day(day, day.weekday() < 5)


class Calendar:
    """The calendar as the database holds it now, read one year at a time and reused for many
    questions within one request or task. Never keep one longer: another app server may
    confirm a notice at any moment.

    `preview`: a notice, possibly unsaved, whose entries replace its confirmed ones (to show
    what the calendar will be once it is confirmed)."""

    def __init__(self, preview=None):
        self._preview = preview
        self._entered = {}
        self._confirmed_years = None
        self._counted = {}  # (start, count) → date: many deadlines share both

    def _entered_days(self, year):
        if year not in self._entered:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            holidays = Holiday.objects.filter(notice__live=True, first_day__lte=last, last_day__gte=first)
            adjusted = AdjustedWorkday.objects.filter(notice__live=True, date__range=(first, last))
            if self._preview is not None and self._preview.pk:
                holidays = holidays.exclude(notice_id=self._preview.pk)
                adjusted = adjusted.exclude(notice_id=self._preview.pk)
            holidays, adjusted = list(holidays), list(adjusted)
            if self._preview is not None:
                holidays += list(self._preview.holidays.all())
                adjusted += list(self._preview.adjusted_workdays.all())
            days = {}
            for holiday in holidays:
                day = max(holiday.first_day, first)
                while day <= min(holiday.last_day, last):
                    days[day] = Day(day, False, holiday.name)
                    day += ONE_DAY
            for workday in adjusted:
                if workday.date.year == year:
                    days[workday.date] = Day(workday.date, True, workday.name or _("调休上班"))
            self._entered[year] = days
        return self._entered[year]

    def day(self, day):
        return self._entered_days(day.year).get(day) or _package_day(day)

    def is_workday(self, day):
        entered = self._entered_days(day.year).get(day)
        return _package_is_workday(day) if entered is None else entered.is_workday

    def workdays_in(self, start, end):
        """Working days d with start < d <= end, in order (empty when end <= start)."""
        days = []
        day = start + ONE_DAY
        while day <= end:
            if self.is_workday(day):
                days.append(day)
            day += ONE_DAY
        return days

    def add_workdays(self, start, count):
        """The date of the `count`-th working day after `start` (the start day itself not counted)."""
        if (start, count) not in self._counted:
            day, found = start, 0
            while found < count:
                day += ONE_DAY
                found += self.is_workday(day)
            self._counted[start, count] = day
        return self._counted[start, count]

    def workdays_between(self, start, end):
        """Working days after `start` up to and including `end`; negative when end is earlier."""
        if end >= start:
            return len(self.workdays_in(start, end))
        return -len(self.workdays_in(end, start))

    def year_is_known(self, year):
        """Known to the package, or entered in a confirmed notice."""
        if package_knows(year):
            return True
        if self._confirmed_years is None:
            self._confirmed_years = set(HolidayNotice.objects.filter(live=True).values_list("year", flat=True))
        return year in self._confirmed_years

    def unknown_years(self, start, end):
        """The years of the days counted from `start` (not included) to `end` that are not known."""
        first = (start + ONE_DAY).year if start is not None else end.year
        return tuple(year for year in range(first, end.year + 1) if not self.year_is_known(year))

    def deadline(self, start, workdays):
        due_on = self.add_workdays(start, workdays)
        return Deadline(start, workdays, due_on, self.unknown_years(start, due_on))


def is_workday(day):
    return Calendar().is_workday(day)


def workdays_in(start, end):
    return Calendar().workdays_in(start, end)


def add_workdays(start, count):
    return Calendar().add_workdays(start, count)


def workdays_between(start, end):
    return Calendar().workdays_between(start, end)


def deadline(start, workdays):
    return Calendar().deadline(start, workdays)


def year_is_known(year):
    return Calendar().year_is_known(year)
