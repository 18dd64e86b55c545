"""在线预约 in a real browser: a citizen books a slot (answering the 图形验证码 from the
picture), receives the confirmation code by SMS, the service-centre desk checks them in on the
day sheet, and after the service the citizen rates it."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from portal import sms, workdays
from services.appointments.models import Booking, Rating

from ..appointments.support import SHANGHAI, build_world
from ..builders import enable_totp
from .support import sign_in_to_admin, submit_with_captcha

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def moment(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def test_a_citizen_books_is_checked_in_and_rates_the_service(live_server, browser, page, run_tasks):
    # The next working day, before the centre opens (the browser's own clock is not moved:
    # the day is the real next working day, so its cookies keep their real lifetimes).
    day = workdays.add_workdays(timezone.localdate(), 1)
    while day.weekday() >= 5:  # the test service opens on an adjusted Saturday only in the morning
        day = workdays.add_workdays(day, 1)
    with time_machine.travel(moment(day, 7), tick=True) as clock:
        world = build_world()
        sms.outbox.clear()
        desk = world.desk
        desk.raw_password = "Test#Letters2026"
        secret = enable_totp(desk)

        # The citizen signs in, opens the service from 在线预约 and books 11:00.
        page.goto(live_server.url + "/appointments/")
        page.get_by_role("link", name="不动产转移登记").click()
        page.get_by_role("link", name="登录后预约").click()
        page.get_by_label("手机号码、电子邮箱或用户名").fill("13900000001")
        page.get_by_label("密码").fill(world.citizen.raw_password)
        page.locator("main button[type=submit]").first.click()
        page.wait_for_url("**/appointments/services/bdcdj/")
        assert "身份证原件" in page.locator("main").inner_text()
        page.locator(f'input[name=slot][value="{day:%Y%m%d}1100"]').check()
        assert page.get_by_label("预约人姓名").input_value() == "张明"
        submit_with_captcha(page, page.get_by_role("button", name="提交预约"))
        page.wait_for_url("**/appointments/my/*/")
        code = page.locator("#booking-code").inner_text().strip()
        assert f"您的预约码是 {code}" in page.locator(".messages").inner_text()
        assert "不动产权证书" in page.locator("main").inner_text()

        # The confirmation reaches the citizen's phone with the code.
        run_tasks()
        assert any(code in message.text for message in sms.outbox if message.phone == "13900000001")

        # On the day, the desk checks the citizen in by the code on the day sheet.
        clock.move_to(moment(day, 10, 50))
        staff = browser.new_context(locale="zh-CN").new_page()
        sign_in_to_admin(staff, live_server, desk, secret)
        staff.goto(live_server.url + "/admin/appointments/")
        row = staff.locator(f'tr[data-code="{code}"]')
        assert "张明" in row.inner_text() and "139****0001" in row.inner_text()
        staff.get_by_label("预约码").fill(code.lower())
        staff.get_by_role("button", name="签到", exact=True).first.click()
        assert "已签到" in staff.locator(".messages").inner_text()
        assert "已签到" in staff.locator(f'tr[data-code="{code}"] .booking-state').inner_text()

        # After the service the citizen rates it.
        clock.move_to(moment(day, 11, 40))
        page.reload()
        assert page.locator("#booking-state").inner_text().strip() == "已签到"
        page.get_by_label("满意", exact=True).check()
        page.get_by_role("button", name="提交评价").click()
        assert "感谢您的评价。" in page.locator(".messages").inner_text()
        assert "我的评价" in page.locator("main").inner_text()

    booking = Booking.objects.get(code=code)
    assert booking.state == Booking.State.CHECKED_IN and booking.rating.level == Rating.Level.SATISFIED
