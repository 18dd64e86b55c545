"""Overbooking is impossible by construction: many booking attempts, reschedules and repeated
submissions of one form race from separate PostgreSQL connections, and the slot never holds
more than its capacity."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from services.appointments import booking, schedule
from services.appointments.models import Booking, Slot

from ..builders import solve_captcha
from .support import at

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ATTEMPTS = 50


def race(count, attempt):
    """Run attempt(i) in `count` threads, each with its own database connection, released at
    the same moment; returns the results (or exceptions) in order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = attempt(index)
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def people(count, prefix):
    return [get_user_model().objects.create_user(username=f"{prefix}{index}") for index in range(count)]


def assert_counters_match():
    for slot in Slot.objects.all():
        active = Booking.objects.filter(slot=slot, state__in=Booking.ACTIVE_STATES).count()
        assert slot.booked == active <= slot.capacity, slot


def test_fifty_people_race_for_a_slot_of_three_and_three_get_it(world, travel):
    travel("2026-09-29 08:00")
    target = at("2026-09-30 09:30")
    crowd = people(ATTEMPTS, "p")

    results = race(ATTEMPTS, lambda i: booking.book(crowd[i], world.service, target, name=f"预约人{i}"))

    made = [result for result in results if isinstance(result, tuple)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    unexpected = [result for result in results if not isinstance(result, tuple | ValidationError)]
    assert len(made) == 3 and len(refused) == ATTEMPTS - 3, unexpected
    assert all("已约满" in " ".join(error.messages) for error in refused)
    assert Booking.objects.filter(slot__starts_at=target, state=Booking.State.BOOKED).count() == 3
    assert_counters_match()


def test_fifty_reschedules_into_a_slot_with_two_places_left_fill_it_to_three(world, travel):
    travel("2026-09-29 08:00")
    target = at("2026-09-30 14:00")
    booking.book(world.citizen, world.service, target, name="张明")
    crowd = people(ATTEMPTS, "r")
    places = [
        slot.starts_at
        for day in schedule.bookable_days(world.service)
        for slot in day.slots
        if slot.starts_at != target and slot.is_bookable
        for _place in range(3)
    ]
    held = [booking.book(person, world.service, places[i], name=f"改约人{i}")[0] for i, person in enumerate(crowd)]

    results = race(ATTEMPTS, lambda i: booking.reschedule(held[i], crowd[i], target))

    moved = [result for result in results if isinstance(result, Booking)]
    assert len(moved) == 2, [r for r in results if not isinstance(r, (Booking, ValidationError))]
    assert Booking.objects.filter(slot__starts_at=target, state=Booking.State.BOOKED).count() == 3
    for item in held:
        item.refresh_from_db()
    assert sum(1 for item in held if item.slot.starts_at == target) == 2
    assert_counters_match()


def test_a_form_submitted_fifty_times_at_once_books_once(world, travel):
    travel("2026-09-29 08:00")
    browser = Client()
    browser.force_login(world.citizen)
    page = browser.get("/appointments/services/bdcdj/").content.decode()
    key = page.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    form = {"slot": "202609301000", "name": "张明", "idempotency_key": key, **solve_captcha(page)}
    session = browser.cookies["sessionid"].value

    def submit(_index):
        tab = Client()
        tab.cookies["sessionid"] = session
        return tab.post("/appointments/services/bdcdj/", form)

    responses = race(ATTEMPTS, submit)

    assert Booking.objects.filter(user=world.citizen).count() == 1
    code = Booking.objects.get(user=world.citizen).code
    assert {response.status_code for response in responses} == {302}
    assert {response["Location"] for response in responses} == {f"/appointments/my/{code}/"}
    assert_counters_match()
