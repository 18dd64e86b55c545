"""What a service offers: its plan turned into slots (号源) per day, within the booking window.

A service opens on working days of the shared calendar (`portal.workdays`): Monday–Friday by
its weekly sessions, an adjusted working day (调休, a Saturday or Sunday worked) by its
"调休上班日" sessions, a holiday never. Extra sessions (加开) open on their date whatever the
calendar says; a leader's reception days (领导接访日) are the reception service's only
sessions. Closures (停办) close a day or one slot. Slots nobody has booked have no row yet:
their capacity comes from the plan, their bookings from `Slot` rows.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import workdays

from .models import Closure, ExtraSession, ReceptionDay, Slot, WeeklySession

SLOT_KEY_FORMAT = "%Y%m%d%H%M"


def slot_key(starts_at):
    """The slot's value in forms and links: its local start time, e.g. 202612010930."""
    return timezone.localtime(starts_at).strftime(SLOT_KEY_FORMAT)


def parse_slot_key(value):
    """The aware start time a slot key names, or None if it names no time at all. A key has
    exactly twelve digits (strptime alone would read "20261203090" as 09:00)."""
    value = str(value or "")
    if not re.fullmatch(r"\d{12}", value):
        return None
    try:
        naive = datetime.datetime.strptime(value, SLOT_KEY_FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive)


def when_label(slot):
    """A slot's start as texts and histories say it: 2026年10月8日（星期四）09:00."""
    starts_at = timezone.localtime(slot.starts_at)
    return f"{date_format(starts_at, 'Y年n月j日')}（{date_format(starts_at, 'l')}）{starts_at:%H:%M}"


