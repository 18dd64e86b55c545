"""The letter desk as mailbox officials and handling departments use it every day (issue 18):
what is due this week, the department's own deadline, 督办 that turn overdue, letters
entered from the post or the telephone, search by the writer's phone number, the 台账, the
work list on the admin home page and the notice to whoever acts next. Counts are checked on
more than 1,500 letters, past the old desk's limit of 1,000."""

import datetime
import io
import json
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import StaffNotice
from portal.workdays import add_workdays, workdays_between
from services.letters import workflow
from services.letters.models import Assignment, Letter, LetterEvent, Status, Supervision

from .letters_support import act, build_world, staff

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 16)  # a plain working week: 16–20 November 2026


@pytest.fixture
def world(db):
    return build_world()


def receive(world, title, letter_type="consult", phone="13900000001", day=None, **extra):
    data = {
        "letter_type": letter_type,
        "topic": "market",
        "title": title,
        "content": "农贸市场排水不畅，建议年内改造。",
        "writer_name": "李四",
        "phone": phone,
        **extra,
    }
    day = day or timezone.localdate()
    received_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    letter, _password = workflow.submit_letter(mailbox=world.county, data=data, received_at=received_at)
    return letter


def desk(user, query=""):
    return staff(user).get(f"/admin/letters/{query}").content.decode()


def listed(html):
    return set(re.findall(r'data-tracking-no="([^"]+)"', html))


def row(html, letter):
    return html.split(f'data-tracking-no="{letter.tracking_no}"', 1)[1].split("</tr>", 1)[0]


def in_menu(label, html):
    """The admin menu is rendered as JSON for the sidebar script (non-ASCII escaped)."""
    return json.dumps(label)[1:-1] in html


def total(html):
    return int(re.search(r"共 (\d+) 件", html).group(1))


def test_due_this_week_within_seven_days_a_date_range_and_workdays_left(world, clock):
    clock(MONDAY)
    # Consultations are due 5 working days after they arrive.
    friday = receive(world, "本周五到期", day=MONDAY - datetime.timedelta(days=3))  # due Fri 20 Nov
    next_tuesday = receive(world, "下周二到期", day=MONDAY + datetime.timedelta(days=1))  # due Tue 24 Nov
    later = receive(world, "下下周到期", letter_type="suggest")  # 15 working days: 7 December
    late = receive(world, "已超期", day=MONDAY - datetime.timedelta(days=10))  # due Fri 13 Nov
    closed = receive(world, "已办结", day=MONDAY - datetime.timedelta(days=3))
    Letter.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    repeat = receive(world, "重复来信", day=MONDAY - datetime.timedelta(days=3))
    Letter.objects.filter(pk=repeat.pk).update(status=Status.REPEAT, due_on=None)
    assert (friday.due_on, next_tuesday.due_on, late.due_on) == (
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 24),
        datetime.date(2026, 11, 13),
    )
    clock(MONDAY + datetime.timedelta(days=1))  # Tuesday

    default = desk(world.official)
    # The default view is the open letters: closed and repeat letters are not mixed in.
    assert listed(default) == {x.tracking_no for x in (friday, next_tuesday, later, late)}
    assert total(default) == 4
    assert "已超期 1 件" in default
    assert re.search(r'class="workdays-left">3<', row(default, friday))  # Wed, Thu, Fri
    assert re.search(r'class="workdays-left">-2<', row(default, late))
    assert re.search(r'class="workdays-left">14<', row(default, later))
    assert listed(desk(world.official, "?status=all")) >= {closed.tracking_no, repeat.tracking_no}

    assert listed(desk(world.official, "?due=week")) == {friday.tracking_no}
    assert listed(desk(world.official, "?due=seven")) == {friday.tracking_no, next_tuesday.tracking_no}
    ranged = desk(world.official, "?due_after=2026-11-21&due_before=2026-12-31")
    assert listed(ranged) == {next_tuesday.tracking_no, later.tracking_no}
    refused = desk(world.official, "?due_after=2026-12-31&due_before=2026-11-21")
    assert "结束日期不能早于开始日期。" in refused
    assert listed(desk(world.official, "?flag=overdue")) == {late.tracking_no}


