"""Letters of each type walked through every path by real users: the citizen through the
public pages, officials and departments through the desk in the Wagtail admin."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from portal.workdays import add_workdays
from services.letters import workflow
from services.letters.models import Letter, LetterEvent, Status, Supervision

from .builders import login_staff
from .letters_support import build_world, write_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def staff_client(user):
    return login_staff(Client(), user)


def act(user, letter, action, **data):
    response = staff_client(user).post(f"/admin/letters/{letter.pk}/{action}/", data, follow=True)
    letter.refresh_from_db()
    return response


def draft(user, letter, text):
    assignment = letter.assignments.get(current=True, department=user.department)
    response = staff_client(user).post(
        f"/admin/letters/{letter.pk}/draft/{assignment.pk}/", {"text": text}, follow=True
    )
    letter.refresh_from_db()
    return response


def track(client, tracking_no, password):
    response = client.post("/letters/track/", {"tracking_no": tracking_no, "password": password}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def route_and_reply(world, letter, handler, department):
    act(world.official, letter, "route", departments=[department.pk], instructions="请核实后答复来信人。")
    assert letter.status == Status.ROUTED
    draft(handler, letter, "经核实，已协调相关单位解决，特此答复。")
    assert letter.status == Status.DRAFTED
    act(world.official, letter, "approve", reply="")
    assert letter.status == Status.REPLIED


TYPES = [
    ("consult", 5, None),
    ("suggest", 15, None),
    ("complaint", 60, 15),
    ("help", 60, 15),
    ("report", 60, 15),
    ("other", 15, None),
]


@pytest.mark.parametrize(("letter_type", "reply_days", "accept_days"), TYPES)
def test_each_type_is_accepted_routed_replied_rated_and_closed(world, client, letter_type, reply_days, accept_days):
    extra = {"accused_department": world.police.pk} if letter_type == "report" else {}
    letter, tracking_no, password = write_letter(client, world.county, letter_type=letter_type, **extra)
    today = timezone.localdate()
    assert letter.status == Status.SUBMITTED
    assert letter.due_on == add_workdays(today, accept_days or reply_days)

    # Only the mailbox's officials may accept: a department handler is refused.
    assert staff_client(world.civil_handler).post(f"/admin/letters/{letter.pk}/accept/").status_code == 404
    assert staff_client(world.education_official).post(f"/admin/letters/{letter.pk}/accept/").status_code == 404
    response = act(world.official, letter, "accept", comment="")
    assert "已受理。" in response.content.decode()
    assert letter.status == Status.ACCEPTED and letter.accepted_on == today
    assert letter.due_on == add_workdays(today, reply_days)

    route_and_reply(world, letter, world.civil_handler, world.civil)
    assert letter.reply_department == world.civil and letter.replied_on == today

    html = track(client, tracking_no, password)
    assert "已答复" in html and "经核实，已协调相关单位解决" in html
    response = client.post(f"/letters/track/{tracking_no}/rate/", {"rating": "satisfied"}, follow=True)
    assert "感谢您的评价。" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED and letter.rating == "satisfied"
    assert list(letter.events.values_list("action", flat=True)) == [
        "submitted",
        "accepted",
        "routed",
        "drafted",
        "replied",
        "rated",
    ]
    assert all(e.actor is not None for e in letter.events.exclude(action__in=["submitted", "rated"]))


def test_a_letter_that_belongs_to_litigation_is_declined_with_reason(world, client):
    letter, tracking_no, password = write_letter(client, world.county, letter_type="complaint")
    response = act(world.official, letter, "decline", reason="")
    assert "理由" in response.content.decode() and letter.status == Status.SUBMITTED
    act(world.official, letter, "decline", reason="该事项已进入诉讼程序，请通过司法途径解决。")
    assert letter.status == Status.DECLINED and letter.due_on is None
    html = track(Client(), tracking_no, password)
    assert "不予受理" in html and "已进入诉讼程序" in html
    # A declined letter cannot be routed.
    response = act(world.official, letter, "route", departments=[world.civil.pk])
    assert "只有已受理或重办中的信件可以转办。" in response.content.decode()


def test_dissatisfied_writer_gets_the_letter_handled_again_once(world, client):
    letter, tracking_no, password = write_letter(client, world.county, letter_type="help")
    act(world.official, letter, "accept")
    route_and_reply(world, letter, world.civil_handler, world.civil)
    track(client, tracking_no, password)
    client.post(f"/letters/track/{tracking_no}/rate/", {"rating": "dissatisfied", "comment": "问题没有解决"})
    letter.refresh_from_db()
    assert letter.status == Status.REPLIED and letter.rating == "dissatisfied"

    response = client.post(f"/letters/track/{tracking_no}/reopen/", {"reason": "补助至今未发放。"}, follow=True)
    assert "重办申请已提交" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Status.REOPENED and letter.reopen_count == 1
    assert letter.due_on == add_workdays(timezone.localdate(), 30)

    route_and_reply(world, letter, world.civil_handler, world.civil)
    assert letter.assignments.count() == 2 and letter.assignments.filter(current=True).count() == 1
    client.post(f"/letters/track/{tracking_no}/rate/", {"rating": "dissatisfied"})
    letter.refresh_from_db()
    # After the review the matter is closed, whatever the rating; no second re-handling.
    assert letter.status == Status.CLOSED
    response = client.post(f"/letters/track/{tracking_no}/reopen/", {"reason": "再次申请"}, follow=True)
    assert "只有评价为不满意的信件可以申请重办。" in response.content.decode()


def test_reopen_is_refused_after_thirty_days(world, client):
    letter, tracking_no, password = write_letter(client, world.county, letter_type="consult")
    act(world.official, letter, "accept")
    route_and_reply(world, letter, world.civil_handler, world.civil)
    track(client, tracking_no, password)
    client.post(f"/letters/track/{tracking_no}/rate/", {"rating": "dissatisfied"})
    Letter.objects.filter(pk=letter.pk).update(replied_on=timezone.localdate() - datetime.timedelta(days=31))
    response = client.post(f"/letters/track/{tracking_no}/reopen/", {"reason": "不满意"}, follow=True)
    assert "已超过答复后30日的重办申请期限。" in response.content.decode()


def test_extension_is_requested_by_the_department_approved_once_by_the_official(world, client):
    letter, *_ = write_letter(client, world.county, letter_type="suggest")
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.civil.pk], instructions="请研究")
    due = letter.due_on
    response = act(world.civil_handler, letter, "request_extension", reason="")
    assert "理由" in response.content.decode() and not letter.extension_state
    act(world.civil_handler, letter, "request_extension", reason="需要实地调查，涉及多个村组。")
    assert letter.extension_state == "requested"
    # The department cannot approve its own extension.
    response = act(world.civil_handler, letter, "decide_extension", approve="1")
    assert "只有该信箱的管理员可以进行此操作。" in response.content.decode()
    assert letter.extension_state == "requested" and letter.due_on == due
    act(world.official, letter, "decide_extension", approve="1", comment="同意")
    assert letter.extension_state == "approved"
    assert letter.due_on == add_workdays(due, 15)
    assert letter.assignments.get().due_on == letter.due_on
    response = act(world.civil_handler, letter, "request_extension", reason="再延一次")
    assert "每封信件只能延期一次。" in response.content.decode()
    assert list(letter.events.filter(action__startswith="extension").values_list("label", flat=True)) == [
        "申请延期",
        f"批准延期至{letter.due_on:%Y-%m-%d}",
    ]


def test_supervision_order_shows_on_the_department_desk_and_in_the_history(world, client):
    letter, *_ = write_letter(client, world.county, letter_type="complaint")
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.civil.pk, world.education.pk], instructions="分别答复")
    due = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    act(
        world.official,
        letter,
        "supervise",
        department=world.civil.pk,
        content="请加快办理，三日内报送进展。",
        due_on=due,
    )
    assert Supervision.objects.filter(letter=letter, department=world.civil).count() == 1
    desk = staff_client(world.civil_handler).get("/admin/letters/").content.decode()
    assert "督办单" in desk and "请加快办理，三日内报送进展。" in desk
    assert "请加快办理" not in staff_client(world.education_handler).get("/admin/letters/").content.decode()
    detail = staff_client(world.civil_handler).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "督办" in detail and LetterEvent.objects.filter(letter=letter, action="supervised").exists()
    # Both departments draft before the official can approve the combined reply.
    draft(world.civil_handler, letter, "民政局答复：已落实。")
    assert letter.status == Status.ROUTED
    draft(world.education_handler, letter, "教育局答复：已整改。")
    assert letter.status == Status.DRAFTED
    act(world.official, letter, "approve", reply="")
    assert "民政局答复" in letter.reply and "教育局答复" in letter.reply
    assert letter.reply_department == world.office


def test_a_returned_draft_goes_back_to_the_department(world, client):
    letter, *_ = write_letter(client, world.county)
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.civil.pk])
    draft(world.civil_handler, letter, "草稿答复")
    assignment = letter.assignments.get()
    staff_client(world.official).post(
        f"/admin/letters/{letter.pk}/return/{assignment.pk}/", {"reason": "答复过于简单，请补充办理结果。"}
    )
    letter.refresh_from_db()
    assert letter.status == Status.ROUTED
    draft(world.civil_handler, letter, "补充后的答复")
    assert letter.status == Status.DRAFTED


def test_deadlines_cross_national_day_and_late_letters_are_flagged_on_every_list(world):
    # A consultation received by post on Tuesday 2026-09-29: five working days are
    # 09-30, 10-08, 10-09, 10-10 (Saturday, adjusted working day) and 10-12.
    received = timezone.make_aware(datetime.datetime(2026, 9, 29, 10, 0))
    base = {
        "topic": "education",
        "title": "假期前来信",
        "content": "国庆节前来信咨询。",
        "writer_name": "李四",
        "phone": "13900000001",
    }
    consult, _ = workflow.submit_letter(
        mailbox=world.county, data={**base, "letter_type": "consult"}, received_at=received
    )
    assert consult.due_on == datetime.date(2026, 10, 12)
    # A complaint: the acceptance decision is due 15 working days later, past the holiday.
    complaint, _ = workflow.submit_letter(
        mailbox=world.county, data={**base, "letter_type": "complaint"}, received_at=received
    )
    assert complaint.due_on == datetime.date(2026, 10, 26)
    old, _ = workflow.submit_letter(
        mailbox=world.county,
        data={**base, "letter_type": "suggest"},
        received_at=timezone.make_aware(datetime.datetime(2026, 8, 3, 9, 0)),
    )
    fresh, _ = workflow.submit_letter(mailbox=world.county, data={**base, "letter_type": "consult"})
    soon = add_workdays(timezone.localdate(), 2)
    Letter.objects.filter(pk=fresh.pk).update(due_on=soon)

    html = staff_client(world.official).get("/admin/letters/").content.decode()
    rows = {
        no: html.split(no, 1)[1].split("</tr>", 1)[0]
        for no in (consult.tracking_no, complaint.tracking_no, old.tracking_no, fresh.tracking_no)
    }
    assert "已超期" in rows[consult.tracking_no] and "超三个月未答复" not in rows[consult.tracking_no]
    assert "已超期" in rows[complaint.tracking_no]
    assert "超三个月未答复" in rows[old.tracking_no]
    assert "即将到期" in rows[fresh.tracking_no] and "已超期" not in rows[fresh.tracking_no]
    assert "已超期 3 件，即将到期 1 件，超过三个月未答复 1 件，督办超期 0 件。" in html
    assert "待受理（4）" in html
    # The filter lists only the red-flagged letter; the letter's own page shows it too.
    filtered = staff_client(world.official).get("/admin/letters/?flag=red").content.decode()
    assert old.tracking_no in filtered and consult.tracking_no not in filtered
    assert "超三个月未答复" in staff_client(world.official).get(f"/admin/letters/{old.pk}/").content.decode()
    # Once answered, a letter leaves the default list of open letters and carries no flag.
    act(world.official, consult, "accept")
    route_and_reply(world, consult, world.civil_handler, world.civil)
    assert consult.tracking_no not in staff_client(world.official).get("/admin/letters/").content.decode()
    html = staff_client(world.official).get("/admin/letters/?status=all").content.decode()
    assert "已超期" not in html.split(consult.tracking_no, 1)[1].split("</tr>", 1)[0]
