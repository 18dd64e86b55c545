"""One working-day calendar: weekends and statutory holidays off, 调休 days on, and the State
Council's notice entered by staff for a year the chinesecalendar package does not know yet;
deadlines counted through a year nobody has entered are provisional (暂定)."""

import datetime

import pytest

from portal import workdays
from portal.workdays import add_workdays, deadline, is_workday, workdays_between

from .builders import login_staff, make_superuser
from .calendar_support import enter_notice, require_unknown_year

pytestmark = pytest.mark.django_db

D = datetime.date


def test_national_day_week_is_skipped_and_the_adjusted_saturday_counts():
    # 2026: 10-01..10-07 off, Saturday 10-10 is an adjusted working day (调休上班).
    assert not is_workday(D(2026, 10, 1))
    assert is_workday(D(2026, 10, 10))
    assert not is_workday(D(2026, 10, 11))
    # From Tuesday 09-29: 09-30, 10-08, 10-09, 10-10 (Saturday, 调休), 10-12.
    assert add_workdays(D(2026, 9, 29), 4) == D(2026, 10, 10)
    assert add_workdays(D(2026, 9, 29), 5) == D(2026, 10, 12)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert workdays_between(D(2026, 10, 8), D(2026, 9, 30)) == -1


def test_an_ordinary_week_counts_monday_to_friday():
    assert add_workdays(D(2026, 11, 20), 5) == D(2026, 11, 27)  # Friday → next Friday
    assert add_workdays(D(2026, 11, 20), 0) == D(2026, 11, 20)
    assert not deadline(D(2026, 11, 20), 5).provisional


def test_a_confirmed_notice_teaches_the_calendar_a_year_the_package_does_not_know(client):
    require_unknown_year(2027)
    # Unknown: plain Monday-Friday, and every deadline counted into 2027 says so.
    assert add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 1)
    assert deadline(D(2027, 9, 30), 1).unknown_years == (2027,)
    assert deadline(D(2026, 12, 30), 2).provisional  # counted into 2027
    assert not deadline(D(2026, 12, 1), 2).provisional
    login_staff(client, make_superuser())
    national_day = [("国庆节", "2027-10-01", "2027-10-07")]
    saturday = [("2027-10-09", "国庆节调休上班")]

    # A draft is seen by staff but counts for nothing.
    response = enter_notice(client, 2027, national_day, saturday, action=None)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 1)
    assert not workdays.year_is_known(2027)

    response = enter_notice(client, 2027, national_day, saturday)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert add_workdays(D(2027, 9, 30), 2) == D(2027, 10, 9)  # a Saturday, made a working day
    assert is_workday(D(2027, 10, 9)) and not is_workday(D(2027, 10, 4))
    confirmed = deadline(D(2027, 9, 30), 2)
    assert confirmed.due_on == D(2027, 10, 9) and not confirmed.provisional


def test_a_confirmed_notice_corrects_a_year_the_package_knows(client):
    # A county-wide day off the package cannot know (e.g. a local festival) is entered as a holiday.
    login_staff(client, make_superuser())
    assert add_workdays(D(2026, 6, 1), 1) == D(2026, 6, 2)
    response = enter_notice(client, 2026, [("县庆", "2026-06-02", "2026-06-02")])
    assert response.status_code == 302
    assert add_workdays(D(2026, 6, 1), 1) == D(2026, 6, 3)
    assert not is_workday(D(2026, 10, 1))  # the package's own holidays still count