def test_the_department_sees_and_is_flagged_by_its_own_deadline(world, clock):
    clock(MONDAY)
    letter = receive(world, "校车接送时间", letter_type="suggest")  # the letter is due 7 December
    other = receive(world, "另一封建议", letter_type="suggest")
    act(world.official, letter, "accept")
    act(world.official, other, "accept")
    # The route form proposes the letter's deadline in the form a date input accepts.
    page = staff(world.official).get(f"/admin/letters/{letter.pk}/").content.decode()
    route_form = page.split(f'action="/admin/letters/{letter.pk}/route/"', 1)[1].split("</form>", 1)[0]
    assert f'type="date" name="due_on" value="{letter.due_on:%Y-%m-%d}"' in route_form
    act(world.official, letter, "route", departments=[world.civil.pk], due_on="2026-11-20")
    act(world.official, other, "route", departments=[world.education.pk, world.civil.pk])
    assert letter.assignments.get().due_on == datetime.date(2026, 11, 20)

    clock(datetime.date(2026, 11, 23))  # Monday after the department's deadline
    handler_desk = desk(world.civil_handler)
    assert "承办期限" in handler_desk
    assert "2026-11-20" in row(handler_desk, letter) and "已超期" in row(handler_desk, letter)
    assert "已超期" not in row(handler_desk, other)
    assert listed(desk(world.civil_handler, "?flag=overdue")) == {letter.tracking_no}
    assert listed(desk(world.civil_handler, "?due_before=2026-11-30")) == {letter.tracking_no}
    # The mailbox keeps the letter's own deadline, not yet passed.
    official_desk = desk(world.official)
    assert "2026-12-07" in row(official_desk, letter) and "已超期" not in row(official_desk, letter)
    # Filtering by department lists the letters it currently handles.
    assert listed(desk(world.official, f"?department={world.education.pk}")) == {other.tracking_no}


def test_a_supervision_turns_overdue_until_the_department_answers_it(world, clock):
    clock(MONDAY)
    world.official.display_name = "王建国"
    world.official.save()
    letter = receive(world, "路灯不亮", letter_type="complaint")
    plain = receive(world, "没有督办的信", letter_type="complaint")
    for item in (letter, plain):
        act(world.official, item, "accept")
        act(world.official, item, "route", departments=[world.civil.pk])
    act(
        world.official,
        letter,
        "supervise",
        department=world.civil.pk,
        content="请三日内报送进展。",
        due_on="2026-11-18",
    )
    assert listed(desk(world.official, "?flag=supervised")) == {letter.tracking_no}
    assert "督办超期 0 件" in desk(world.official)
    notice = StaffNotice.objects.get(recipient=world.civil_handler, subject="督办待回复")
    assert "王建国" in notice.body and "请三日内报送进展。" in notice.body

    clock(datetime.date(2026, 11, 19))
    official_desk = desk(world.official)
    assert "督办超期 1 件" in official_desk and "督办超期" in row(official_desk, letter)
    assert listed(desk(world.civil_handler, "?flag=supervision_overdue")) == {letter.tracking_no}
    detail = staff(world.civil_handler).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "督办超期" in detail and "回复督办" in detail

    supervision = Supervision.objects.get(letter=letter)
    path = f"/admin/letters/{letter.pk}/supervision/{supervision.pk}/"
    # Another department cannot answer; an empty answer is refused with a reason.
    assert staff(world.education_handler).post(path, {"answer": "不是我们的"}).status_code == 404
    assert "请填写督办回复。" in staff(world.civil_handler).post(path, {"answer": " "}, follow=True).content.decode()
    supervision.refresh_from_db()
    assert not supervision.answered_at
    staff(world.civil_handler).post(path, {"answer": "已完成路灯维修，正在拟写答复。"}, follow=True)
    supervision.refresh_from_db()
    assert supervision.answered_by == world.civil_handler and supervision.answer.startswith("已完成")
    assert "督办超期 0 件" in desk(world.official)
    assert LetterEvent.objects.filter(letter=letter, action="supervision_answered").exists()
    assert StaffNotice.objects.filter(recipient=world.official, subject="督办已回复").exists()


