"""The booking rules through the public pages: the window in working days (调休 and holidays
from the shared calendar), the cut-off, one booking per person, service and day, the limit of
active bookings, and services for verified lawyers with an approved case binding."""

import pytest
from django.test import Client

from services.appointments.models import Booking

from ..builders import login_staff
from .support import at, book_through_page, offered_slots, signed_in

pytestmark = pytest.mark.django_db


def errors_of(response):
    return response.content.decode()


def test_the_window_counts_working_days_skips_the_holiday_and_opens_the_adjusted_saturday(world, travel):
    travel("2026-09-29 08:00")  # Tuesday before the National Day week (10-01 … 10-07 off, Sat 10-10 worked)
    client = signed_in(Client(), world.citizen)

    days = {key[:8] for key in offered_slots(client, "bdcdj")}

    # Five working days ahead: 9-30, 10-08, 10-09, 10-10 (调休 Saturday) and 10-12; today as well.
    assert days == {"20260929", "20260930", "20261008", "20261009", "20261010", "20261012"}
    response = book_through_page(client, "bdcdj", "202610100900")
    assert response.status_code == 302
    assert Booking.objects.get(user=world.citizen).slot.starts_at.date().isoformat() == "2026-10-10"


def test_a_service_without_adjusted_day_hours_stays_closed_on_the_adjusted_saturday(world, travel):
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.lawyer)

    assert "20261010" not in {key[:8] for key in offered_slots(client, "yj")}


def test_a_holiday_and_a_day_beyond_the_window_are_refused_with_the_reason(world, travel):
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.citizen)

    holiday = book_through_page(client, "bdcdj", "202610050900")
    too_far = book_through_page(client, "bdcdj", "202610130900")

    assert "节假日和停办日不开放" in errors_of(holiday)
    assert "只能预约5个工作日以内的时段（最晚到2026年10月12日）" in errors_of(too_far)
    assert not Booking.objects.exists()


def test_booking_closes_at_the_cut_off(world, travel):
    travel("2026-09-30 08:00")
    client = signed_in(Client(), world.citizen)

    late = book_through_page(client, "bdcdj", "202609300930")  # 1 h 30 min ahead
    in_time = book_through_page(client, "bdcdj", "202609301030")  # 2 h 30 min ahead

    assert "已过预约截止时间（开始前120分钟截止）" in errors_of(late)
    assert in_time.status_code == 302
    assert Booking.objects.filter(user=world.citizen).count() == 1


def test_cancelling_and_rescheduling_close_at_the_cut_off(world, travel):
    travel("2026-09-30 08:00")
    client = signed_in(Client(), world.citizen)
    book_through_page(client, "bdcdj", "202609301030")
    booking = Booking.objects.get(user=world.citizen)

    travel("2026-09-30 08:45")
    cancel = client.post(f"/appointments/my/{booking.code}/cancel/", follow=True)
    move = client.post(f"/appointments/my/{booking.code}/reschedule/", {"slot": "202610081000"})

    assert "已过取消截止时间" in cancel.content.decode()
    assert "该预约已不能改约" in move.content.decode()
    booking.refresh_from_db()
    assert booking.state == Booking.State.BOOKED and booking.slot.starts_at == at("2026-09-30 10:30")


def test_one_booking_per_person_service_and_day(world, travel):
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.citizen)
    first = book_through_page(client, "bdcdj", "202609300900")

    second = book_through_page(client, "bdcdj", "202609301400")
    other_day = book_through_page(client, "bdcdj", "202610080900")

    code = Booking.objects.filter(user=world.citizen).order_by("pk").first().code
    assert first.status_code == 302 and other_day.status_code == 302
    assert f"您已预约2026年9月30日的该事项（预约码 {code}）。每人每个事项每天只能预约一次。" in errors_of(second)
    assert Booking.objects.filter(user=world.citizen).count() == 2


def test_a_person_holds_at_most_three_upcoming_bookings(world, travel):
    travel("2026-09-29 08:00")
    client = signed_in(Client(), world.citizen)
    for slot in ("202609300900", "202610080900", "202610090900"):
        assert book_through_page(client, "bdcdj", slot).status_code == 302

    fourth = book_through_page(client, "bdcdj", "202610120900")
    assert "您已有3个尚未办理的预约，达到上限" in errors_of(fourth)

    booking = Booking.objects.filter(user=world.citizen).first()
    client.post(f"/appointments/my/{booking.code}/cancel/")
    assert book_through_page(client, "bdcdj", "202610120900").status_code == 302
    assert Booking.objects.filter(user=world.citizen, state=Booking.State.BOOKED).count() == 3


def test_file_review_is_refused_to_citizens_and_to_lawyers_without_an_approved_binding(world, travel):
    travel("2026-09-29 08:00")
    citizen = signed_in(Client(), world.citizen)
    unbound = signed_in(Client(), world.unbound_lawyer)

    citizen_page = citizen.get("/appointments/services/yj/").content.decode()
    citizen_post = citizen.post("/appointments/services/yj/", {"slot": "202609300900", "name": "张明"})
    unbound_post = unbound.post("/appointments/services/yj/", {"slot": "202609300900", "name": "周律师"})

    assert "该事项仅向已通过认证的律师开放" in citizen_page and 'name="slot"' not in citizen_page
    assert citizen_post.status_code == 403 and "该事项仅向已通过认证的律师开放" in citizen_post.content.decode()
    assert unbound_post.status_code == 403 and "须先绑定代理的案件" in unbound_post.content.decode()
    assert not Booking.objects.exists()


def test_a_lawyer_books_file_review_only_on_a_case_with_an_approved_binding(world, travel):
    travel("2026-09-29 08:00")
    lawyer = signed_in(Client(), world.lawyer)

    wrong_case = book_through_page(lawyer, "yj", "202609300900", binding="999999")
    assert "请选择您已获准绑定的案件" in errors_of(wrong_case)
    assert not Booking.objects.exists()

    right_case = book_through_page(lawyer, "yj", "202609300900", binding=str(world.binding.pk))
    assert right_case.status_code == 302
    assert Booking.objects.get(user=world.lawyer).case.case_number == "青山检刑受〔2026〕12号"


def test_a_lawyer_whose_verification_is_revoked_can_no_longer_book_file_review(world, travel):
    travel("2026-09-29 08:00")
    staff = login_staff(Client(), world.casemgr)
    lawyer = signed_in(Client(), world.lawyer)
    assert 'name="slot"' in lawyer.get("/appointments/services/yj/").content.decode()

    staff.post(
        f"/admin/accounts/lawyers/{world.lawyer.lawyer_profile.pk}/", {"action": "revoke", "reason": "执业证已被吊销"}
    )

    page = lawyer.get("/appointments/services/yj/").content.decode()
    post = lawyer.post(
        "/appointments/services/yj/", {"slot": "202609300900", "name": "周律师", "binding": str(world.binding.pk)}
    )
    assert "该事项仅向已通过认证的律师开放" in page and 'name="slot"' not in page
    assert post.status_code == 403 and not Booking.objects.exists()
