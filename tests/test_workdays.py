"""One working-day calendar: weekends and statutory holidays off, 调休 days on, and
administrator overrides for years the chinesecalendar package does not know yet."""

import datetime

import pytest

from portal.models import CalendarDay
from portal.workdays import add_workdays, is_workday, workdays_between

from .builders import login_staff, make_superuser

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


def test_administrator_overrides_teach_the_calendar_a_year_the_package_does_not_know(client):
    # Without overrides 2027 is plain Monday-Friday.
    assert add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 1)
    admin = make_superuser()
    login_staff(client, admin)
    for day in range(1, 8):
        response = client.post(
            "/admin/snippets/portal/calendarday/add/",
            {"date": f"2027-10-0{day}", "name": "国庆节"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        "/admin/snippets/portal/calendarday/add/", {"date": "2027-10-09", "is_workday": "on", "name": "国庆节调休上班"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.count() == 8
    assert add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert add_workdays(D(2027, 9, 30), 2) == D(2027, 10, 9)  # a Saturday, made a working day
    assert is_workday(D(2027, 10, 9)) and not is_workday(D(2027, 10, 4))
