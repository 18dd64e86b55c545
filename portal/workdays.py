"""The one working-day calendar every deadline uses (工作日).

Weekends and statutory holidays are off and adjusted working days (调休) are on, as the
`chinesecalendar` package knows them; `portal.models.CalendarDay` rows entered by
administrators override the package, which matters for years it has no data for yet
(then plain Monday–Friday is assumed until someone enters the State Council's notice).
"""

import datetime

import chinese_calendar

from .models import CalendarDay


def _base_is_workday(day):
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _overrides(start, end):
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def is_workday(day):
    override = CalendarDay.objects.filter(date=day).values_list("is_workday", flat=True).first()
    return _base_is_workday(day) if override is None else override


def workdays_in(start, end):
    """Working days d with start < d <= end, in order (empty when end <= start)."""
    if end <= start:
        return []
    overrides = _overrides(start, end)
    days = []
    day = start + datetime.timedelta(days=1)
    while day <= end:
        if overrides[day] if day in overrides else _base_is_workday(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def add_workdays(start, count):
    """The date of the `count`-th working day after `start` (the start day itself not counted)."""
    if count <= 0:
        return start
    # Long holidays never take more than two weeks, so a window of twice the count plus a
    # margin always holds enough working days; widen it if an administrator closed more.
    span = count * 2 + 20
    while True:
        days = workdays_in(start, start + datetime.timedelta(days=span))
        if len(days) >= count:
            return days[count - 1]
        span *= 2


def workdays_between(start, end):
    """Working days after `start` up to and including `end`; negative when end is earlier."""
    if end >= start:
        return len(workdays_in(start, end))
    return -len(workdays_in(end, start))
