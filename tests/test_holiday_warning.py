"""The dashboard asks staff who can edit the calendar for next year's holiday notice from
1 November, and for the current year's at any time, while neither the chinesecalendar package
nor a confirmed notice knows the year; it names the deadlines that are provisional meanwhile."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from services.letters import workflow

from .builders import build_portal, login_staff, make_superuser
from .calendar_support import enter_notice, require_unknown_year
from .letters_support import build_world, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
HEADING = "节假日安排待录入"
NEW_YEARS_DAY = [("元旦", "2027-01-01", "2027-01-01")]


def signed_in(user):
    """Staff sign in on the day the test set: a session from another day may have expired."""
    return login_staff(Client(), user)


def warning(user):
    html = signed_in(user).get("/admin/").content.decode()
    if HEADING not in html:
        return ""
    start = html.index(HEADING)
    return re.sub(r"\s+", " ", html[start : html.index("</section>", start)])


@pytest.fixture
def staff(db):
    require_unknown_year(2027)
    build_portal()
    world = build_world()
    workflow.submit_letter(
        mailbox=world.county,
        data={"letter_type": "suggest", "topic": "market", "title": "跨年的建议", "content": "建议……"},
        received_at=timezone.make_aware(datetime.datetime(2026, 10, 20, 9, 0)),
    )
    workflow.submit_letter(  # 15 working days from 2026-12-20 run into 2027
        mailbox=world.county,
        data={"letter_type": "suggest", "topic": "market", "title": "年底的建议", "content": "建议……"},
        received_at=timezone.make_aware(datetime.datetime(2026, 12, 20, 9, 0)),
    )
    return make_superuser()


def test_next_years_notice_is_asked_for_from_1_november_until_it_is_confirmed(staff, clock):
    clock(D(2026, 10, 31))
    assert warning(staff) == ""

    clock(D(2026, 11, 1))
    text = warning(staff)
    assert "2027年的节假日安排尚未录入并确认。" in text
    assert "落在或跨越2027年的期限目前按周一至周五计算，标为“暂定”" in text
    assert "领导信箱：来信的受理、答复、延期和重办期限（目前 1 件暂定）" in text
    assert 'href="/admin/snippets/portal/holidaynotice/add/?year=2027"' in text
    assert "help-warning" in text and "help-critical" not in text

    assert enter_notice(signed_in(staff), 2027, NEW_YEARS_DAY, action=None).status_code == 302
    text = warning(staff)
    assert "已有草稿，尚未确认生效" in text and "核对并确认2027年节假日安排" in text

    assert enter_notice(signed_in(staff), 2027, NEW_YEARS_DAY).status_code == 302
    assert warning(staff) == ""


def test_the_current_years_notice_is_asked_for_at_any_time(staff, clock):
    clock(D(2027, 3, 15))
    text = warning(staff)
    assert "2027年的节假日安排尚未录入并确认。" in text and "今年按工作日计算的期限目前按周一至周五计算" in text
    assert "help-critical" in text and "2028年" not in text

    clock(D(2027, 11, 1))
    text = warning(staff)
    assert "2027年的节假日安排尚未录入并确认。" in text and "2028年的节假日安排尚未录入并确认。" in text


def test_only_staff_who_can_edit_the_calendar_are_warned(staff, clock):
    clock(D(2026, 11, 1))
    official = make_user("calendarclerk", "mailadmin")
    assert warning(official) == ""
    clerks = Group.objects.create(name="日历录入")
    clerks.permissions.add(Permission.objects.get(content_type__app_label="portal", codename="change_holidaynotice"))
    official.groups.add(clerks)
    assert "2027年的节假日安排尚未录入并确认。" in warning(official)
