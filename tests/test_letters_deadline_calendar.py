"""Letter deadlines across the new year (issue 17): counted through a year whose holidays are
not known yet they are 暂定 on the desk and the tracking page; when staff confirm or correct the
year's notice every open letter is counted again and its history says the deadline moved, from
what to what and why; closed letters keep their deadlines."""

import datetime

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from portal.models import HolidayNotice
from services.letters import workflow
from services.letters.deadlines import recount_deadlines_task
from services.letters.models import LetterEvent, Status

from .builders import login_staff, make_superuser
from .calendar_support import NOTICES, enter_notice, notice_form, require_unknown_year
from .letters_support import build_world

pytestmark = pytest.mark.django_db

D = datetime.date
DECEMBER_20 = D(2026, 12, 20)
NEW_YEARS_DAY = [("元旦", "2027-01-01", "2027-01-01")]
SPRING_FESTIVAL = [("春节", "2027-02-06", "2027-02-12")]  # Saturday to Friday: 7 days, 5 of them weekdays


@pytest.fixture
def world(db):
    require_unknown_year(2027)
    return build_world()


@pytest.fixture
def calendar_admin():
    return login_staff(Client(), make_superuser())


def receive(world, letter_type="suggest", day=DECEMBER_20, title="关于城关镇农贸市场改造的建议"):
    letter, password = workflow.submit_letter(
        mailbox=world.county,
        data={
            "letter_type": letter_type,
            "topic": "market",
            "title": title,
            "content": "农贸市场排水不畅，建议年内改造。",
            "writer_name": "李四",
            "phone": "13900000001",
        },
        received_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0))),
    )
    return letter, password


def desk_row(world, letter):
    html = login_staff(Client(), world.official).get("/admin/letters/").content.decode()
    return html.split(letter.tracking_no, 1)[1].split("</tr>", 1)[0]


def tracking_page(letter, password):
    client = Client()
    response = client.post("/letters/track/", {"tracking_no": letter.tracking_no, "password": password}, follow=True)
    return response.content.decode()


def moves(letter):
    return list(LetterEvent.objects.filter(letter=letter, action="deadline_moved").values_list("label", "comment"))


def test_a_letter_received_on_20_december_is_provisional_until_new_years_day_is_entered(world, calendar_admin):
    letter, password = receive(world)
    # 15 working days from Sunday 2026-12-20, Monday-Friday assumed in 2027: 元旦 counted.
    assert letter.due_on == D(2027, 1, 8)
    assert "2027-01-08" in desk_row(world, letter) and "暂定" in desk_row(world, letter)
    detail = login_staff(Client(), world.official).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "2027年节假日安排尚未确认，期限暂按周一至周五计算" in detail
    public = tracking_page(letter, password)
    assert "2027-01-08" in public and "（暂定）" in public

    response = enter_notice(calendar_admin, 2027, NEW_YEARS_DAY, document_no="国办发明电〔2026〕9号")
    assert response.status_code == 302, response.content.decode()[:2000]

    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 11)
    row = desk_row(world, letter)
    assert "2027-01-11" in row and "暂定" not in row
    assert moves(letter) == [
        (
            "办理期限由2027-01-08调整为2027-01-11",
            "2027年节假日安排（国办发明电〔2026〕9号）已确认生效。办理期限自2026-12-20起按15个工作日重新计算。",
        )
    ]
    detail = login_staff(Client(), world.official).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "办理期限由2027-01-08调整为2027-01-11" in detail and "暂定" not in detail
    public = tracking_page(letter, password)
    assert "2027-01-11" in public and "暂定" not in public
    assert "办理期限由2027-01-08调整为2027-01-11" in public


def test_a_60_day_letter_moves_by_the_length_of_the_spring_festival(world, calendar_admin, clock):
    letter, _password = receive(world, "complaint", D(2026, 11, 23), title="农贸市场占道经营投诉")
    clock(D(2026, 12, 1))
    response = login_staff(Client(), world.official).post(f"/admin/letters/{letter.pk}/accept/", {"comment": ""})
    assert response.status_code == 302
    login_staff(Client(), world.official).post(
        f"/admin/letters/{letter.pk}/route/", {"departments": [world.civil.pk], "instructions": "请核实处理。"}
    )
    letter.refresh_from_db()
    assert letter.status == Status.ROUTED
    # 60 working days from 2026-12-01, Monday-Friday assumed in 2027.
    assert letter.due_on == D(2027, 2, 23) and letter.assignments.get().due_on == D(2027, 2, 23)
    assert "暂定" in desk_row(world, letter)
    detail = login_staff(Client(), world.civil_handler).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert detail.count(">暂定</span>") == 2  # the letter's deadline and the department's

    assert enter_notice(calendar_admin, 2027, SPRING_FESTIVAL).status_code == 302

    letter.refresh_from_db()
    assert letter.due_on == D(2027, 3, 2)  # seven days later: the length of the range
    assert letter.assignments.get().due_on == D(2027, 3, 2)  # the department's deadline followed
    [(label, comment)] = moves(letter)
    assert label == "办理期限由2027-02-23调整为2027-03-02"
    assert comment == "2027年节假日安排已确认生效。办理期限自2026-12-01起按60个工作日重新计算。"


