"""The 政府网站工作年度报表 admin screen (issue 16): the year's figures from the portal's own data,
the .xlsx download, and the report article generated into review; the same refusals through the
screen and through `manage.py annual_report`."""

import io
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page

from home.models import ArticlePage
from services.letters.models import Letter

from .builders import login_staff

pytestmark = pytest.mark.django_db

URL = "/admin/reports/annual-report/"


def shown_figures(html):
    """The figures as the table on the screen shows them: {指标: 数值}."""
    rows = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', html)
    return {item: value for item, value in rows}


def test_an_editor_sees_the_year_s_figures_counted_from_the_database_and_downloads_them(client, site):
    year = timezone.localdate().year
    login_staff(client, site.users["editor"])
    response = client.get(URL, {"year": year})
    assert response.status_code == 200
    figures = shown_figures(response.content.decode())
    published = Page.objects.filter(live=True, first_published_at__year=year)
    assert int(figures["信息发布总数（条）"]) == published.filter(pk__in=ArticlePage.objects.values("pk")).count() > 0
    received = Letter.objects.exclude(status="repeat").filter(submitted_at__year=year).count()
    assert int(figures["领导信箱收到留言数量（条）"]) == received
    assert figures["站内搜索"] == "提供"

    download = client.get(URL, {"year": year, "export": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = load_workbook(io.BytesIO(download.content)).active
    cells = {item: value for _section, item, value in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["信息发布总数（条）"] == int(figures["信息发布总数（条）"])
    assert set(cells) == set(figures)


def test_a_year_outside_the_list_is_refused_with_a_chinese_message(client, site):
    login_staff(client, site.users["editor"])
    response = client.get(URL, {"year": "1990"})
    assert response.status_code == 200
    assert "请选择列表中的年度。" in response.content.decode()


def test_generating_submits_the_report_for_review_once(client, site):
    year = timezone.localdate().year
    editor = site.users["editor"]
    login_staff(client, editor)
    column = site.portal.news
    response = client.post(URL, {"year": year, "column": column.pk})
    assert response.status_code == 302
    article = ArticlePage.objects.get(slug=f"website-annual-report-{year}")
    assert response.url == f"/admin/pages/{article.pk}/edit/"
    assert article.get_parent().pk == column.pk
    assert not article.live and article.current_workflow_task.name == "网站主编审核"
    assert article.attachments.get().document.file.name.endswith(".xlsx")
    assert "提交审核" in client.get(response.url).content.decode()

    again = client.post(URL, {"year": year, "column": column.pk})
    assert again.status_code == 400
    assert f"{year} 年度报表已经生成过" in again.content.decode()
    assert ArticlePage.objects.filter(slug=f"website-annual-report-{year}").count() == 1


def test_a_department_officer_generates_only_into_the_department_s_column(client, site):
    year = timezone.localdate().year
    login_staff(client, site.users["deptofficer"])
    page = client.get(URL).content.decode()
    assert f'<option value="{site.education_news.pk}"' in page
    assert f'<option value="{site.portal.news.pk}"' not in page

    # A column id posted by hand that the officer may not publish in.
    tampered = client.post(URL, {"year": year, "column": site.portal.news.pk})
    assert tampered.status_code == 400 and "请选择您可以发布信息的栏目。" in tampered.content.decode()
    future = client.post(URL, {"year": year + 1, "column": site.education_news.pk})
    assert future.status_code == 400 and "请选择列表中的年度。" in future.content.decode()
    assert not ArticlePage.objects.filter(slug__startswith="website-annual-report-").exists()


def test_staff_who_publish_nowhere_neither_see_nor_open_the_screen(client, site):
    login_staff(client, site.users["managing"])
    assert URL not in client.get("/admin/").content.decode()  # the menu
    # Wagtail's admin answers a refusal with its home page and 「对不起，你没有权限访问。」
    for response in (
        client.get(URL),
        client.post(URL, {"year": timezone.localdate().year, "column": site.portal.news.pk}),
    ):
        assert response.status_code == 302 and response.url == "/admin/"
    assert not ArticlePage.objects.filter(slug__startswith="website-annual-report-").exists()

    login_staff(client, site.users["editor"])
    assert URL in client.get("/admin/").content.decode()


def test_the_command_refuses_what_the_screen_refuses(site):
    year = timezone.localdate().year
    with pytest.raises(CommandError, match="没有在栏目“政务动态”中新建信息的权限"):
        call_command("annual_report", str(year), "--column", "zwdt", "--user", "deptofficer", stdout=StringIO())
    call_command("annual_report", str(year), "--column", "zwdt", "--user", "editor", stdout=StringIO())
    with pytest.raises(CommandError, match="已经生成过"):
        call_command("annual_report", str(year), "--column", "zwdt", "--user", "editor", stdout=StringIO())
    with pytest.raises(CommandError, match="还没有到"):
        call_command("annual_report", str(year + 1), "--column", "zwdt", "--user", "editor", stdout=StringIO())
