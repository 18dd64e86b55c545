"""The other doors to the plan: staff add a service with its weekly plan in the admin, and a
reception day that people booked keeps its date unless staff close it (which tells them)."""

import datetime

import pytest
from django.test import Client

from services.appointments import booking as rules
from services.appointments.models import Booking, ReceptionDay, Service

from ..builders import login_staff
from .support import add_reception_day, at, offered_slots, signed_in

pytestmark = pytest.mark.django_db


def formset(prefix, rows):
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0"}
    data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
        data[f"{prefix}-{index}-ORDER"] = str(index + 1)
        data[f"{prefix}-{index}-DELETE"] = ""
    return data


def test_staff_add_a_service_with_its_weekly_plan_and_extra_session_in_the_admin(world, travel):
    travel("2026-09-29 08:00")
    admin = login_staff(Client(), world.desk)
    fields = {
        "name": "社保卡补办",
        "slug": "sbk",
        "kind": "general",
        "department": str(world.centre.pk),
        "location": str(world.hall.pk),
        "description": "社会保障卡挂失后补办。",
        "materials": "身份证原件",
        "is_active": "on",
        "sort_order": "100",
        "slot_minutes": "60",
        "duration_minutes": "15",
        "capacity": "2",
        "book_ahead_workdays": "5",
        "cutoff_minutes": "120",
        **formset("sessions", [{"weekday": "0", "starts_at": "09:00", "ends_at": "11:00", "capacity": ""}]),
        **formset(
            "extra_sessions",
            [{"date": "2026-10-03", "starts_at": "09:00", "ends_at": "10:00", "capacity": "4", "note": "国庆加开"}],
        ),
    }

    response = admin.post("/admin/appointments/services/new/", fields)

    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get(slug="sbk")
    assert service.sessions.count() == 1 and service.extra_sessions.count() == 1
    slots = offered_slots(signed_in(Client(), world.citizen), "sbk")
    # Mondays only (10-12 in the window; 10-05 is a holiday), plus the extra hour on Saturday 10-03.
    assert slots == ["202610030900", "202610120900", "202610121000"]


def test_a_booked_reception_day_keeps_its_date_in_the_admin(world, travel):
    travel("2026-09-29 08:00")
    reception = add_reception_day(world, datetime.date(2026, 9, 30))
    rules.book(world.citizen, world.reception, at("2026-09-30 09:00"), name="张明", matter="反映征地补偿问题。")
    admin = login_staff(Client(), world.petition_desk)
    fields = {
        "service": str(world.reception.pk),
        "leader_name": "王建国",
        "leader_title": "县长",
        "date": "2026-10-09",
        "starts_at": "09:00",
        "ends_at": "11:00",
        "capacity": "",
        "place": "县信访接待中心",
        "scope": "",
        "is_published": "on",
    }

    moved = admin.post(f"/admin/appointments/reception-days/edit/{reception.pk}/", fields)
    renamed = admin.post(
        f"/admin/appointments/reception-days/edit/{reception.pk}/",
        {**fields, "date": "2026-09-30", "place": "县政府接待室"},
    )

    assert "已有1人预约该接访日，不能修改日期、时间或事项" in moved.content.decode()
    assert renamed.status_code == 302
    reception.refresh_from_db()
    assert reception.date == datetime.date(2026, 9, 30) and reception.place == "县政府接待室"
    assert Booking.objects.get().state == Booking.State.BOOKED
    assert ReceptionDay.objects.count() == 1
