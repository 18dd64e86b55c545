"""Reminders the working day before (never for cancelled bookings), 好差评 after the service
with the follow-up of a poor rating and its deadline in working days, and the leader
reception days with the matter each booker brings to the 信访 desk."""

import datetime

import pytest
from django.test import Client

from portal import sms
from services.appointments import booking as rules
from services.appointments.models import Booking, FollowUp, Rating

from ..builders import login_staff
from .support import add_reception_day, at, book_through_page, signed_in

DESK = "/admin/appointments/"


def reminders_to(phone):
    return [message.text for message in sms.outbox if message.phone == phone and "温馨提示" in message.text]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reminders_go_out_the_working_day_before_and_never_for_cancelled_bookings(world, travel, run_tasks):
    travel("2026-09-28 09:00")
    kept, _created = rules.book(world.citizen, world.service, at("2026-10-08 09:00"), name="张明")
    cancelled, _created = rules.book(world.other_citizen, world.service, at("2026-10-08 09:30"), name="李华")
    moved, _created = rules.book(world.lawyer, world.service, at("2026-10-08 10:00"), name="周律师")
    rules.cancel(cancelled, world.other_citizen)
    rules.reschedule(moved, world.lawyer, at("2026-10-09 10:00"))

    travel("2026-09-30 15:59")  # the working day before 10-08 is 09-30: the National Day week is off
    run_tasks()
    assert not reminders_to("13900000001")

    travel("2026-09-30 16:00")
    run_tasks()
    (text,) = reminders_to("13900000001")
    assert kept.code in text and "2026年10月8日（星期四）09:00" in text
    assert not reminders_to("13900000002") and not reminders_to("13900000003")

    travel("2026-10-08 16:00")
    run_tasks()
    (text,) = reminders_to("13900000003")
    assert "2026年10月9日（星期五）10:00" in text
    run_tasks()
    assert len(reminders_to("13900000001")) == 1 and len(reminders_to("13900000003")) == 1
    assert not Booking.objects.get(pk=cancelled.pk).events.filter(action="reminded").exists()


@pytest.mark.django_db
def test_rating_after_check_in_once_and_a_poor_one_opens_a_follow_up_due_in_five_working_days(world, travel):
    travel("2026-09-30 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:30"), name="张明")
    person = signed_in(Client(), world.citizen)
    rate = f"/appointments/my/{booking.code}/rate/"

    early = person.post(rate, {"level": "5"}, follow=True).content.decode()
    assert "办理签到后才能评价本次服务。" in early and not Rating.objects.exists()

    rules.check_in(booking.code, world.desk)
    bare = person.post(rate, {"level": "2"}, follow=True).content.decode()
    assert "请简要说明不满意的原因" in bare and not Rating.objects.exists()
    person.post(rate, {"level": "2", "comment": "窗口人员态度生硬，让我跑了两趟。"})
    again = person.post(rate, {"level": "5"}, follow=True).content.decode()
    assert "您已评价过本次服务，每次服务只能评价一次。" in again

    rating = Rating.objects.get()
    assert rating.level == Rating.Level.DISSATISFIED
    follow_up = FollowUp.objects.get(rating=rating)
    # 5 working days after 9-30: 10-08, 10-09, 10-10 (调休 Saturday), 10-12, 10-13.
    assert follow_up.due_on == datetime.date(2026, 10, 13) and follow_up.department == world.land
    page = person.get(f"/appointments/my/{booking.code}/").content.decode()
    assert "您的意见已转县自然资源和规划局核实整改，将在2026年10月13日前反馈。" in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_follow_up_deadline_shows_on_the_desk_and_its_outcome_reaches_the_person(world, travel, run_tasks):
    travel("2026-09-30 08:00")
    booking, _created = rules.book(world.citizen, world.service, at("2026-09-30 10:30"), name="张明")
    rules.check_in(booking.code, world.desk)
    signed_in(Client(), world.citizen).post(
        f"/appointments/my/{booking.code}/rate/", {"level": "1", "comment": "等了一个小时才办理。"}
    )
    follow_up = FollowUp.objects.get()

    travel("2026-10-12 09:00")
    land = login_staff(Client(), world.land_desk)
    assert "2026-10-13" in land.get(DESK).content.decode() and "1 个工作日" in land.get(DESK).content.decode()
    travel("2026-10-14 09:00")
    land = login_staff(Client(), world.land_desk)
    assert "已超期 1 个工作日" in land.get(DESK).content.decode()
    assert follow_up.rating.booking.code not in login_staff(Client(), world.other_desk).get(DESK).content.decode()

    land.post(f"{DESK}follow-ups/{follow_up.pk}/", {"outcome": "已约谈窗口负责人，增设一个综合窗口分流。"})
    run_tasks()

    follow_up.refresh_from_db()
    assert follow_up.state == FollowUp.State.CLOSED and follow_up.closed_by == world.land_desk
    assert any("增设一个综合窗口" in message.text for message in sms.outbox if message.phone == "13900000001")
    page = signed_in(Client(), world.citizen).get(f"/appointments/my/{booking.code}/").content.decode()
    assert "县自然资源和规划局整改反馈：已约谈窗口负责人" in page


@pytest.mark.django_db
def test_a_reception_day_is_published_and_its_bookings_bring_the_matter_to_the_petition_desk(world, travel):
    travel("2026-09-29 08:00")
    add_reception_day(world, datetime.date(2026, 9, 30))

    listing = Client().get("/appointments/receptions/").content.decode()
    assert "2026年9月30日 星期三" in listing and "县长王建国" in listing and "县信访接待中心" in listing

    person = signed_in(Client(), world.citizen)
    bare = book_through_page(person, "ldjf", "202609300930")
    assert "请简要填写要反映的事项。" in bare.content.decode() and not Booking.objects.exists()
    book_through_page(person, "ldjf", "202609300930", matter="小区加装电梯的补贴迟迟没有发放，请求协调解决。")
    booking = Booking.objects.get()
    assert booking.slot.reception_day.leader_name == "王建国"

    sheet = login_staff(Client(), world.petition_desk).get(DESK, {"date": "2026-09-30"}).content.decode()
    assert booking.code in sheet and "小区加装电梯的补贴迟迟没有发放" in sheet
    assert "不动产转移登记" not in sheet
    assert booking.code not in login_staff(Client(), world.desk).get(DESK, {"date": "2026-09-30"}).content.decode()
