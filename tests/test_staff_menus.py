"""What each role is offered in the admin (issue 18, point 8): menus without Wagtail's own reports
and help for anyone but the site administrator, columns created only by the site administrator
(every door: the type list, the create form, copying, the admin API), and the editorial record a
submission needs marked as required on the article form."""

import json
import re

import pytest
from django.contrib.auth import get_user_model

from home import publishing
from home.models import ArticlePage, ColumnPage

from .builders import login_staff
from .review_builders import api_action, article_form, create_article

pytestmark = pytest.mark.django_db


def sidebar(client):
    """{top-level label: [sub-menu labels]} of the admin sidebar, as the page sends it to the browser."""
    html = client.get("/admin/").content.decode()
    props = json.loads(
        re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    [main] = [module for module in props["modules"] if module["_type"] == "wagtail.sidebar.MainMenuModule"]
    menu = {}
    for item in main["_args"][0]:
        label = item["_args"][0]["label"]
        menu[label] = [child["_args"][0]["label"] for child in item["_args"][1]] if "SubMenu" in item["_type"] else []
    return menu


def test_each_role_is_offered_its_own_work_and_not_wagtail_s_reports_or_help(client, site):
    login_staff(client, site.users["editor"])
    assert sidebar(client) == {"页面": [], "图片": [], "文档": [], "报告": ["政府网站工作年度报表"]}
    login_staff(client, site.users["chief"])
    assert sidebar(client)["报告"] == ["审核记录", "搜索词统计"]
    login_staff(client, site.users["office"])
    assert sidebar(client) == {"报告": ["审核记录"]}


def test_the_site_administrator_keeps_wagtail_s_reports(client, site):
    admin = get_user_model().objects.create_superuser("itadmin", "it@qingshan.example", "Admin#itadmin2026")
    login_staff(client, admin)
    menu = sidebar(client)
    assert {"工作流", "网站历史", "较早的页面"} <= set(menu["报告"])
    assert "帮助" not in menu


def test_only_the_site_administrator_creates_a_column_through_any_door(client, site):
    news = site.portal.news
    columns = ColumnPage.objects.count()
    login_staff(client, site.users["editor"])

    offered = client.get(f"/admin/pages/{news.pk}/add_subpage/").content.decode()
    assert "/admin/pages/add/home/articlepage/" in offered
    assert "/admin/pages/add/home/columnpage/" not in offered

    response = client.get(f"/admin/pages/add/home/columnpage/{news.pk}/", follow=True)
    assert str(publishing.COLUMNS_BY_ADMIN) in response.content.decode()
    response = client.post(f"/admin/pages/add/home/columnpage/{news.pk}/", {"title": "新栏目", "slug": "xlm"})
    assert response.status_code == 302

    copy = {"new_title": "教育动态（副本）", "new_slug": "jydt-copy", "new_parent_page": str(news.pk)}
    response = client.post(f"/admin/pages/{site.education_news.pk}/copy/", copy, follow=True)
    assert str(publishing.COLUMNS_BY_ADMIN) in response.content.decode()
    response = api_action(client, site.education_news, "copy", destination_page_id=news.pk, slug="jydt-api")
    assert (response.status_code, response.json()) == (403, {"message": str(publishing.COLUMNS_BY_ADMIN)})
    assert ColumnPage.objects.count() == columns

    # Articles are still created and copied as before.
    response, article = create_article(client, news, action="action-save", title="县政府召开常务会议")
    assert article is not None
    response = api_action(client, article, "copy", destination_page_id=news.pk, slug="cwhy-copy", keep_live=False)
    assert response.status_code == 201

    admin = get_user_model().objects.create_superuser("itadmin", "it@qingshan.example", "Admin#itadmin2026")
    login_staff(client, admin)
    assert "/admin/pages/add/home/columnpage/" in client.get(f"/admin/pages/{news.pk}/add_subpage/").content.decode()


def required_fields(html):
    """Names of the fields whose label carries Wagtail's required mark."""
    return set(re.findall(r'<label[^>]*for="id_(\w+)"[^>]*>(?:(?!</label>).)*w-required-mark', html, re.S))


def test_the_article_form_marks_what_a_submission_needs_and_a_draft_may_still_lack_it(client, site):
    login_staff(client, site.users["editor"])
    html = client.get(f"/admin/pages/add/home/articlepage/{site.portal.news.pk}/").content.decode()
    assert {"title", "date", "body", "source", "collected_on", "collector"} <= required_fields(html)
    assert "issuing_body" not in required_fields(html)
    # In a disclosure column the catalogue's fields are required too.
    html = client.get(f"/admin/pages/add/home/articlepage/{site.portal.policy.pk}/").content.decode()
    assert {"summary", "issuing_body", "written_on", "topic"} <= required_fields(html)

    response, draft = create_article(client, site.portal.news, action="action-save", source="", collector="")
    assert draft is not None and draft.source == ""
    response = client.post(
        f"/admin/pages/{draft.pk}/edit/",
        {**article_form(title=draft.title, source="", collector=""), "action-submit": "1"},
    )
    html = response.content.decode()
    assert "提交审核前请填写信息来源。" in html and "提交审核前请填写采集人。" in html
    assert ArticlePage.objects.get(pk=draft.pk).current_workflow_state is None