def test_closed_letters_keep_their_deadlines(world, calendar_admin):
    closed, _ = receive(world, title="已办结的建议")
    workflow.accept_letter(closed, world.official)
    workflow.route_letter(closed, world.official, [world.civil])
    workflow.draft_reply(closed.assignments.get(), world.civil_handler, "已采纳，列入明年计划。")
    workflow.approve_reply(closed, world.official)
    workflow.rate_letter(closed, "satisfied")
    open_letter, _ = receive(world, title="仍在办理的建议")

    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302

    closed.refresh_from_db()
    open_letter.refresh_from_db()
    assert closed.status == Status.CLOSED and closed.due_on == D(2027, 1, 8) and moves(closed) == []
    assert open_letter.due_on == D(2027, 1, 11) and len(moves(open_letter)) == 1


def test_corrections_and_withdrawal_count_again_and_an_unchanged_notice_moves_nothing(world, calendar_admin):
    letter, _ = receive(world)
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 11)

    # Confirmed again without a change: nothing moves, nothing is recorded.
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302
    assert len(moves(letter)) == 1

    # A correction: 元旦 runs to Monday 2027-01-04.
    assert enter_notice(calendar_admin, 2027, [("元旦", "2027-01-01", "2027-01-04")]).status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 12)
    assert moves(letter)[-1] == (
        "办理期限由2027-01-11调整为2027-01-12",
        "2027年节假日安排已更正并确认生效。办理期限自2026-12-20起按15个工作日重新计算。",
    )

    # A correction saved as a draft changes nothing until it is confirmed.
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY, action=None).status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 12)

    # Withdrawn: back to Monday-Friday, provisional again.
    notice = HolidayNotice.objects.get(year=2027)
    assert calendar_admin.post(f"{NOTICES}unpublish/{notice.pk}/").status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 8)
    assert moves(letter)[-1][1].startswith("2027年节假日安排已撤销确认。")
    assert "暂定" in desk_row(world, letter)

    # Confirmed, then deleted: the same.
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302
    assert calendar_admin.post(f"{NOTICES}delete/{notice.pk}/").status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 8) and not HolidayNotice.objects.exists()
    assert moves(letter)[-1][1].startswith("2027年节假日安排已删除。")


def test_an_extended_deadline_is_counted_again_with_its_extension(world, calendar_admin):
    # A consultation of Monday 2026-12-28: 5 working days, extended by 5.
    letter, _ = receive(world, "consult", D(2026, 12, 28), title="跨年咨询")
    workflow.accept_letter(letter, world.official)
    workflow.route_letter(letter, world.official, [world.civil])
    workflow.request_extension(letter, world.civil_handler, "需要向上级部门核实政策。")
    workflow.decide_extension(letter, world.official, True)
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 11)
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 12) and letter.assignments.get().due_on == D(2027, 1, 12)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(LETTERS_RECOUNT_AT_ONCE=2)
def test_many_letters_are_counted_again_by_a_background_task_once(world, calendar_admin, run_tasks):
    letters = [receive(world, title=f"跨年建议{n}")[0] for n in range(3)]
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302
    for letter in letters:
        letter.refresh_from_db()
        assert letter.due_on == D(2027, 1, 8)  # not yet: more letters than are counted at once

    run_tasks()
    for letter in letters:
        letter.refresh_from_db()
        assert letter.due_on == D(2027, 1, 11) and len(moves(letter)) == 1

    # Run again (a retried or duplicated task): nothing moves twice.
    recount_deadlines_task.enqueue("2026-12-01", "2027-12-31", "2027年节假日安排已确认生效。")
    run_tasks()
    assert all(len(moves(letter)) == 1 for letter in letters)


def test_every_door_that_changes_a_confirmed_notice_counts_again(world, calendar_admin):
    """Reverting to an earlier version, and the listing's bulk delete. (There is no scheduled
    confirmation: the form has no publishing schedule, a notice counts once confirmed.)"""
    letter, _ = receive(world)
    assert enter_notice(calendar_admin, 2027, NEW_YEARS_DAY).status_code == 302
    notice = HolidayNotice.objects.get()
    assert 'name="go_live_at"' not in calendar_admin.get(f"{NOTICES}edit/{notice.pk}/").content.decode()
    first = HolidayNotice.objects.get().live_revision
    assert enter_notice(calendar_admin, 2027, [("元旦", "2027-01-01", "2027-01-04")]).status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 12)
    revert = f"{NOTICES}history/{notice.pk}/revisions/{first.pk}/revert/"
    assert calendar_admin.get(revert).status_code == 200
    notice.refresh_from_db()
    assert calendar_admin.post(revert, notice_form(2027, NEW_YEARS_DAY, notice=notice)).status_code == 302
    letter.refresh_from_db()
    assert letter.due_on == D(2027, 1, 11)

    bulk_delete = f"/admin/bulk/portal/holidaynotice/delete/?id={notice.pk}"
    assert calendar_admin.post(bulk_delete).status_code == 302
    letter.refresh_from_db()
    assert not HolidayNotice.objects.exists() and letter.due_on == D(2027, 1, 8)
    assert [label for label, _comment in moves(letter)] == [
        "办理期限由2027-01-08调整为2027-01-11",
        "办理期限由2027-01-11调整为2027-01-12",
        "办理期限由2027-01-12调整为2027-01-11",
        "办理期限由2027-01-11调整为2027-01-08",
    ]
