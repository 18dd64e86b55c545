"""Upgrading a portal whose administrators entered per-day calendar corrections and whose letters
have deadlines: the corrections become that year's confirmed notice, and every letter learns
what its deadline was counted from, so it can be counted again; and back."""

import datetime

import pytest
from django.utils import timezone

from portal.models import HolidayNotice
from portal.workdays import Calendar
from services.letters.models import Letter

from .migration_support import latest, migrate

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

D = datetime.date
BEFORE = [("portal", "0002_calendarday"), ("letters", "0001_initial")]


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@pytest.mark.slow
def test_calendar_corrections_become_a_confirmed_notice_and_letters_keep_their_deadlines():
    old = migrate(BEFORE)
    days = old.get_model("portal", "CalendarDay").objects
    days.create(date=D(2027, 1, 1), is_workday=False, name="元旦")
    for day in range(1, 8):
        days.create(date=D(2027, 10, day), is_workday=False, name="国庆节")
    days.create(date=D(2027, 10, 9), is_workday=True, name="国庆节调休上班")
    department = old.get_model("portal", "Department").objects.create(name="县政府办公室", code="zfb")
    mailbox = old.get_model("letters", "Mailbox").objects.create(name="县长信箱", slug="county", department=department)
    letters = old.get_model("letters", "Letter").objects

    def letter(no, letter_type, status, submitted, due_on, accepted_on=None):
        return letters.create(
            tracking_no=no,
            query_password="-",
            mailbox=mailbox,
            letter_type=letter_type,
            topic="other",
            title=no,
            content="-",
            status=status,
            submitted_at=aware(submitted),
            accepted_on=accepted_on,
            due_on=due_on,
        )

    # 15 working days from 2026-12-20 with 元旦 entered; 60 from acceptance on 2026-12-01;
    # a re-handled letter: 30 working days from the day it was reopened.
    suggestion = letter("1", "suggest", "submitted", D(2026, 12, 20), D(2027, 1, 11))
    complaint = letter("2", "complaint", "accepted", D(2026, 11, 23), D(2027, 2, 24), accepted_on=D(2026, 12, 1))
    reopened = letter("3", "consult", "reopened", D(2026, 9, 1), D(2026, 12, 14))
    old.get_model("letters", "LetterEvent").objects.create(letter=reopened, action="reopened", label="申请重办")
    old.get_model("letters", "LetterEvent").objects.filter(letter=reopened).update(created_at=aware(D(2026, 11, 2)))
    declined = letter("4", "complaint", "declined", D(2026, 11, 2), None)

    migrate(latest())

    notice = HolidayNotice.objects.get()
    assert notice.year == 2027 and notice.live
    assert [(h.name, h.first_day, h.last_day) for h in notice.holidays.order_by("first_day")] == [
        ("元旦", D(2027, 1, 1), D(2027, 1, 1)),
        ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
    ]
    assert [(w.date, w.name) for w in notice.adjusted_workdays.all()] == [(D(2027, 10, 9), "国庆节调休上班")]
    calendar = Calendar()
    assert calendar.add_workdays(D(2027, 9, 30), 2) == D(2027, 10, 9)
    basis = {
        letter.tracking_no: (letter.due_from, letter.due_workdays, letter.due_on)
        for letter in Letter.objects.filter(pk__in=[suggestion.pk, complaint.pk, reopened.pk, declined.pk])
    }
    assert basis == {
        "1": (D(2026, 12, 20), 15, D(2027, 1, 11)),
        "2": (D(2026, 12, 1), 60, D(2027, 2, 24)),
        "3": (D(2026, 11, 2), 30, D(2026, 12, 14)),
        "4": (None, None, None),
    }
    for due_from, workdays, due_on in basis.values():
        if due_from:
            assert calendar.add_workdays(due_from, workdays) == due_on

    back = migrate(BEFORE)
    restored = back.get_model("portal", "CalendarDay").objects
    assert restored.count() == 9
    assert restored.get(date=D(2027, 10, 9)).is_workday and not restored.get(date=D(2027, 1, 1)).is_workday
    migrate(latest())
