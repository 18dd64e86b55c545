"""Time-limit monitoring (案件期限监测): case-management staff see the open cases whose deadline
is near or past, with the days left, computed from the source's time limit or from the stage
settings they edit in the admin; the list filters, pages and exports to Excel."""

import calendar
import datetime
import re
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from portal.roles import ensure_role_groups
from services.cases.models import StageTimeLimit
from services.cases.monitoring import DEFAULT_STAGE_LIMITS, monitored_cases, standing

from ..builders import login_staff
from ..test_accounts import casemgr
from .builders import case_record

pytestmark = pytest.mark.django_db

LIST = reverse("cases_time_limits:list")
EXPORT = reverse("cases_time_limits:export")


def add_months(day, months):
    """Same day `months` later, or that month's last day when it is shorter (刑诉法 calendar months)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def iso(day):
    return day.isoformat()


def open_case(number, *, accepted, limit=None, stage="审查起诉", office="第一检察部", events=(), **extra):
    """A record of an open case: accepted on `accepted`, source time limit `limit` (or none)."""
    return case_record(
        number,
        accepted_on=iso(accepted),
        time_limit_on=iso(limit) if limit else None,
        current_stage=stage,
        handling_office=office,
        events=[{"kind": "受理", "date": iso(accepted)}, *({"kind": k, "date": iso(d)} for k, d in events)],
        **extra,
    )


def listing(today, **filters):
    return [(case.case_number, standing(case, today).days_left) for case in monitored_cases(today, **filters)]


def rows_on_page(html):
    """(case number, days left) of each table row, in order."""
    return [
        (number, int(days))
        for number, days in re.findall(
            r"<tr class=\"time-limit-\w+\">\s*<td>([^<]+)</td>.*?data-days-left=\"(-?\d+)\"", html, re.S
        )
    ]


# --- the rules, on a fixed date -------------------------------------------------------------

TODAY = datetime.date(2026, 3, 31)


def test_source_time_limits_are_used_as_sent_and_concluded_cases_are_left_out(import_file):
    day = TODAY
    import_file(
        open_case("A-超期", accepted=day - datetime.timedelta(60), limit=day - datetime.timedelta(3)),
        open_case("B-今日", accepted=day - datetime.timedelta(60), limit=day),
        open_case("C-两天", accepted=day - datetime.timedelta(60), limit=day + datetime.timedelta(2)),
        # Outside the 审查起诉 warning of 5 days.
        open_case("D-六天", accepted=day - datetime.timedelta(60), limit=day + datetime.timedelta(6)),
        # The source counts its own extensions: its date is not moved again.
        open_case(
            "E-已延长",
            accepted=day - datetime.timedelta(40),
            limit=day + datetime.timedelta(4),
            events=[("延长审查期限", day - datetime.timedelta(5))],
        ),
        open_case(
            "F-已结案阶段", accepted=day - datetime.timedelta(60), limit=day - datetime.timedelta(9), stage="已结案"
        ),
        open_case(
            "G-结案事项",
            accepted=day - datetime.timedelta(60),
            limit=day - datetime.timedelta(9),
            events=[("提起公诉", day - datetime.timedelta(20)), ("结案", day - datetime.timedelta(20))],
        ),
        # A stage without settings is still watched when the source sends a limit (3 warning days).
        open_case(
            "H-未设置阶段",
            accepted=day - datetime.timedelta(60),
            limit=day + datetime.timedelta(3),
            stage="羁押必要性审查",
        ),
        open_case(
            "I-未设置阶段",
            accepted=day - datetime.timedelta(60),
            limit=day + datetime.timedelta(4),
            stage="羁押必要性审查",
        ),
    )
    assert listing(day) == [("A-超期", -3), ("B-今日", 0), ("C-两天", 2), ("H-未设置阶段", 3), ("E-已延长", 4)]


def test_deadlines_without_a_source_limit_follow_the_stage_settings(import_file):
    day = TODAY
    import_file(
        # 审查逮捕: 7 days from acceptance.
        open_case("逮捕-1", accepted=day - datetime.timedelta(6), stage="审查逮捕"),
        open_case("逮捕-2", accepted=day - datetime.timedelta(9), stage="审查逮捕"),
        open_case("逮捕-未到", accepted=day - datetime.timedelta(3), stage="审查逮捕"),
        # 审查起诉: one calendar month; accepted 2026-02-28 → 2026-03-28.
        open_case("起诉-月", accepted=datetime.date(2026, 2, 28)),
        # A month from 1月31日 ends on 2月28日; one extension adds 15 days → 3月15日.
        open_case(
            "起诉-延长", accepted=datetime.date(2026, 1, 31), events=[("延长审查期限", datetime.date(2026, 2, 20))]
        ),
        # Back from 补充侦查 on 3月3日: counted again from then (→ 4月3日); the earlier extension no longer counts.
        open_case(
            "起诉-重新起算",
            accepted=datetime.date(2025, 12, 1),
            events=[
                ("延长审查期限", datetime.date(2025, 12, 25)),
                ("退回补充侦查", datetime.date(2026, 1, 10)),
                ("重新移送审查起诉", datetime.date(2026, 3, 3)),
            ],
        ),
        # A stage with no settings and no limit from the source is not monitored.
        open_case("未设置-无期限", accepted=datetime.date(2025, 1, 1), stage="羁押必要性审查"),
    )
    assert listing(day) == [("起诉-延长", -16), ("起诉-月", -3), ("逮捕-2", -2), ("逮捕-1", 1), ("起诉-重新起算", 3)]
    assert listing(day, state="overdue") == [("起诉-延长", -16), ("起诉-月", -3), ("逮捕-2", -2)]
    assert listing(day, state="due_soon") == [("逮捕-1", 1), ("起诉-重新起算", 3)]


def test_the_warning_days_and_limits_are_the_stage_settings(import_file):
    day = TODAY
    import_file(open_case("逮捕-未到", accepted=day - datetime.timedelta(3), stage="审查逮捕"))
    assert listing(day) == []
    StageTimeLimit.objects.filter(stage="审查逮捕").update(warning_days=4)
    assert listing(day) == [("逮捕-未到", 4)]
    StageTimeLimit.objects.filter(stage="审查逮捕").update(limit_days=0, limit_months=1)
    assert listing(day) == []
    StageTimeLimit.objects.filter(stage="审查逮捕").delete()
    assert listing(day) == []


# --- the staff screens, on the real date ------------------------------------------------------


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def watched_cases(import_file):
    """Open cases around their deadlines in two offices, with one juvenile case."""
    batch, _ = import_file(
        open_case("青山检刑受〔2026〕21号", accepted=days(-60), limit=days(-4)),
        open_case("青山检刑受〔2026〕22号", accepted=days(-60), limit=days(2), office="第二检察部"),
        open_case("青山检捕受〔2026〕23号", accepted=days(-6), stage="审查逮捕"),
        open_case("青山检未受〔2026〕24号", accepted=days(-60), limit=days(-1), office="第二检察部", juvenile=True),
        open_case("青山检刑受〔2026〕25号", accepted=days(-60), limit=days(30)),
        open_case("青山检刑受〔2026〕26号", accepted=days(-60), limit=days(-30), stage="已结案"),
    )
    assert batch.rejected_count == 0
    return {
        "青山检刑受〔2026〕21号": -4,
        "青山检未受〔2026〕24号": -1,
        "青山检捕受〔2026〕23号": 1,
        "青山检刑受〔2026〕22号": 2,
    }


def test_only_staff_with_the_monitoring_permission_open_the_list(client, watched_cases):
    editor = get_user_model().objects.create_user(username="editor", password="Test#Edit2026", is_staff=True)
    editor.groups.add(ensure_role_groups()["editor"])
    login_staff(client, editor)
    for url in (LIST, EXPORT, reverse("case_stage_time_limits:index")):
        assert client.get(url).status_code in (302, 403), url
    assert LIST not in client.get("/admin/").content.decode()

    login_staff(client, casemgr())
    assert LIST in client.get("/admin/").content.decode()
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("case_stage_time_limits:index")).status_code == 200


def test_the_list_shows_each_case_with_its_days_left_most_overdue_first(client, watched_cases):
    login_staff(client, casemgr())
    html = client.get(LIST).content.decode()
    assert rows_on_page(html) == list(watched_cases.items())
    assert "已超期 4 天" in html and "已超期 1 天" in html and "剩余 1 天" in html and "剩余 2 天" in html
    assert days(-4).isoformat() in html and "按阶段期限设置计算" in html
    assert "未成年人" in html and "共 4 件" in html
    assert reverse("case_stage_time_limits:index") in html
    # Case facts only: no party's name or ID number, not even masked.
    assert "李建国" not in html and "王秀英" not in html and "*****" not in html


def test_the_list_filters_by_office_and_state(client, watched_cases):
    login_staff(client, casemgr())
    second = rows_on_page(client.get(LIST, {"office": "第二检察部"}).content.decode())
    assert second == [("青山检未受〔2026〕24号", -1), ("青山检刑受〔2026〕22号", 2)]
    overdue = rows_on_page(client.get(LIST, {"state": "overdue"}).content.decode())
    assert overdue == [("青山检刑受〔2026〕21号", -4), ("青山检未受〔2026〕24号", -1)]
    due_soon = rows_on_page(client.get(LIST, {"state": "due_soon", "office": "第一检察部"}).content.decode())
    assert due_soon == [("青山检捕受〔2026〕23号", 1)]
    unknown = client.get(LIST, {"office": "不存在的部门"}).content.decode()
    assert "筛选条件无效" in unknown and len(rows_on_page(unknown)) == 4


def test_the_list_finds_a_case_by_its_number_however_the_brackets_are_typed(client, watched_cases):
    login_staff(client, casemgr())
    for typed in ("青山检刑受(2026)21号", " 青山检刑受 [2026] 21号 ", "青山检刑受〔2026〕21号", "刑受（2026）21"):
        assert rows_on_page(client.get(LIST, {"case_number": typed}).content.decode()) == [
            ("青山检刑受〔2026〕21号", -4)
        ], typed
    by_year = rows_on_page(client.get(LIST, {"case_number": "(2026)2", "state": "overdue"}).content.decode())
    assert by_year == [("青山检刑受〔2026〕21号", -4), ("青山检未受〔2026〕24号", -1)]
    nothing = client.get(LIST, {"case_number": "青山检刑受(2026)99号"}).content.decode()
    assert rows_on_page(nothing) == [] and "共 0 件" in nothing
    export = client.get(EXPORT, {"case_number": "(2026)22"})
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["青山检刑受〔2026〕22号"]


def test_the_list_pages_fifty_cases_at_a_time(client, import_file):
    import_file(*(open_case(f"青山检刑受〔2026〕{100 + n}号", accepted=days(-60), limit=days(-n)) for n in range(55)))
    login_staff(client, casemgr())
    first = rows_on_page(client.get(LIST).content.decode())
    second = rows_on_page(client.get(LIST, {"p": 2}).content.decode())
    assert len(first) == 50 and len(second) == 5
    assert first[0] == ("青山检刑受〔2026〕154号", -54) and second[-1] == ("青山检刑受〔2026〕100号", 0)


def test_the_export_holds_the_filtered_list(client, watched_cases):
    login_staff(client, casemgr())
    response = client.get(EXPORT, {"state": "overdue"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("案件编号", "案件名称", "承办部门") and rows[0][7] == "剩余天数"
    assert [(row[0], row[7], row[9]) for row in rows[1:]] == [
        ("青山检刑受〔2026〕21号", -4, "已超期 4 天"),
        ("青山检未受〔2026〕24号", -1, "已超期 1 天"),
    ]
    assert rows[1][5].date() == days(-4) and rows[1][6] == "案件管理系统"
    assert not any("李建国" in str(value) for row in rows for value in row)


def test_editing_a_stage_setting_changes_the_list(client, watched_cases):
    staff = casemgr()
    login_staff(client, staff)
    setting = StageTimeLimit.objects.get(stage="审查逮捕")
    edit = reverse("case_stage_time_limits:edit", args=[setting.pk])
    form = {
        "stage": "审查逮捕",
        "limit_months": 0,
        "limit_days": 7,
        "extension_days": 0,
        "warning_days": 2,
        "restart_events": "",
        "basis": setting.basis,
    }
    refused = client.post(edit, {**form, "limit_days": 0})
    assert refused.status_code == 200 and "月数和日数不能都为0" in refused.content.decode()
    setting.refresh_from_db()
    assert setting.limit_days == 7

    assert client.post(edit, {**form, "limit_days": 10}).status_code == 302
    assert ("青山检捕受〔2026〕23号", 1) not in rows_on_page(client.get(LIST).content.decode())
    assert client.post(edit, {**form, "limit_days": 10, "warning_days": 4}).status_code == 302
    assert ("青山检捕受〔2026〕23号", 4) in rows_on_page(client.get(LIST).content.decode())
    # Each change is in the admin's audit log, with who made it.
    assert ModelLogEntry.objects.filter(object_id=str(setting.pk), action="wagtail.edit", user=staff).count() == 2


def test_the_migration_seeds_the_documented_default_settings():
    seeded = {limit.stage: limit for limit in StageTimeLimit.objects.all()}
    assert set(seeded) == {values["stage"] for values in DEFAULT_STAGE_LIMITS}
    for values in DEFAULT_STAGE_LIMITS:
        limit = seeded[values["stage"]]
        assert all(getattr(limit, name) == value for name, value in values.items()), values["stage"]
    assert seeded["审查起诉"].restart_kinds == ["重新移送审查起诉"]


def test_a_stage_added_in_the_admin_is_monitored(client, import_file):
    import_file(open_case("青山检刑监受〔2026〕7号", accepted=days(-10), stage="羁押必要性审查"))
    login_staff(client, casemgr())
    assert rows_on_page(client.get(LIST).content.decode()) == []
    form = {"stage": "羁押必要性审查", "limit_months": 0, "limit_days": 10, "extension_days": 0, "warning_days": 3}
    assert client.post(reverse("case_stage_time_limits:add"), form).status_code == 302
    assert rows_on_page(client.get(LIST).content.decode()) == [("青山检刑监受〔2026〕7号", 0)]
    duplicate = client.post(reverse("case_stage_time_limits:add"), form).content.decode()
    assert "已存在" in duplicate and StageTimeLimit.objects.filter(stage="羁押必要性审查").count() == 1
