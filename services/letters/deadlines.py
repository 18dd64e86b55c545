"""Deadline flags for every list: due soon (3 working days), overdue, and the red flag
for a letter unanswered for more than three months (the inspection's single veto)."""

from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from portal.workdays import add_workdays

from . import conf
from .models import OPEN_STATUSES


@dataclass(frozen=True)
class Flags:
    due_soon: bool = False
    overdue: bool = False
    red: bool = False


class DeadlineClock:
    """Computed once per request, then applied to each row without further queries."""

    def __init__(self, today=None):
        self.today = today or timezone.localdate()
        self.soon_limit = add_workdays(self.today, conf.setting("LETTERS_DUE_SOON_WORKDAYS"))
        self.red_before = self.today - relativedelta(months=conf.setting("LETTERS_RED_FLAG_MONTHS"))

    def flags(self, letter):
        if letter.status not in OPEN_STATUSES:
            return Flags()
        overdue = bool(letter.due_on and letter.due_on < self.today)
        return Flags(
            due_soon=bool(letter.due_on and not overdue and letter.due_on <= self.soon_limit),
            overdue=overdue,
            red=timezone.localtime(letter.submitted_at).date() < self.red_before,
        )

    def annotate(self, letters):
        for letter in letters:
            letter.flags = self.flags(letter)
        return letters
