"""The staff desk (预约工作台): the day sheet scoped to the staff member's department, check-in
by code, no-shows and the suspension they lead to, closing a slot or a day with notification,
and the Excel export."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from portal import sms
from services.appointments import booking as rules
from services.appointments.models import Booking, Slot, Suspension

from ..builders import login_staff
from .support import at, book_through_page, signed_in

pytestmark = pytest.mark.django_db

DESK = "/admin/appointments/"


def desk_of(user):
    return login_staff(Client(), user)


def test_the_day_sheet_shows_the_departments_services_only(world, travel):
    travel("2026-09-29 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-29 10:30"), name="张明")

    centre = desk_of(world.desk).get(DESK).content.decode()
    land = desk_of(world.land_desk).get(DESK).content.decode()
    other = desk_of(world.other_desk).get(DESK).content.decode()
    citizen = signed_in(Client(), world.citizen).get(DESK)

    assert booking.code in centre and "张明" in centre and "139****0001" in centre and "13900000001" not in centre
    assert "不动产转移登记" in land and booking.code in land
    assert "律师阅卷" not in centre
    assert booking.code not in other and "所选日期没有可办理的事项。" in other
    assert citizen.status_code == 302 and not citizen["Location"].startswith(DESK)


def test_check_in_by_code_on_the_day(world, travel):
    travel("2026-09-29 08:00")
    today, _created = rules.book(world.citizen, world.service, at("2026-09-29 10:30"), name="张明")
    tomorrow, _created = rules.book(world.other_citizen, world.service, at("2026-09-30 10:30"), name="李华")
    lawyer, _created = rules.book(
        world.lawyer, world.file_review, at("2026-09-29 10:30"), name="周律师", binding_id=world.binding.pk
    )
    desk = desk_of(world.desk)

    def check_in(code):
        return desk.post(DESK + "check-in/", {"code": code}, follow=True).content.decode()

    assert "未找到预约码 ZZZZ2222 的预约" in check_in("zzzz-2222")
    assert f"未找到预约码 {lawyer.code} 的预约" in check_in(lawyer.code)  # another department's service
    assert f"预约码 {tomorrow.code} 预约的是2026年9月30日（星期三）10:30，只能在当天签到。" in check_in(tomorrow.code)
    done = check_in(today.code.lower())
    assert f"张明（预约码 {today.code}，不动产转移登记 10:30）已签到。" in done
    assert f"预约码 {today.code} 已于08:00签到。" in check_in(today.code)
    today.refresh_from_db()
    tomorrow.refresh_from_db()
    assert today.state == Booking.State.CHECKED_IN and tomorrow.state == Booking.State.BOOKED
    assert list(today.events.values_list("action", flat=True)) == ["booked", "checked_in"]


def test_two_no_shows_in_ninety_days_suspend_online_booking_with_dates_and_appeal(world, travel):
    travel("2026-09-29 08:00")
    first, _created = rules.book(world.citizen, world.service, at("2026-09-29 10:30"), name="张明")
    second, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:30"), name="张明")
    desk = desk_of(world.desk)

    early = desk.post(f"{DESK}bookings/{first.pk}/no-show/", follow=True).content.decode()
    assert "预约时段尚未开始，不能登记爽约。" in early

    travel("2026-09-29 11:00")
    desk.post(f"{DESK}bookings/{first.pk}/no-show/")
    assert not Suspension.objects.exists()
    travel("2026-09-30 11:00")
    desk = desk_of(world.desk)
    desk.post(f"{DESK}bookings/{second.pk}/no-show/")

    suspension = Suspension.objects.get(user=world.citizen)
    assert (suspension.starts_on, suspension.ends_on) == (datetime.date(2026, 9, 30), datetime.date(2026, 12, 29))
    person = signed_in(Client(), world.citizen)
    notice = person.get("/appointments/my/suspension/").content.decode()
    assert "2026年9月30日 — 2026年12月29日" in notice and "90日内爽约2次（9月29日、9月30日）" in notice
    assert "提交申诉" in notice and "0123-8821345" in notice
    refused = person.post("/appointments/services/bdcdj/", {"slot": "202610081000", "name": "张明"})
    assert refused.status_code == 403 and "您的网上预约已暂停至2026年12月29日" in refused.content.decode()

    person.post("/appointments/my/suspension/", {"reason": "当天突发急病住院，已有医院证明。"})
    decision = {f"{suspension.appeals.get().pk}-grant": "1", f"{suspension.appeals.get().pk}-decision": "情况属实"}
    desk.post(f"{DESK}appeals/{suspension.appeals.get().pk}/", decision)
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None
    assert book_through_page(person, "bdcdj", "202610081000").status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_a_day_calls_off_its_bookings_and_tells_each_booker(world, travel, run_tasks):
    travel("2026-09-29 08:00")
    first, _created = rules.book(world.citizen, world.service, at("2026-09-30 09:00"), name="张明")
    second, _created = rules.book(world.other_citizen, world.service, at("2026-09-30 14:30"), name="李华")
    kept, _created = rules.book(world.citizen, world.service, at("2026-10-08 09:00"), name="张明")
    desk = desk_of(world.desk)

    response = desk.post(f"{DESK}close/{world.service.pk}/2026-09-30/", {"slot": "", "reason": "系统升级"}, follow=True)
    run_tasks()

    assert "已停办，已通知2位预约人。" in response.content.decode()
    for item in (first, second, kept):
        item.refresh_from_db()
    assert first.state == second.state == Booking.State.CALLED_OFF and kept.state == Booking.State.BOOKED
    for phone, code in (("13900000001", first.code), ("13900000002", second.code)):
        texts = [message.text for message in sms.outbox if message.phone == phone and "停办" in message.text]
        assert len(texts) == 1 and code in texts[0] and "系统升级" in texts[0]
    assert not Slot.objects.filter(date=datetime.date(2026, 9, 30), booked__gt=0).exists()
    again = book_through_page(signed_in(Client(), world.other_citizen), "bdcdj", "202609301000")
    assert "该事项停办（系统升级）" in again.content.decode()


def test_closing_one_slot_leaves_the_rest_of_the_day_open(world, travel):
    travel("2026-09-29 08:00")
    first, _created = rules.book(world.citizen, world.service, at("2026-09-30 09:00"), name="张明")
    second, _created = rules.book(world.other_citizen, world.service, at("2026-09-30 09:30"), name="李华")

    desk_of(world.desk).post(
        f"{DESK}close/{world.service.pk}/2026-09-30/", {"slot": "202609300900", "reason": "窗口检修"}
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Booking.State.CALLED_OFF and second.state == Booking.State.BOOKED
    page = signed_in(Client(), world.other_citizen).get("/appointments/services/bdcdj/").content.decode()
    assert 'value="202609300900" disabled' in page and 'value="202610081000">' in page


def test_a_desk_cannot_close_another_departments_service_or_a_past_day(world, travel):
    travel("2026-09-29 08:00")
    booking, _created = rules.book(
        world.lawyer, world.file_review, at("2026-09-30 09:00"), name="周律师", binding_id=world.binding.pk
    )

    other = desk_of(world.desk).post(f"{DESK}close/{world.file_review.pk}/2026-09-30/", {"reason": "测试"})
    past = (
        desk_of(world.desk)
        .post(f"{DESK}close/{world.service.pk}/2026-09-28/", {"reason": "补登"}, follow=True)
        .content.decode()
    )

    assert other.status_code == 404
    assert "不能停办已经过去的日期。" in past
    booking.refresh_from_db()
    assert booking.state == Booking.State.BOOKED


def test_the_day_sheet_exports_to_excel_with_phones_masked(world, travel):
    travel("2026-09-29 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:30"), name="=HYPERLINK(1)")

    response = desk_of(world.desk).get(DESK + "export/", {"date": "2026-09-30"})

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("日期", "时段", "事项", "地点", "预约码")
    assert rows[1][1:8] == (
        "10:30—11:00",
        "不动产转移登记",
        "县政务服务中心一楼",
        booking.code,
        "=HYPERLINK(1)",
        "139****0001",
        "已预约",
    )
    assert b"13900000001" not in response.content
