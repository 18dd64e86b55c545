"""撤下 (issue 18, point 9): the 网站总编 withdraws a published article only with a reason, through
every door that unpublishes one — Wagtail's unpublish screen, its bulk unpublish action and the
admin API; an expiry date, which would withdraw without one, is refused. Without a reason nothing
changes and the refusal says why in Chinese; the reason shows in the review audit report (审核记录)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from home import publishing
from home.models import ArticlePage, TopicPage

from .builders import login_staff
from .review_builders import CsrfClient, api_action, edit_article, is_live

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/review-audit/"


def withdrawals(article):
    return PageLogEntry.objects.filter(page_id=article.pk, action="wagtail.unpublish").count()


def audit_row(client, title):
    rows = client.get(REPORT).context["table"]
    return next((row[3], row[5], row[6]) for row in rows if row[1] == title and row[3] == "撤下")


def test_the_unpublish_screen_asks_for_the_reason_and_keeps_it(client, site):
    article = site.portal.guide
    login_staff(client, site.users["chief"])
    url = f"/admin/pages/{article.pk}/unpublish/"
    screen = client.get(url).content.decode()
    assert "撤下理由" in screen and 'name="reason"' in screen

    response = client.post(url, {"reason": "  ", "next": "/admin/"})
    assert response.status_code == 302 and response.url.startswith(url)
    assert [str(message) for message in get_messages(response.wsgi_request)] == ["请填写撤下理由。"]
    assert is_live(article) and withdrawals(article) == 0
    assert "请填写撤下理由。" in client.get(response.url).content.decode()

    response = client.post(url, {"reason": "办事指南已由新版本替代", "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert not is_live(article)
    assert audit_row(client, article.title) == ("撤下", "刘志国", "办事指南已由新版本替代")


def test_the_bulk_unpublish_action_asks_for_the_reason_and_keeps_it(site):
    client = CsrfClient()
    article = site.portal.article
    login_staff(client, site.users["chief"])
    url = f"/admin/bulk/wagtailcore/page/unpublish/?id={article.pk}&next=/admin/"
    screen = client.get(url).content.decode()
    assert "撤下理由" in screen and "确认撤下" in screen

    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert str(publishing.WITHDRAWAL_NEEDS_REASON) in response.content.decode()
    assert is_live(article) and withdrawals(article) == 0

    response = client.post(url, {"reason": "文件已废止"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert not is_live(article)
    assert audit_row(client, article.title) == ("撤下", "刘志国", "文件已废止")


def test_the_admin_api_asks_for_the_reason_and_keeps_it(site):
    client = CsrfClient()
    article = site.portal.guide
    login_staff(client, site.users["chief"])

    for data in ({}, {"reason": " "}, {"reason": ["列表不是理由"]}):
        response = api_action(client, article, "unpublish", **data)
        assert (response.status_code, response.json()) == (400, {"message": str(publishing.WITHDRAWAL_NEEDS_REASON)})
    assert is_live(article) and withdrawals(article) == 0

    response = api_action(client, article, "unpublish", reason="信息有误，待更正后重新发布")
    assert response.status_code == 200 and response.json()["id"] == article.pk
    assert not is_live(article)
    assert audit_row(client, article.title) == ("撤下", "刘志国", "信息有误，待更正后重新发布")

    # Withdrawn already: nothing more to withdraw, and nothing logged.
    response = api_action(client, article, "unpublish", reason="再次撤下")
    assert (response.status_code, response.json()) == (400, {"message": str(publishing.NOT_LIVE)})
    assert withdrawals(article) == 1


def test_a_reason_does_not_open_the_door_to_anyone_but_the_editor_in_chief(site):
    client = CsrfClient()
    article = site.portal.guide
    login_staff(client, site.users["managing"])
    response = api_action(client, article, "unpublish", reason="主编想撤下")
    assert (response.status_code, response.json()) == (403, {"message": str(publishing.NOT_A_WITHDRAWER)})
    response = client.post(f"/admin/pages/{article.pk}/unpublish/", {"reason": "主编想撤下"})
    assert response.status_code == 302 and response.url == "/admin/"
    client.post(f"/admin/bulk/wagtailcore/page/unpublish/?id={article.pk}&next=/admin/", {"reason": "主编想撤下"})
    assert is_live(article) and withdrawals(article) == 0


def test_an_expiry_date_which_would_withdraw_without_a_reason_is_refused(client, site):
    article = site.portal.guide
    revisions = article.revisions.count()
    login_staff(client, site.users["editor"])
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    for action in (None, "action-submit"):
        response = edit_article(client, article, action=action, expire_at=tomorrow)
        assert response.status_code == 200
        assert str(publishing.NO_SCHEDULED_WITHDRAWAL) in response.content.decode()
    assert article.revisions.count() == revisions
    assert not ArticlePage.objects.filter(pk=article.pk, expire_at__isnull=False).exists()


def test_no_reviewed_page_type_takes_an_expiry_date_through_any_door(client, site):
    """The rule belongs to every page type that goes live through review, not to articles only:
    the admin form of a 专题 and a version saved by code (an import, a command) are refused alike."""
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    login_staff(client, site.users["editor"])
    response = client.post(
        f"/admin/pages/add/home/topicpage/{site.portal.news.pk}/",
        nested_form_data(
            {
                "title": "优化营商环境",
                "slug": "yhyshj",
                "intro": "优化营商环境专题。",
                "banner": "",
                "tag": "营商环境",
                "selections": inline_formset([]),
                "comments": inline_formset([]),
                "expire_at": tomorrow.strftime("%Y-%m-%d %H:%M"),
            }
        ),
    )
    assert response.status_code == 200
    assert str(publishing.NO_SCHEDULED_WITHDRAWAL) in response.content.decode()
    assert not TopicPage.objects.filter(slug="yhyshj").exists()

    topic = site.portal.news.add_child(instance=TopicPage(title="乡村振兴", slug="xczx", intro="专题。", live=False))
    revisions = topic.revisions.count()
    topic.expire_at = tomorrow
    with pytest.raises(ValidationError) as refused:
        topic.save_revision(user=site.users["editor"])
    assert refused.value.message_dict == {"expire_at": [str(publishing.NO_SCHEDULED_WITHDRAWAL)]}
    assert topic.revisions.count() == revisions
