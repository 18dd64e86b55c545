"""Dashboard panels of the review: what waits for the signed-in reviewer, oldest first with its age;
the freshness monitor of the inspection indicators; e-mail to the next level by a background task."""

import datetime
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, TaskState

from home.models import ArticlePage

from .builders import login_staff
from .review_builders import act, build_review_site, create_article, edit_article


def backdate(article, **delta):
    state = Page.objects.get(pk=article.pk).specific.current_workflow_task_state
    TaskState.objects.filter(pk=state.pk).update(started_at=timezone.now() - datetime.timedelta(**delta))


def panel(html, heading):
    start = html.index(heading)
    return html[start : html.index("</section>", start)]


def rows_by_title(html):
    return {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr>")[2:]}


@pytest.mark.django_db
def test_the_reviewer_sees_what_waits_for_them_oldest_first_with_its_age(client):
    site = build_review_site()
    users = site.users
    login_staff(client, users["editor"])
    _r, newer = create_article(client, site.portal.news, title="较新的待审信息")
    _r, older = create_article(client, site.portal.news, title="较早的待审信息")
    backdate(older, days=3)
    backdate(newer, hours=5)
    login_staff(client, users["deptofficer"])
    _r, department_item = create_article(client, site.education_news, title="教育局待分管领导审核")
    # A live article under review again: the reviewer can compare it with the published version.
    login_staff(client, users["editor"])
    edit_article(
        client, site.portal.guide, action="action-submit", collected_on="2026-01-02", title="不动产登记办事指南（修订）"
    )

    login_staff(client, users["managing"])
    html = panel(client.get("/admin/").content.decode(), "待我审核")
    assert html.index("较早的待审信息") < html.index("较新的待审信息")
    ages = re.findall(r"<time[^>]*>([^<]*)<", html)
    assert [age.replace("\xa0", "") for age in ages[:2]] == ["3日", "5小时"]
    assert "教育局待分管领导审核" not in html
    assert f"/admin/pages/{site.portal.guide.pk}/revisions/compare/live..." in html

    login_staff(client, users["deptleader"])
    html = panel(client.get("/admin/").content.decode(), "待我审核")
    assert "教育局待分管领导审核" in html and "较早的待审信息" not in html

    login_staff(client, users["chief"])
    assert "目前没有等待您审核的信息。" in panel(client.get("/admin/").content.decode(), "待我审核")
    login_staff(client, users["managing"])
    act(client, older, "approve")
    login_staff(client, users["chief"])
    assert "较早的待审信息" in panel(client.get("/admin/").content.decode(), "待我审核")
    assert department_item is not None


@pytest.mark.django_db
def test_the_freshness_monitor_lists_empty_stale_and_nearly_stale_columns(client):
    site = build_review_site()
    now = timezone.now()
    news_item = ArticlePage.objects.child_of(site.portal.news).get()
    ArticlePage.objects.filter(pk=news_item.pk).update(first_published_at=now - datetime.timedelta(days=20))
    ArticlePage.objects.filter(pk=site.portal.article.pk).update(first_published_at=now - datetime.timedelta(days=150))

    login_staff(client, site.users["editor"])
    html = panel(client.get("/admin/").content.decode(), "栏目更新监测")
    rows = rows_by_title(html)
    assert "已超期未更新" in rows["政务动态"] and "20 天未更新" in rows["政务动态"]
    assert "即将超期" in rows["政策文件"] and "150 天未更新" in rows["政策文件"]
    assert "空栏目" in rows["教育动态"] and "空栏目" in rows["卫生健康动态"]
    assert "青山县人民政府" not in rows  # the home page was updated today (the service guide)

    with override_settings(
        PORTAL_FRESHNESS={"home_days": 14, "news_days": 30, "notices_days": 182, "policy_days": 365, "warn_ratio": 0.75}
    ):
        rows = rows_by_title(panel(client.get("/admin/").content.decode(), "栏目更新监测"))
    assert "政务动态" not in rows and "政策文件" not in rows and "教育动态" in rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_next_levels_reviewers_are_emailed_by_a_background_task(client, run_tasks):
    site = build_review_site()
    users = site.users
    login_staff(client, users["editor"])
    mail.outbox.clear()
    _r, article = create_article(client, site.portal.news, title="县政府召开冬季供暖保障会议")
    assert not [message for message in mail.outbox if "待审核" in message.subject], "sent in the request"

    run_tasks()
    sent = [message for message in mail.outbox if "待审核" in message.subject]
    assert sorted(message.to[0] for message in sent) == sorted([users["managing"].email, users["both"].email])
    assert "县政府召开冬季供暖保障会议" in sent[0].subject and "网站主编审核" in sent[0].body
    assert f"/admin/review/{article.pk}/" in sent[0].body  # the review screen, not the edit form

    mail.outbox.clear()
    login_staff(client, users["managing"])
    act(client, article, "approve")
    run_tasks()
    sent = [message for message in mail.outbox if "待审核" in message.subject]
    # "both" holds the chief role too, but is not told: it may act at one level only — and did not.
    assert sorted(message.to[0] for message in sent) == sorted([users["chief"].email, users["both"].email])
