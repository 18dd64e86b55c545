"""The booking's doors for the person: confirmation by SMS and e-mail with the code, a signed
link and a calendar file; cancelling and rescheduling through the account or the link; and bad
input answered in Chinese without changing anything."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from icalendar import Calendar

from portal import sms
from services.appointments import booking as rules
from services.appointments.links import manage_token
from services.appointments.models import Booking, BookingEvent, Slot

from .support import at, book_through_page, signed_in

pytestmark = pytest.mark.django_db


def snapshot():
    return list(Booking.objects.order_by("pk").values_list("pk", "state", "slot_id")), list(
        Slot.objects.order_by("pk").values_list("pk", "booked")
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_booking_gives_a_code_sms_and_e_mail_with_a_signed_link_and_a_calendar_file(world, travel, run_tasks):
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.citizen)

    response = book_through_page(client, "bdcdj", "202609301000", follow=True)
    booking = Booking.objects.get(user=world.citizen)
    run_tasks()

    page = response.content.decode()
    assert f"您的预约码是 {booking.code}" in page and "身份证原件" in page
    text = next(message.text for message in sms.outbox if message.phone == "13900000001")
    token = manage_token(booking)
    assert booking.code in text and f"/appointments/manage/{token}/" in text and "2026年9月30日" in text
    assert "10:00" in text and "县政务服务中心一楼" in text
    (email,) = [message for message in mail.outbox if message.to == ["zhang@example.cn"]]
    assert "1. 身份证原件" in email.body and f"/appointments/manage/{token}/calendar.ics" in email.body

    ics = Client().get(f"/appointments/manage/{token}/calendar.ics")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"TZID:Asia/Shanghai" in ics.content and b"BEGIN:VTIMEZONE" in ics.content
    assert event.decoded("dtstart") == at("2026-09-30 10:00")
    assert event.decoded("dtend") == booking.slot.ends_at  # the booked time, not the service's duration
    assert booking.slot.ends_at - booking.slot.starts_at == datetime.timedelta(minutes=world.service.slot_minutes)
    assert str(event["status"]) == "CONFIRMED" and booking.code in str(event["description"])


def test_the_signed_link_cancels_and_reschedules_without_signing_in(world, travel):
    travel("2026-09-29 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="张明")
    link = f"/appointments/manage/{manage_token(booking)}/"
    visitor = Client()

    moved = visitor.post(link + "reschedule/", {"slot": "202610081400"}, follow=True)
    booking.refresh_from_db()
    assert "改约成功" in moved.content.decode() and booking.slot.starts_at == at("2026-10-08 14:00")
    assert Slot.objects.get(starts_at=at("2026-09-30 10:00")).booked == 0

    visitor.post(link + "cancel/")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert Slot.objects.get(starts_at=at("2026-10-08 14:00")).booked == 0
    assert list(booking.events.values_list("action", flat=True)) == [
        BookingEvent.Action.BOOKED,
        BookingEvent.Action.RESCHEDULED,
        BookingEvent.Action.CANCELLED,
    ]
    ics = visitor.get(link + "calendar.ics")
    assert str(Calendar.from_ical(ics.content).walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_a_slot_in_the_past_is_refused(world, travel):
    travel("2026-09-30 11:00")
    client = signed_in(Client(), world.citizen)

    response = book_through_page(client, "bdcdj", "202609291000")

    assert "所选时段已经过去，不能预约，请选择其他时段。" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_name_of_invisible_characters_or_two_lines_and_a_short_slot_key_are_refused(world, travel):
    """What a desk reads must be what was typed: a name of zero-width spaces (which passes for two
    characters) or one carrying a line break is refused; so is a slot key one digit short, which
    a lenient date parser would read as a real time."""
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.citizen)

    for name in ("\u200b\u200b", "张明\r\nATTENDEE:x"):
        page = book_through_page(client, "bdcdj", "202609301000", name=name).content.decode()
        assert "此处只能填写一行可见的文字，不能含有换行或不可见的控制字符" in page, name
    page = book_through_page(client, "bdcdj", "20260930100").content.decode()
    assert "所选时段无效，请重新选择。" in page
    assert not Booking.objects.exists()

    # The same rule through the booking function every other door calls.
    with pytest.raises(ValidationError) as refused:
        rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="\u200b\u200b")
    assert "不可见的控制字符" in str(refused.value.message_dict["name"])
    assert not Booking.objects.exists()


def test_my_bookings_list_the_next_one_due_first(world, travel):
    travel("2026-09-29 08:00")
    for when in ("2026-10-08 10:00", "2026-09-30 10:00"):
        rules.book(world.citizen, world.service, at(when), name="张明")
    page = signed_in(Client(), world.citizen).get("/appointments/my/").content.decode()
    assert page.index("2026-09-30 10:00") < page.index("2026-10-08 10:00")


def test_opening_a_cancel_or_rate_address_shows_the_booking_and_changes_nothing(world, travel):
    """Those addresses act on POST only; opened as a link they lead to the booking's page (with
    its buttons), never to a blank page."""
    travel("2026-09-29 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="张明")
    before = snapshot()
    client = signed_in(Client(), world.citizen)
    for action in ("cancel", "rate"):
        response = client.get(f"/appointments/my/{booking.code}/{action}/")
        assert response.status_code == 302 and response["Location"] == f"/appointments/my/{booking.code}/"
    token = manage_token(booking)
    response = Client().get(f"/appointments/manage/{token}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"/appointments/manage/{token}/"
    assert snapshot() == before


def test_another_persons_booking_code_opens_and_changes_nothing(world, travel):
    travel("2026-09-29 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="张明")
    before = snapshot()
    intruder = signed_in(Client(), world.other_citizen)

    pages = [
        intruder.get(f"/appointments/my/{booking.code}/"),
        intruder.post(f"/appointments/my/{booking.code}/cancel/"),
        intruder.post(f"/appointments/my/{booking.code}/reschedule/", {"slot": "202610081000"}),
        intruder.get(f"/appointments/my/{booking.code}/calendar.ics"),
        intruder.post(f"/appointments/my/{booking.code}/rate/", {"level": "1", "comment": "很不满意的服务"}),
    ]

    for page in pages:
        assert page.status_code == 404
        assert "未找到该预约。请核对预约码；登录后只能查看和办理本人的预约。" in page.content.decode()
    assert snapshot() == before


def test_a_tampered_signed_link_opens_and_changes_nothing(world, travel):
    travel("2026-09-29 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="张明")
    other, _created = rules.book(world.other_citizen, world.service, at("2026-09-30 10:30"), name="李华")
    token = manage_token(booking)
    forged = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        other.code + token[len(booking.code) :],  # another booking's code with this signature
        token[: len(token) // 2],  # cut off
    ]
    before = snapshot()

    for bad in forged:
        for response in (
            Client().get(f"/appointments/manage/{bad}/"),
            Client().post(f"/appointments/manage/{bad}/cancel/"),
            Client().post(f"/appointments/manage/{bad}/reschedule/", {"slot": "202610081000"}),
        ):
            assert response.status_code == 400
            assert "链接无效：链接不完整或已被修改" in response.content.decode()
    assert snapshot() == before


def test_a_closed_day_is_refused(world, travel):
    travel("2026-09-29 08:00")
    rules.close(world.service, at("2026-09-30 00:00").date(), world.desk, "系统升级")
    client = signed_in(Client(), world.citizen)

    response = book_through_page(client, "bdcdj", "202609301000")

    assert "2026年9月30日该事项停办（系统升级），请选择其他日期。" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_service_that_does_not_exist_is_answered_in_chinese(world, travel):
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.citizen)
    world.service.is_active = False
    world.service.save()

    for url in ("/appointments/services/nope/", "/appointments/services/不存在/", "/appointments/services/bdcdj/"):
        for response in (client.get(url), client.post(url, {"slot": "202609301000", "name": "张明"})):
            assert response.status_code == 404
            assert "该预约事项不存在或已停止网上预约" in response.content.decode()
    assert not Booking.objects.exists()


def test_signed_out_visitors_see_the_free_slots_and_are_asked_to_sign_in(world, travel):
    travel("2026-09-29 08:00")
    rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="张明")

    page = Client().get("/appointments/services/bdcdj/").content.decode()
    post = Client().post("/appointments/services/bdcdj/", {"slot": "202609301000"})

    assert "余2个" in page and "登录后预约" in page and 'name="slot"' not in page
    assert post.status_code == 302 and post["Location"].startswith("/accounts/login/")
    assert Booking.objects.count() == 1


def test_deleting_the_account_cancels_upcoming_bookings_and_strips_the_person(world, travel):
    travel("2026-09-29 08:00")
    upcoming, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:00"), name="张明")
    client = signed_in(Client(), world.citizen)

    client.post("/accounts/me/delete/", {"password": "Qingshan#2026"})

    upcoming.refresh_from_db()
    assert upcoming.state == Booking.State.CANCELLED
    assert (upcoming.name, upcoming.phone, upcoming.email) == ("", "", "")
    assert Slot.objects.get(pk=upcoming.slot_id).booked == 0
