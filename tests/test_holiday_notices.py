"""设置 → 节假日安排: staff enter a year's State Council notice as it is written — named holiday
ranges and 调休 working days, one form per year — see the year's calendar before saving, and
confirm it; bad input gets a Chinese message and changes nothing already saved."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission

from portal.models import HolidayNotice
from portal.workdays import add_workdays

from .builders import login_staff, make_superuser
from .calendar_support import NOTICES, enter_notice, notice_form, require_unknown_year
from .letters_support import make_user

pytestmark = pytest.mark.django_db

D = datetime.date
NEW_YEAR = [("元旦", "2027-01-01", "2027-01-03")]
SPRING_FESTIVAL = ("春节", "2027-02-06", "2027-02-14")


@pytest.fixture
def staff(client):
    require_unknown_year(2027)
    return login_staff(client, make_superuser())


def errors(response):
    return re.findall(r'class="error-message"[^>]*>\s*(?:<[^>]+>\s*)*([^<]+)', response.content.decode())


def page_text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize(
    ("holidays", "adjusted", "message"),
    [
        ([("元旦", "2027-01-03", "2027-01-01")], [], "放假结束日不能早于起始日。"),
        ([("元旦", "2028-01-01", "2028-01-01")], [], "日期应在2027年内（可含2026年12月的调休安排）。"),
        ([*NEW_YEAR, ("元旦补假", "2027-01-03", "2027-01-04")], [], "与“元旦”的放假日期重叠。"),
        ([("春节", "2027-02-01", "2027-03-15")], [], "一个节假日放假不超过31天，请检查日期。"),
        (NEW_YEAR, [("2027-02-10", "春节调休上班")], "调休上班日应为周六或周日，2027-02-10是星期三，本来就是工作日。"),
        (NEW_YEAR, [("2027-01-02", "元旦调休上班")], "这一天在“元旦”放假期间内。"),
        (NEW_YEAR, [("2027-02-20", ""), ("2027-02-20", "")], "这一天已经填写过。"),
        ([], [("2027-02-20", "")], "请至少填写一个节假日（节日名称和放假起止日期）。"),
        ([("", "2027-01-01", "2027-01-01")], [], "请填写此项。"),
    ],
)
def test_a_notice_that_does_not_add_up_is_refused_with_the_reason(client, staff, holidays, adjusted, message):
    response = enter_notice(client, 2027, holidays, adjusted)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not HolidayNotice.objects.exists()


def test_a_bad_correction_leaves_the_confirmed_notice_as_it_was(client, staff):
    assert enter_notice(client, 2027, NEW_YEAR).status_code == 302
    response = enter_notice(client, 2027, [*NEW_YEAR, ("春节", "2027-02-14", "2027-02-06")])
    assert "放假结束日不能早于起始日。" in page_text(response)
    notice = HolidayNotice.objects.get()
    assert notice.live and not notice.has_unpublished_changes
    assert [(h.name, h.first_day, h.last_day) for h in notice.holidays.all()] == [
        ("元旦", D(2027, 1, 1), D(2027, 1, 3))
    ]


def test_one_form_per_year_and_the_year_of_a_saved_notice_stays(client, staff):
    assert enter_notice(client, 2027, NEW_YEAR).status_code == 302
    response = client.post(f"{NOTICES}add/", notice_form(2027, NEW_YEAR))
    assert response.status_code == 200 and "已存在" in page_text(response)
    notice = HolidayNotice.objects.get()
    client.post(f"{NOTICES}edit/{notice.pk}/", notice_form(2028, NEW_YEAR, notice=notice))
    notice.refresh_from_db()
    assert notice.year == 2027


def test_the_preview_shows_the_year_as_a_calendar_before_anything_is_saved(client, staff):
    data = notice_form(2027, [*NEW_YEAR, SPRING_FESTIVAL], [("2027-02-20", "春节调休上班")], action=None)
    assert client.post(f"{NOTICES}preview/", data).json() == {"is_valid": True, "is_available": True}
    html = client.get(f"{NOTICES}preview/").content.decode()
    assert not HolidayNotice.objects.exists()
    assert "2027年节假日安排（预览）" in html
    assert html.count('<table class="month"') == 12
    cell = re.compile(r'<td class="day (\w+)" data-date="([\d-]+)" title="([^"]*)"')
    cells = {day: (kind, title) for kind, day, title in cell.findall(html)}
    assert len(cells) == 365
    assert cells["2027-01-01"] == ("holiday", "放假：元旦")
    assert cells["2027-02-08"] == ("holiday", "放假：春节")  # a Monday
    assert cells["2027-02-20"] == ("adjusted", "上班：春节调休上班")  # a Saturday
    assert cells["2027-02-21"][0] == "weekend" and cells["2027-02-22"][0] == "workday"
    text = re.sub(r"<[^>]+>", "", html)
    assert "元旦：2027年1月1日至2027年1月3日放假" in text
    assert "2027年2月20日（星期六）上班：春节调休上班" in text
    # 261 weekdays in 2027, 1 (元旦) + 5 (春节) of them off, one Saturday worked.
    assert "2027年共 256 个工作日，节假日占用周一至周五 6 天。" in text


def test_the_preview_of_a_correction_shows_the_correction_not_the_confirmed_days(client, staff):
    assert enter_notice(client, 2027, NEW_YEAR).status_code == 302
    notice = HolidayNotice.objects.get()
    data = notice_form(2027, [("元旦", "2027-01-01", "2027-01-01")], notice=notice, action=None)
    assert client.post(f"{NOTICES}preview/{notice.pk}/", data).json()["is_valid"]
    html = client.get(f"{NOTICES}preview/{notice.pk}/").content.decode()
    assert 'data-date="2027-01-01" title="放假：元旦"' in html and "元旦：2027年1月1日放假" in html
    assert 'class="day weekend" data-date="2027-01-02"' in html
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)  # the confirmed version still counts


def test_drafts_are_listed_as_not_in_force_and_confirmation_is_named_as_such(client, staff):
    assert enter_notice(client, 2027, NEW_YEAR, action=None).status_code == 302
    listing = page_text(client.get(NOTICES))
    assert "2027年节假日安排" in listing and "草稿，尚未生效" in listing
    edit = client.get(f"{NOTICES}edit/{HolidayNotice.objects.get().pk}/").content.decode()
    assert "确认生效" in edit
    assert enter_notice(client, 2027, NEW_YEAR).status_code == 302
    assert "已确认生效" in page_text(client.get(NOTICES))


def test_only_staff_given_the_calendar_permissions_enter_or_confirm_notices(client):
    require_unknown_year(2027)
    official = make_user("mailadmin", "mailadmin")
    login_staff(client, official)
    assert client.get(f"{NOTICES}add/").status_code == 302  # sent away: no permission
    assert client.post(f"{NOTICES}add/", notice_form(2027, NEW_YEAR)).status_code == 302
    assert not HolidayNotice.objects.exists()

    # A group that may enter drafts but not confirm them.
    clerks = Group.objects.create(name="日历录入")
    clerks.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="portal", codename__in=["add_holidaynotice", "change_holidaynotice"]
        )
    )
    official.groups.add(clerks)
    assert enter_notice(client, 2027, NEW_YEAR, action=None).status_code == 302
    enter_notice(client, 2027, NEW_YEAR)  # the confirm button is not theirs
    notice = HolidayNotice.objects.get()
    assert not notice.live
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
