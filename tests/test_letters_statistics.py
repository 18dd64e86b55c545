"""Monthly figures on the public page: received, replied, on-time rate, average days,
satisfaction; and a logged-in writer's 我的信件."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from services.letters import workflow
from services.letters.models import Letter

from .letters_support import build_world, write_letter

pytestmark = pytest.mark.django_db


def answer(world, letter, rating):
    workflow.accept_letter(letter, world.official)
    workflow.route_letter(letter, world.official, [world.civil])
    workflow.draft_reply(letter.assignments.get(current=True), world.civil_handler, "已答复。")
    workflow.approve_reply(letter, world.official)
    workflow.rate_letter(Letter.objects.get(pk=letter.pk), rating)


def test_public_page_shows_this_months_figures(db, client):
    world = build_world()
    data = {
        "letter_type": "consult",
        "topic": "social",
        "title": "咨询",
        "content": "咨询内容十个字以上的说明。",
        "writer_name": "甲",
        "phone": "13600000001",
    }
    received = timezone.make_aware(datetime.datetime(2026, 9, 29, 10, 0))
    late, _ = workflow.submit_letter(mailbox=world.county, data=data, received_at=received)
    on_time, _ = workflow.submit_letter(mailbox=world.county, data=data)
    workflow.submit_letter(mailbox=world.county, data=data)  # received, not yet answered
    answer(world, late, "dissatisfied")
    answer(world, on_time, "satisfied")

    today = timezone.localdate()
    days = (today - datetime.date(2026, 9, 29)).days
    html = client.get("/letters/").content.decode()
    row = html.split(f"{today.year}年{today.month}月", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("<", 1)[0] for cell in row.split("<td>")[1:]]
    assert cells == ["2", "2", "50.0%", str(round(days / 2, 1)), "50.0%"]


def test_days_to_reply_count_the_dates_the_writer_sees_in_the_portal_s_time_zone(db, client, clock):
    """A letter received at 02:00 Beijing time (the evening before in UTC) and answered a week
    later took 7 days, not the 8 a UTC date would make of it."""
    clock(datetime.date(2026, 11, 9))
    world = build_world()
    data = {"letter_type": "consult", "topic": "social", "title": "咨询", "content": "咨询内容十个字以上的说明。"}
    received = timezone.make_aware(datetime.datetime(2026, 11, 2, 2, 0))
    letter, _ = workflow.submit_letter(mailbox=world.county, data={**data, "writer_name": "甲"}, received_at=received)
    answer(world, letter, "satisfied")

    html = client.get("/letters/").content.decode()
    row = html.split("2026年11月", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("<", 1)[0] for cell in row.split("<td>")[1:]]
    assert cells[3] == "7.0"


def test_a_signed_in_writer_finds_the_letter_under_my_letters(db):
    world = build_world()
    writer = Client()
    writer.force_login(world.citizen)
    letter, tracking_no, _password = write_letter(writer, world.county, title="我的第一封信")
    assert letter.user == world.citizen
    fresh = Client()
    fresh.force_login(world.citizen)
    html = fresh.get("/letters/mine/").content.decode()
    assert "我的第一封信" in html
    assert fresh.get(f"/letters/track/{tracking_no}/").status_code == 200  # no password needed for the owner
    assert Client().get("/letters/mine/").status_code == 302