def test_closing_waits_until_the_writer_may_no_longer_rate_or_ask_for_re_handling(world, client, clock):
    clock(MONDAY)
    letter = receive(world, "农贸市场排水")
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.civil.pk])
    workflow.draft_reply(letter.assignments.get(), world.civil_handler, "已安排疏通排水管道。")
    act(world.official, letter, "approve", reply="")
    assert letter.status == Status.REPLIED

    detail = staff(world.official).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert f'action="/admin/letters/{letter.pk}/close/"' not in detail
    assert "2026-12-16前（含当日）可评价或申请重办" in detail
    page = act(world.official, letter, "close", comment="")
    assert "期满未评价的方可办结" in page and letter.status == Status.REPLIED
    # The writer still rates and asks for re-handling.
    workflow.rate_letter(letter, "dissatisfied", "没有解决")
    workflow.request_reopen(letter, "排水仍不畅")
    assert letter.__class__.objects.get(pk=letter.pk).status == Status.REOPENED

    unrated = receive(world, "另一封咨询")
    act(world.official, unrated, "accept")
    act(world.official, unrated, "route", departments=[world.civil.pk])
    workflow.draft_reply(unrated.assignments.get(), world.civil_handler, "已答复。")
    act(world.official, unrated, "approve", reply="")
    clock(datetime.date(2026, 12, 17))  # 30 days after the reply, nobody rated it
    detail = staff(world.official).get(f"/admin/letters/{unrated.pk}/").content.decode()
    assert f'action="/admin/letters/{unrated.pk}/close/"' in detail
    act(world.official, unrated, "close", comment="来信人逾期未评价")
    assert unrated.status == Status.CLOSED and not unrated.rating


def test_a_letter_received_by_post_is_entered_with_its_received_date(world, clock):
    clock(MONDAY)
    official = staff(world.official)
    form = official.get("/admin/letters/enter/").content.decode()
    assert 'name="received_on"' in form and "captcha" not in form
    data = {
        "channel": "post",
        "received_on": "2026-11-09",
        "mailbox": world.county.pk,
        "letter_type": "consult",
        "topic": "education",
        "title": "邮寄来信：校车接送时间",
        "content": "来信询问青石镇中心小学校车接送时间能否调整。",
        "writer_name": "赵六",
        "phone": "13712345678",
    }
    future = official.post("/admin/letters/enter/", {**data, "received_on": "2026-11-17"}).content.decode()
    assert "收到日期不能晚于今天。" in future and not Letter.objects.exists()
    page = official.post("/admin/letters/enter/", data).content.decode()
    letter = Letter.objects.get()
    assert letter.channel == "post" and letter.status == Status.SUBMITTED
    assert timezone.localtime(letter.submitted_at).date() == datetime.date(2026, 11, 9)
    assert letter.due_on == add_workdays(datetime.date(2026, 11, 9), 5) == datetime.date(2026, 11, 16)
    assert letter.tracking_no.startswith("20261109")
    assert re.search(r'id="query-password">[A-Z0-9]{8}<', page)
    entered = LetterEvent.objects.get(letter=letter, action="entered")
    assert entered.actor == world.official and "2026-11-09" in entered.comment
    assert "13712345678" not in entered.comment
    assert "已超期" not in row(desk(world.official), letter)  # due today
    # Handlers and other mailboxes' officials cannot enter letters for the county mailbox.
    refused = staff(world.civil_handler).get("/admin/letters/enter/")
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    other = staff(world.education_official).post("/admin/letters/enter/", {**data, "title": "冒名登记"})
    assert other.status_code == 200 and Letter.objects.count() == 1


def test_search_by_phone_number_goes_through_the_keyed_hash(world):
    mine = receive(world, "第一封", phone="13811112222")
    again = receive(world, "第二封", phone="13811112222", letter_type="suggest")
    other = receive(world, "别人的", phone="13933334444")
    report = receive(world, "举报", phone="13811112222", letter_type="report", accused_department=world.police)
    for item in (mine, report):
        act(world.official, item, "accept")
        act(world.official, item, "route", departments=[world.civil.pk])

    official = staff(world.official)
    response = official.post("/admin/letters/phone/", {"phone": "13811112222"})
    assert response.status_code == 302 and "13811112222" not in response["Location"]
    found = official.get(response["Location"]).content.decode()
    assert listed(found) == {mine.tracking_no, again.tracking_no, report.tracking_no}
    assert other.tracking_no not in found
    bad = official.post("/admin/letters/phone/", {"phone": "1381111"}, follow=True).content.decode()
    assert "请输入正确的11位手机号码。" in bad

    # The department sees the letters routed to it, but never finds a 举报's writer by number.
    handler = staff(world.civil_handler)
    location = handler.post("/admin/letters/phone/", {"phone": "13811112222"})["Location"]
    assert listed(handler.get(location).content.decode()) == {mine.tracking_no}


