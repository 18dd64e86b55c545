"""Bookings made before a revocation: when case-management staff revoke a lawyer's verification,
the lawyer's upcoming bookings of lawyer-only services are cancelled; when they revoke a binding,
the upcoming 阅卷 and 会见 on that case are. Places go back as in a cancellation, the history says
why, and the lawyer's one revocation notice lists them. Past, cancelled and other bookings stay."""

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from services.appointments.models import Booking, BookingEvent, Service, Slot

from ..builders import login_staff
from .support import approved_binding, book_through_page, plan_weekdays, signed_in

pytestmark = pytest.mark.django_db

OTHER_CASE = "青山检刑受〔2026〕13号"


def lawyer_texts(world):
    return [
        task.args_kwargs["args"][1]
        for task in DBTaskResult.objects.filter(task_path="portal.notifications.send_sms_task").order_by("enqueued_at")
        if task.args_kwargs["args"][0] == world.lawyer.phone
    ]


def meeting_service(world):
    meeting = Service.objects.create(
        name="律师约见检察官",
        slug="hj",
        kind=Service.Kind.MEETING,
        department=world.procuratorate,
        location=world.file_review.location,
        capacity=2,
    )
    plan_weekdays(meeting, ((9, 0), (11, 0)))
    return meeting


def second_binding(world):
    return approved_binding(world.lawyer, OTHER_CASE, world.casemgr, name="张某诈骗案")


def booked(client, slug, slot, **fields):
    response = book_through_page(client, slug, slot, **fields)
    assert response.status_code == 302, response.content.decode()[:1000]
    return Booking.objects.latest("pk")


def places_taken(booking):
    return Slot.objects.get(pk=booking.slot_id).booked


def test_revoking_a_lawyer_cancels_the_lawyer_only_bookings_and_releases_their_places(
    world, travel, django_capture_on_commit_callbacks
):
    travel("2026-09-29 08:00")
    meeting_service(world)
    lawyer = signed_in(Client(), world.lawyer)
    binding = str(world.binding.pk)
    file_review = booked(lawyer, "yj", "202609300900", binding=binding)
    meeting = booked(lawyer, "hj", "202609301000", binding=binding)
    as_citizen = booked(lawyer, "bdcdj", "202609301400")
    assert [places_taken(b) for b in (file_review, meeting, as_citizen)] == [1, 1, 1]
    DBTaskResult.objects.all().delete()

    staff = login_staff(Client(), world.casemgr)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/admin/accounts/lawyers/{world.lawyer.lawyer_profile.pk}/",
            {"action": "revoke", "reason": "执业证已被吊销"},
        )
    assert response.status_code == 302

    for booking in (file_review, meeting, as_citizen):
        booking.refresh_from_db()
    assert file_review.state == meeting.state == Booking.State.CANCELLED
    assert as_citizen.state == Booking.State.BOOKED
    assert [places_taken(b) for b in (file_review, meeting, as_citizen)] == [0, 0, 1]
    for booking in (file_review, meeting):
        event = booking.events.get(action=BookingEvent.Action.CANCELLED)
        assert event.by == world.casemgr and "执业证已被吊销" in event.comment
    assert not as_citizen.events.filter(action=BookingEvent.Action.CANCELLED).exists()

    # One notice: the revocation, its reason and the two bookings cancelled with it.
    [text] = lawyer_texts(world)
    assert "律师认证已被撤销" in text and "执业证已被吊销" in text
    assert file_review.code in text and meeting.code in text and as_citizen.code not in text

    # The lawyer's own list shows them cancelled; the freed places can be taken again.
    mine = lawyer.get("/appointments/my/").content.decode()
    assert file_review.code in mine and "已取消" in mine


def test_revoking_one_binding_cancels_only_that_cases_upcoming_bookings(
    world, travel, django_capture_on_commit_callbacks
):
    travel("2026-09-29 08:00")
    other = second_binding(world)
    lawyer = signed_in(Client(), world.lawyer)
    past = booked(lawyer, "yj", "202609300900", binding=str(world.binding.pk))
    travel("2026-09-30 12:00")  # the 09:00 file review is now in the past
    upcoming = booked(lawyer, "yj", "202610080900", binding=str(world.binding.pk))
    other_case = booked(lawyer, "yj", "202610090900", binding=str(other.pk))
    DBTaskResult.objects.all().delete()

    staff = login_staff(Client(), world.casemgr)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/cases/bindings/{world.binding.pk}/", {"action": "revoke", "reason": "委托人已解除委托"})

    for booking in (past, upcoming, other_case):
        booking.refresh_from_db()
    assert upcoming.state == Booking.State.CANCELLED and places_taken(upcoming) == 0
    assert past.state == Booking.State.BOOKED and places_taken(past) == 1
    assert other_case.state == Booking.State.BOOKED and places_taken(other_case) == 1
    assert "委托人已解除委托" in upcoming.events.get(action=BookingEvent.Action.CANCELLED).comment

    [text] = lawyer_texts(world)
    assert "青山检刑受〔2026〕12号" in text and "委托人已解除委托" in text
    assert upcoming.code in text and past.code not in text and other_case.code not in text


def test_a_booking_already_cancelled_is_left_alone_and_the_lawyer_is_told_nothing_about_it(
    world, travel, django_capture_on_commit_callbacks
):
    travel("2026-09-29 08:00")
    lawyer = signed_in(Client(), world.lawyer)
    booking = booked(lawyer, "yj", "202609300900", binding=str(world.binding.pk))
    lawyer.post(f"/appointments/my/{booking.code}/cancel/")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED and places_taken(booking) == 0
    events = booking.events.count()
    DBTaskResult.objects.all().delete()

    staff = login_staff(Client(), world.casemgr)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/admin/cases/bindings/{world.binding.pk}/", {"action": "revoke", "reason": "委托人已解除委托"})

    booking.refresh_from_db()
    assert booking.events.count() == events and places_taken(booking) == 0
    [text] = lawyer_texts(world)
    assert "委托人已解除委托" in text and booking.code not in text and "同时取消" not in text


def test_revoking_a_lawyer_also_ends_the_bindings_and_their_case_bookings_in_one_notice(
    world, travel, django_capture_on_commit_callbacks
):
    travel("2026-09-29 08:00")
    other = second_binding(world)
    lawyer = signed_in(Client(), world.lawyer)
    first = booked(lawyer, "yj", "202609300900", binding=str(world.binding.pk))
    second = booked(lawyer, "yj", "202610080900", binding=str(other.pk))
    DBTaskResult.objects.all().delete()

    staff = login_staff(Client(), world.casemgr)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            f"/admin/accounts/lawyers/{world.lawyer.lawyer_profile.pk}/",
            {"action": "revoke", "reason": "执业证已被吊销"},
        )

    for booking in (first, second):
        booking.refresh_from_db()
        assert booking.state == Booking.State.CANCELLED and places_taken(booking) == 0
        assert booking.events.filter(action=BookingEvent.Action.CANCELLED).count() == 1
    [text] = lawyer_texts(world)
    assert first.code in text and second.code in text and text.count(first.code) == 1
