"""Deadline flags for every list: due soon (3 working days), overdue, the red flag for a letter
unanswered for more than three months (the inspection's single veto), and 暂定 for a deadline
counted through a year whose holidays are not known yet. When the holiday calendar changes,
the open letters' deadlines are counted again (`recount_deadlines`)."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from portal.workdays import Calendar, calendar_changed

from . import conf, workflow
from .models import OPEN_STATUSES, Letter

# Letters locked and written together when deadlines are counted again.
RECOUNT_CHUNK = 500


@dataclass(frozen=True)
class Flags:
    due_soon: bool = False
    overdue: bool = False
    red: bool = False
    # The years the deadline is counted through whose holidays are not known: it is 暂定.
    provisional: tuple = ()


class DeadlineClock:
    """Computed once per request, then applied to each row without further queries."""

    def __init__(self, today=None):
        self.today = today or timezone.localdate()
        self.calendar = Calendar()
        self.soon_limit = self.calendar.add_workdays(self.today, conf.setting("LETTERS_DUE_SOON_WORKDAYS"))
        self.red_before = self.today - relativedelta(months=conf.setting("LETTERS_RED_FLAG_MONTHS"))

    def flags(self, letter):
        if letter.status not in OPEN_STATUSES:
            return Flags()
        overdue = bool(letter.due_on and letter.due_on < self.today)
        return Flags(
            due_soon=bool(letter.due_on and not overdue and letter.due_on <= self.soon_limit),
            overdue=overdue,
            red=timezone.localtime(letter.submitted_at).date() < self.red_before,
            provisional=self.calendar.unknown_years(letter.due_from, letter.due_on) if letter.due_on else (),
        )

    def annotate(self, letters):
        for letter in letters:
            letter.flags = self.flags(letter)
        return letters


def counted_through(first_day, last_day):
    """Open letters whose deadline is counted through at least one day of first_day…last_day."""
    return Letter.objects.filter(status__in=OPEN_STATUSES, due_from__lt=last_day, due_on__gte=first_day)


def recount_deadlines(first_day, last_day, reason):
    """Count again the deadline of each open letter the change of first_day…last_day may move,
    a few hundred letters per transaction; returns how many moved. Safe to run again: an
    unmoved deadline records nothing."""
    calendar = Calendar()
    ids = list(counted_through(first_day, last_day).order_by("pk").values_list("pk", flat=True))
    chunks = (ids[start : start + RECOUNT_CHUNK] for start in range(0, len(ids), RECOUNT_CHUNK))
    return sum(workflow.recount_deadlines(chunk, reason, calendar) for chunk in chunks)


@task()
def recount_deadlines_task(first_day, last_day, reason):
    return recount_deadlines(datetime.date.fromisoformat(first_day), datetime.date.fromisoformat(last_day), reason)


@receiver(calendar_changed)
def count_again_when_the_calendar_changes(sender, first_day, last_day, reason, **kwargs):
    """A few letters are counted again at once, in the transaction that changed the calendar, so
    the desk shows the new deadlines straight away; many are left to a background task."""
    reason = str(reason)
    if counted_through(first_day, last_day).count() <= conf.setting("LETTERS_RECOUNT_AT_ONCE"):
        recount_deadlines(first_day, last_day, reason)
    else:
        recount_deadlines_task.enqueue(first_day.isoformat(), last_day.isoformat(), reason)


def provisional_deadlines(years):
    """For the dashboard warning: what counts working days here, and how many open letters'
    deadlines are counted through `years` (provisional while those years are unknown)."""
    through = Q()
    for year in years:
        through |= Q(due_from__lt=datetime.date(year, 12, 31), due_on__gte=datetime.date(year, 1, 1))
    count = Letter.objects.filter(status__in=OPEN_STATUSES).filter(through).count()
    return _("领导信箱：来信的受理、答复、延期和重办期限"), count