def local_datetime(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


@dataclass
class PlannedSlot:
    service_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    reception_day: ReceptionDay | None = None
    booked: int = 0
    closed_reason: str = ""
    past_cutoff: bool = False

    @property
    def key(self):
        return slot_key(self.starts_at)

    @property
    def date(self):
        return timezone.localdate(self.starts_at)

    @property
    def remaining(self):
        return max(self.capacity - self.booked, 0)

    @property
    def is_bookable(self):
        return not self.closed_reason and not self.past_cutoff and self.remaining > 0

    @property
    def status(self):
        """Chinese words for the slot as the public sees it."""
        if self.closed_reason:
            return _("已停办")
        if self.past_cutoff:
            return _("已截止")
        if self.remaining <= 0:
            return _("已约满")
        return _("余%(count)s个") % {"count": self.remaining}


@dataclass
class PlannedDay:
    date: datetime.date
    slots: list = field(default_factory=list)
    closed_reason: str = ""

    @property
    def remaining(self):
        return sum(slot.remaining for slot in self.slots if slot.is_bookable)


def booking_window(service, today=None, calendar=None):
    """(first day, last day) a booking may be made for: today up to the service's number of
    working days ahead. `calendar`: the request's `workdays.Calendar`, read once for all its
    questions (a new one otherwise)."""
    today = today or timezone.localdate()
    return today, (calendar or workdays.Calendar()).add_workdays(today, service.book_ahead_workdays)


def _split(service, day, start, end, capacity, reception_day=None):
    """The slots of one session: consecutive slot lengths that fit between start and end."""
    step = datetime.timedelta(minutes=service.slot_minutes)
    moment, close = local_datetime(day, start), local_datetime(day, end)
    slots = []
    while moment + step <= close:
        slots.append(PlannedSlot(service.pk, moment, moment + step, capacity or service.capacity, reception_day))
        moment += step
    return slots


class Plan:
    """A service's plan over a range of days, read with a handful of queries."""

    def __init__(self, service, first, last, calendar=None):
        self.service, self.first, self.last = service, first, last
        calendar = calendar or workdays.Calendar()
        self.workdays = set(calendar.workdays_in(first - datetime.timedelta(days=1), last))
        self.weekly, self.extra, self.receptions = [], [], []
        if service.is_reception:
            self.receptions = list(
                ReceptionDay.objects.filter(service=service, is_published=True, date__range=(first, last))
            )
        else:
            self.weekly = list(WeeklySession.objects.filter(service=service))
            self.extra = list(ExtraSession.objects.filter(service=service, date__range=(first, last)))
        self.closures = list(Closure.objects.filter(service=service, date__range=(first, last)))
        self.rows = {slot.starts_at: slot for slot in Slot.objects.filter(service=service, date__range=(first, last))}

    def sessions(self, day):
        """(start, end, capacity, reception day) of every session open on `day`."""
        if self.service.is_reception:
            return [(r.starts_at, r.ends_at, r.capacity, r) for r in self.receptions if r.date == day]
        sessions = []
        if day in self.workdays:
            key = day.weekday() if day.weekday() < 5 else WeeklySession.ADJUSTED_WORKDAY
            sessions += [(s.starts_at, s.ends_at, s.capacity, None) for s in self.weekly if s.weekday == key]
        sessions += [(s.starts_at, s.ends_at, s.capacity, None) for s in self.extra if s.date == day]
        return sessions

    def day(self, day, now):
        """The day's slots with what has been booked and what is closed or past its cut-off."""
        planned = PlannedDay(day)
        whole_day = next((c for c in self.closures if c.date == day and c.starts_at is None), None)
        if whole_day:
            planned.closed_reason = whole_day.reason
        closed_slots = {c.starts_at: c.reason for c in self.closures if c.date == day and c.starts_at}
        cutoff = datetime.timedelta(minutes=self.service.cutoff_minutes)
        slots = {}
        for start, end, capacity, reception in self.sessions(day):
            for slot in _split(self.service, day, start, end, capacity, reception):
                slots.setdefault(slot.starts_at, slot)
        for slot in slots.values():
            row = self.rows.get(slot.starts_at)
            if row is not None:
                slot.booked = row.booked
            slot.closed_reason = planned.closed_reason or closed_slots.get(slot.starts_at, "")
            if row is not None and row.is_closed and not slot.closed_reason:
                slot.closed_reason = _("已停办")
            slot.past_cutoff = slot.starts_at - cutoff <= now
        planned.slots = sorted(slots.values(), key=lambda slot: slot.starts_at)
        return planned

    def days(self, now):
        days = []
        day = self.first
        while day <= self.last:
            planned = self.day(day, now)
            if planned.slots or planned.closed_reason:
                days.append(planned)
            day += datetime.timedelta(days=1)
        return days


def bookable_days(service, now=None):
    """The days of the booking window that have slots, each with its slots' availability."""
    now = now or timezone.now()
    calendar = workdays.Calendar()
    first, last = booking_window(service, timezone.localdate(now), calendar)
    return Plan(service, first, last, calendar).days(now)


def day_plan(service, day, now=None, calendar=None):
    """One day's slots, whatever the window (staff see past and future days)."""
    return Plan(service, day, day, calendar).day(day, now or timezone.now())


def _day_label(day):
    return date_format(day, "Y年n月j日")


def bookable_slot(service, starts_at, now=None, calendar=None):
    """The planned slot starting at `starts_at` if a booking may be made for it now; otherwise
    a ValidationError saying why in Chinese. Capacity is checked when the place is taken."""
    now = now or timezone.now()
    calendar = calendar or workdays.Calendar()
    if starts_at is None:
        raise ValidationError(_("请选择预约时段。"), code="no_slot")
    day = timezone.localdate(starts_at)
    today = timezone.localdate(now)
    first, last = booking_window(service, today, calendar)
    if starts_at <= now or day < first:
        raise ValidationError(_("所选时段已经过去，不能预约，请选择其他时段。"), code="past")
    if day > last:
        raise ValidationError(
            _("只能预约%(count)s个工作日以内的时段（最晚到%(last)s），请重新选择。")
            % {"count": service.book_ahead_workdays, "last": _day_label(last)},
            code="too_far",
        )
    planned = day_plan(service, day, now, calendar)
    slot = next((slot for slot in planned.slots if slot.starts_at == starts_at), None)
    if planned.closed_reason:
        raise ValidationError(
            _("%(day)s该事项停办（%(reason)s），请选择其他日期。")
            % {"day": _day_label(day), "reason": planned.closed_reason},
            code="closed",
        )
    if slot is None:
        raise ValidationError(_("所选时段不在开放时间内（节假日和停办日不开放），请重新选择。"), code="not_planned")
    if slot.closed_reason:
        raise ValidationError(
            _("所选时段已停办（%(reason)s），请选择其他时段。") % {"reason": slot.closed_reason}, code="closed"
        )
    if slot.past_cutoff:
        raise ValidationError(
            _("所选时段已过预约截止时间（开始前%(minutes)s分钟截止），请选择其他时段。")
            % {"minutes": service.cutoff_minutes},
            code="cutoff",
        )
    return slot
