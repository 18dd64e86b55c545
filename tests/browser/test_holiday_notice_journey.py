"""Issue 17 in a real browser: staff enter next year's holiday notice as the State Council wrote
it — two holidays and one 调休 Saturday — look at the year's calendar before saving, confirm it,
and an open letter's provisional deadline on the desk moves to the right day."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from services.letters import workflow

from ..builders import build_portal, enable_totp, make_superuser
from ..calendar_support import require_unknown_year
from ..letters_support import build_world
from .support import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_date(field, value):
    """Type the date as staff do and leave the field with Tab, which closes the date picker.

    The picker opens 100 ms after the field gains focus (a timer in jquery.datetimepicker). A Tab
    pressed sooner leaves the field first and the picker opens afterwards over the form, where it
    stays and takes the next click. So wait until it is open, as a person sees it, then Tab."""
    field.fill(value)
    expect(field.page.locator(".xdsoft_datetimepicker:visible")).not_to_have_count(0)
    field.press("Tab")
    expect(field).to_have_value(value)


def no_date_picker_open(page):
    expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(0)


def test_staff_enter_and_confirm_a_notice_and_the_desk_counts_again(live_server, page):
    require_unknown_year(2027)
    build_portal()
    world = build_world()
    letter, _password = workflow.submit_letter(
        mailbox=world.county,
        data={"letter_type": "suggest", "topic": "market", "title": "农贸市场改造建议", "content": "建议年内改造。"},
        received_at=timezone.make_aware(datetime.datetime(2026, 12, 20, 10, 0)),
    )
    staff = make_superuser()
    sign_in_to_admin(page, live_server, staff, enable_totp(staff))

    page.goto(live_server.url + "/admin/letters/")
    row = page.locator("tr", has_text=letter.tracking_no)
    expect(row).to_contain_text("2027-01-08")
    expect(row).to_contain_text("暂定")

    page.goto(live_server.url + "/admin/snippets/portal/holidaynotice/")
    page.get_by_role("link", name="添加 节假日安排").first.click()
    page.get_by_role("spinbutton", name="年份").fill("2027")
    page.get_by_role("textbox", name="通知文号").fill("国办发明电〔2026〕9号")
    two_holidays = (("元旦", "2027-01-01", "2027-01-01"), ("春节", "2027-02-06", "2027-02-12"))
    for index, (name, first, last) in enumerate(two_holidays):
        page.get_by_role("button", name="增加 节假日").click()
        page.locator(f"#id_holidays-{index}-name").fill(name)
        fill_date(page.locator(f"#id_holidays-{index}-first_day"), first)
        fill_date(page.locator(f"#id_holidays-{index}-last_day"), last)
        no_date_picker_open(page)
    page.get_by_role("button", name="增加 调休上班日").click()
    fill_date(page.locator("#id_adjusted_workdays-0-date"), "2027-02-20")
    page.locator("#id_adjusted_workdays-0-name").fill("春节调休上班")
    no_date_picker_open(page)

    # The preview panel shows the unsaved form; staff open it full size in a new tab.
    page.get_by_role("button", name="预览开关").click()
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="新标签页预览").click()
    preview = opened.value
    expect(preview.locator("h1")).to_have_text("2027年节假日安排（预览）")
    expect(preview.locator('td[data-date="2027-01-01"]')).to_have_class("day holiday")
    expect(preview.locator('td[data-date="2027-01-01"] .mark')).to_have_text("休")
    expect(preview.locator('td[data-date="2027-02-10"]')).to_have_class("day holiday")
    expect(preview.locator('td[data-date="2027-02-20"]')).to_have_class("day adjusted")
    expect(preview.locator('td[data-date="2027-02-20"] .mark')).to_have_text("班")
    expect(preview.locator("#holiday-summary")).to_contain_text("春节：2027年2月6日至2027年2月12日放假")
    preview.close()

    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("footer").get_by_role("button", name="确认生效").click()
    expect(page.locator(".messages")).to_contain_text("2027年节假日安排")

    page.goto(live_server.url + "/admin/letters/")
    row = page.locator("tr", has_text=letter.tracking_no)
    expect(row).to_contain_text("2027-01-11")
    expect(row).not_to_contain_text("暂定")
    page.get_by_role("link", name="农贸市场改造建议").click()
    expect(page.locator("table.listing").last).to_contain_text("办理期限由2027-01-08调整为2027-01-11")
