"""Audit (issue 3, acceptance 5): the report screen shows who submitted, approved, sent back and
published each article, at which level, when and with what comment; it filters by column,
reviewer, level and date, and exports the same rows to Excel."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from .builders import login_staff
from .review_builders import build_review_site, create_article, sent_back_once_then_published

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/review-audit/"


@pytest.fixture
def history(client):
    """One news item sent back once and then published; one department item waiting."""
    site = build_review_site()
    sent_back_once_then_published(client, site)
    login_staff(client, site.users["deptofficer"])
    create_article(client, site.education_news, title="县教育局召开秋季开学工作会")
    return site


def table_rows(response):
    return response.context["table"]


def test_the_report_shows_the_whole_history_and_exports_it(client, history):
    users = history.users
    login_staff(client, users["chief"])
    response = client.get(REPORT)
    assert response.status_code == 200
    rows = table_rows(response)
    actions = [(row[3], row[4], row[5], row[6]) for row in reversed(rows) if "防汛抗旱" in row[1]]
    assert actions == [
        ("提交审核", "网站主编审核", "李晓明", ""),
        ("退回修改", "网站主编审核", "陈静", "请补充会议时间"),
        ("提交审核", "网站主编审核", "李晓明", ""),
        ("审核通过", "网站主编审核", "陈静", "同意"),
        ("审核通过", "网站总编审核", "刘志国", "同意发布"),
        ("发布", "", "刘志国", ""),
    ]
    assert all(row[2] == "政务动态" for row in rows if "防汛抗旱" in row[1])
    html = response.content.decode()
    assert "请补充会议时间" in html and "导出 Excel" in html

    export = client.get(REPORT, {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(BytesIO(export.content)).active
    values = [tuple("" if cell is None else cell for cell in row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ("时间", "信息标题", "栏目", "操作", "审核级次", "操作人", "审核意见")
    assert values[1:] == [tuple(row) for row in rows]


def test_the_report_filters_by_column_reviewer_level_and_date(client, history):
    users = history.users
    login_staff(client, users["chief"])

    by_reviewer = table_rows(client.get(REPORT, {"user": users["managing"].pk}))
    assert {row[5] for row in by_reviewer} == {"陈静"} and len(by_reviewer) == 2

    by_level = table_rows(client.get(REPORT, {"level": "网站总编审核"}))
    assert [(row[3], row[5]) for row in by_level] == [("审核通过", "刘志国")]

    by_column = table_rows(client.get(REPORT, {"column": history.education_news.pk}))
    assert [(row[1], row[3], row[4]) for row in by_column] == [
        ("县教育局召开秋季开学工作会", "提交审核", "部门分管领导审核")
    ]

    today = timezone.localdate().isoformat()
    everything = table_rows(client.get(REPORT))
    assert table_rows(client.get(REPORT, {"date_from": today, "date_to": today})) == everything
    assert table_rows(client.get(REPORT, {"date_to": "2020-01-01"})) == []
    wrong = client.get(REPORT, {"date_from": today, "date_to": "2020-01-01"})
    assert "起始日期不能晚于截止日期。" in wrong.content.decode()

    # Filtered export has the filtered rows only.
    export = client.get(REPORT, {"user": users["managing"].pk, "export": "xlsx"})
    assert load_workbook(BytesIO(export.content)).active.max_row == 1 + len(by_reviewer)


def test_editors_do_not_see_the_report(client, history):
    login_staff(client, history.users["editor"])
    response = client.get(REPORT)
    assert response.status_code == 302 and response.url == "/admin/"


def test_times_in_the_export_are_date_time_cells(client, history):
    login_staff(client, history.users["chief"])
    export = client.get(REPORT, {"export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    times = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert times and all(cell.is_date and cell.number_format == "yyyy-mm-dd hh:mm:ss" for cell in times)
    # The same local times the report shows, to the second.
    assert [cell.value for cell in times] == [row[0] for row in table_rows(client.get(REPORT))]
    assert times[0].value.date() == timezone.localdate()