def test_the_ledger_lists_each_letter_of_the_current_filter(world, clock):
    clock(MONDAY)
    letters = [receive(world, f"台账信件{n}", phone=f"1380000000{n}") for n in range(3)]
    act(world.official, letters[0], "accept")
    act(world.official, letters[0], "route", departments=[world.civil.pk])
    response = staff(world.official).get("/admin/letters/ledger/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("信件编号", "来信渠道", "来信时间")
    by_number = {r[0]: r for r in rows[1:]}
    assert set(by_number) == {x.tracking_no for x in letters}
    first = by_number[letters[0].tracking_no]
    assert first[8] == "县民政局" and first[9] == datetime.datetime(2026, 11, 23) and first[10] == 5
    assert first[6] == "李某"
    assert not any("1380000000" in str(value) for r in rows for value in r)
    # Filtered: only what the desk shows for the same query.
    filtered = staff(world.official).get(f"/admin/letters/ledger/?department={world.civil.pk}")
    rows = list(load_workbook(io.BytesIO(filtered.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [letters[0].tracking_no]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_work_lists_and_notices_name_the_next_actor(world, run_tasks):
    world.official.display_name = "王建国"
    world.official.save()
    world.civil_handler.display_name = "陈静"
    world.civil_handler.save()
    letter = receive(world, "路面塌陷", letter_type="complaint")
    assert StaffNotice.objects.filter(recipient=world.official, subject="新来信待受理").count() == 1

    home = staff(world.official).get("/admin/").content.decode()
    assert re.search(r'id="letters-todo-accept">.*?<strong class="count">1</strong>', home, re.S)
    assert "新来信待受理" in home
    assert "letters-todo-answer" not in home
    assert in_menu("信件办理（1）", home)
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.civil.pk], instructions="请现场核查。")

    notice = StaffNotice.objects.get(recipient=world.civil_handler, subject="信件转办待办理")
    assert "王建国" in notice.body and "县民政局" in notice.body and "请现场核查。" in notice.body
    assert not StaffNotice.objects.filter(recipient=world.education_handler).exists()
    run_tasks()
    sent = [m for m in mail.outbox if world.civil_handler.email in m.to]
    assert sent and "王建国" in sent[0].body
    handler_home = staff(world.civil_handler).get("/admin/").content.decode()
    assert re.search(r'id="letters-todo-answer">.*?<strong class="count">1</strong>', handler_home, re.S)
    assert "letters-todo-accept" not in handler_home and "信件转办待办理" in handler_home
    # The count opens exactly those letters.
    assert listed(desk(world.civil_handler, "?todo=answer")) == {letter.tracking_no}
    # Opening the letter marks its notice read.
    staff(world.civil_handler).get(f"/admin/letters/{letter.pk}/")
    notice.refresh_from_db()
    assert notice.read_at

    workflow.draft_reply(letter.assignments.get(), world.civil_handler, "已修复路面。")
    drafted = StaffNotice.objects.get(recipient=world.official, subject="答复待审核")
    assert "陈静" in drafted.body
    assert listed(desk(world.official, "?todo=approve")) == {letter.tracking_no}


def test_counts_flags_and_pages_are_right_on_1520_letters(world, clock):
    """Letters made in bulk as they would stand after months of work, counted by the desk and
    the home page against counts made here from how they were made."""
    today = MONDAY + datetime.timedelta(days=1)
    clock(today)
    now = timezone.now()
    statuses = [Status.SUBMITTED, Status.ACCEPTED, Status.ROUTED, Status.DRAFTED, Status.CLOSED]
    letters, made = [], []
    for n in range(1520):
        status = statuses[n % 5]
        due_on = today + datetime.timedelta(days=n % 9 - 3)
        old = n % 11 == 0
        made.append((status, due_on, old))
        letters.append(
            Letter(
                tracking_no=f"2026111{n:05d}",
                query_password="!",
                mailbox=world.county,
                letter_type="consult",
                topic="other",
                title=f"批量信件{n}",
                content="内容",
                writer_name="李四",
                status=status,
                submitted_at=now - datetime.timedelta(days=130 if old else 2),
                due_on=due_on,
                due_from=due_on - datetime.timedelta(days=7),
                due_workdays=5,
            )
        )
    Letter.objects.bulk_create(letters, batch_size=500)
    Assignment.objects.bulk_create(
        [
            Assignment(
                letter=letter,
                department=world.civil,
                due_on=letter.due_on,
                state=Assignment.State.HANDLING if letter.status == Status.ROUTED else Assignment.State.DRAFTED,
            )
            for letter in Letter.objects.filter(status__in=(Status.ROUTED, Status.DRAFTED))
        ],
        batch_size=500,
    )
    soon_limit = add_workdays(today, 3)
    open_ = [(s, d, o) for s, d, o in made if s != Status.CLOSED]
    overdue = sum(d < today for s, d, o in open_)
    due_soon = sum(today <= d <= soon_limit for s, d, o in open_)
    red = sum(o for s, d, o in open_)
    assert len(open_) == 1216 and overdue > 0 and due_soon > 0

    page = desk(world.official)
    assert total(page) == 1216
    assert f"已超期 {overdue} 件，即将到期 {due_soon} 件，超过三个月未答复 {red} 件" in page
    assert total(desk(world.official, "?flag=overdue")) == overdue
    assert total(desk(world.official, "?flag=due_soon")) == due_soon
    last = desk(world.official, "?p=25")
    assert "25 / 25" in last and len(listed(last)) == 1216 - 24 * 50
    first_row = re.search(r'data-tracking-no="[^"]+".*?class="workdays-left">(-?\d+)<', page, re.S)
    assert int(first_row.group(1)) == workdays_between(today, today - datetime.timedelta(days=3))

    home = staff(world.official).get("/admin/").content.decode()
    for name, status in (("accept", Status.SUBMITTED), ("route", Status.ACCEPTED), ("approve", Status.DRAFTED)):
        expected = sum(s == status for s, d, o in made)
        assert re.search(rf'id="letters-todo-{name}">.*?<strong class="count">{expected}</strong>', home, re.S)
    handler_home = staff(world.civil_handler).get("/admin/").content.decode()
    answering = sum(s == Status.ROUTED for s, d, o in made)
    assert re.search(rf'id="letters-todo-answer">.*?<strong class="count">{answering}</strong>', handler_home, re.S)
    assert total(desk(world.civil_handler, "?todo=answer")) == answering


def test_the_handling_department_sees_the_writers_contact_only_when_allowed_and_logged(world):
    letter = receive(world, "低保申请进度", phone="13612345678")
    report = receive(world, "举报乱收费", letter_type="report", phone="13687654321", accused_department=world.police)
    for item in (letter, report):
        act(world.official, item, "accept")
        act(world.official, item, "route", departments=[world.civil.pk])
    handler = staff(world.civil_handler)
    detail = handler.get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "13612345678" not in detail and "136****5678" in detail and "查看完整联系方式" in detail
    shown = handler.post(f"/admin/letters/{letter.pk}/contact/").content.decode()
    assert 'id="writer-phone">13612345678<' in shown
    viewed = LetterEvent.objects.get(letter=letter, action="contact_viewed")
    assert viewed.actor == world.civil_handler and viewed.department == world.civil
    # A 举报's writer stays protected; another department gets nothing.
    assert "查看完整联系方式" not in handler.get(f"/admin/letters/{report.pk}/").content.decode()
    refused = handler.post(f"/admin/letters/{report.pk}/contact/", follow=True).content.decode()
    assert "举报人信息保密" in refused and "13687654321" not in refused
    assert staff(world.education_handler).post(f"/admin/letters/{letter.pk}/contact/").status_code == 404
    assert LetterEvent.objects.filter(action="contact_viewed").count() == 1


def test_mailbox_officials_see_the_writer_masked_and_reveal_phone_and_email_only_logged(world):
    full = {"email": "a@b.cn", "id_number": "11010519491231002X", "address": "青山县青石镇幸福路18号3栋501室"}
    letter = receive(world, "低保申请进度", phone="13800138000", writer_name="张三", **full)
    report = receive(world, "举报乱收费", letter_type="report", phone="13687654321", accused_department=world.police)
    official = staff(world.official)
    secrets = ("13800138000", "a@b.cn", "11010519491231002X", "幸福路18号", "张三")
    pages = [
        official.get(f"/admin/letters/{letter.pk}/").content.decode(),
        official.get("/admin/letters/").content.decode(),
    ]
    sheet = load_workbook(io.BytesIO(official.get("/admin/letters/ledger/").content)).active
    pages.append(" ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row))
    for page in pages:
        assert not [secret for secret in secrets if secret in page]
    assert "张某" in pages[0] and "138****8000" in pages[0] and "11*************02X" in pages[0]
    assert "查看完整联系方式" in pages[0]

    shown = official.post(f"/admin/letters/{letter.pk}/contact/").content.decode()
    assert 'id="writer-phone">13800138000<' in shown and 'id="writer-email">a@b.cn<' in shown
    assert "11010519491231002X" not in shown
    viewed = LetterEvent.objects.get(letter=letter, action="contact_viewed")
    assert viewed.actor == world.official
    # The mailbox officials call a 举报's writer back too, logged the same way.
    assert 'id="writer-phone">13687654321<' in official.post(f"/admin/letters/{report.pk}/contact/").content.decode()
    assert LetterEvent.objects.filter(letter=report, action="contact_viewed", actor=world.official).exists()
