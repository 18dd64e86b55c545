"""Every door other than completing review is closed: the editor's and the reviewer's publish
buttons, create-and-publish, bulk publish, copy with publish, revert to an old revision, scheduled
publishing, the admin API and the scheduled-publishing command; departments stay in their columns."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from home.models import ArticlePage

from .builders import login_staff, make_superuser
from .review_builders import build_review_site, create_article, edit_article, form_of, is_live

pytestmark = pytest.mark.django_db

EDITOR_AND_REVIEWER = ["editor", "chief"]


@pytest.fixture
def site():
    return build_review_site()


def draft_in_news(client, site, title="县政府召开冬季安全生产会议"):
    login_staff(client, site.users["editor"])
    response, article = create_article(client, site.portal.news, action="action-save", title=title)
    assert response.status_code == 302 and article is not None and not article.live
    return article


def live_title(article):
    page = ArticlePage.objects.get(pk=article.pk)
    return page.live_revision.as_object().title if page.live_revision else None


@pytest.mark.parametrize("who", EDITOR_AND_REVIEWER)
def test_the_publish_button_of_the_editor_saves_a_draft_only(client, site, who):
    article = draft_in_news(client, site)
    login_staff(client, site.users[who])
    assert edit_article(client, article, action="action-publish", title="直接发布的标题").status_code == 302
    assert not is_live(article)
    assert ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object().title == "直接发布的标题"
    # The button is not even offered.
    assert 'name="action-publish"' not in client.get(f"/admin/pages/{article.pk}/edit/").content.decode()


def test_create_and_publish_creates_a_draft_only(client, site):
    login_staff(client, site.users["editor"])
    _response, article = create_article(client, site.portal.news, action="action-publish", title="新建即发布")
    assert article is not None and not is_live(article)


@pytest.mark.parametrize("who", EDITOR_AND_REVIEWER)
def test_bulk_publish_publishes_nothing(client, site, who):
    article = draft_in_news(client, site)
    login_staff(client, site.users[who])
    url = f"/admin/bulk/wagtailcore/page/publish/?id={article.pk}&next=/admin/"
    client.post(url, {"include_descendants": "on"})
    assert not is_live(article)


@pytest.mark.parametrize("who", EDITOR_AND_REVIEWER)
def test_copy_with_publish_makes_an_unpublished_copy(client, site, who):
    source = site.portal.article  # live, reviewed
    login_staff(client, site.users[who])
    client.post(
        f"/admin/pages/{source.pk}/copy/",
        {
            "new_title": "复制的文件",
            "new_slug": "copied-file",
            "new_parent_page": str(site.portal.news.pk),
            "publish_copies": "on",
        },
    )
    copies = ArticlePage.objects.filter(slug="copied-file")
    assert not copies.filter(live=True).exists()


@pytest.mark.parametrize("who", EDITOR_AND_REVIEWER)
def test_reverting_to_an_old_revision_with_publish_does_not_go_live(client, site, who):
    article = site.portal.guide
    old_revision = article.live_revision
    login_staff(client, site.users["editor"])
    collected = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    assert edit_article(client, article, title="修改后的标题（草稿）", collected_on=collected).status_code == 302
    live_before = ArticlePage.objects.get(pk=article.pk).live_revision_id

    login_staff(client, site.users[who])
    data = form_of(article, title=old_revision.as_object().title, collected_on=collected)
    response = client.post(
        f"/admin/pages/{article.pk}/revisions/{old_revision.pk}/revert/", {**data, "action-publish": "1"}
    )
    assert response.status_code == 302  # accepted as a draft, not published
    assert ArticlePage.objects.get(pk=article.pk).live_revision_id == live_before
    assert live_title(article) == "不动产登记办事指南"


def test_scheduled_publishing_needs_review_too(client, site):
    article = draft_in_news(client, site)
    past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert edit_article(client, article, action="action-publish", go_live_at=past).status_code == 302
    call_command("publish_scheduled")
    assert not is_live(article)


@pytest.mark.parametrize("who", EDITOR_AND_REVIEWER)
def test_the_admin_api_refuses_publish_copy_and_alias(client, site, who):
    article = draft_in_news(client, site)
    live = site.portal.article
    login_staff(client, site.users[who])
    api = "/admin/api/main/pages"
    assert client.post(f"{api}/{article.pk}/action/publish/", {}, content_type="application/json").status_code == 403
    response = client.post(
        f"{api}/{live.pk}/action/copy/",
        {"destination_page_id": site.portal.news.pk, "slug": "api-copy", "keep_live": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    response = client.post(
        f"{api}/{live.pk}/action/create_alias/",
        {"destination_page_id": site.portal.news.pk, "update_slug": "api-alias"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not is_live(article)
    assert not ArticlePage.objects.filter(slug__in=["api-copy", "api-alias"], live=True).exists()


def test_the_site_administrator_neither_reviews_nor_publishes_articles(client, site):
    article = draft_in_news(client, site)
    admin = make_superuser()
    login_staff(client, admin)
    edit_article(client, article, action="action-publish")
    assert not is_live(article)
    edit_article(client, article, action="action-submit")
    state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    assert state is not None
    response = client.post(
        f"/admin/pages/workflow/action/{article.pk}/approve/{state.pk}/",
        {"comment": ""},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 403
    assert not is_live(article)


def test_only_the_editor_in_chief_may_withdraw_a_published_article(client, site):
    article = site.portal.guide
    login_staff(client, site.users["editor"])
    client.post(f"/admin/pages/{article.pk}/unpublish/")
    assert is_live(article)
    login_staff(client, site.users["chief"])
    assert client.post(f"/admin/pages/{article.pk}/unpublish/").status_code == 302
    assert not is_live(article)
    # The withdrawal is in the audit report with its actor.
    rows = client.get("/admin/reports/review-audit/").context["table"]
    assert (rows[0][1], rows[0][3], rows[0][5]) == ("不动产登记办事指南", "撤下", "刘志国")


def test_a_department_officer_cannot_edit_another_departments_column(client, site):
    officer = site.users["deptofficer"]  # 县教育局
    login_staff(client, site.users["healthleader"])
    health_item = ArticlePage(title="卫健局动态", slug="wj-1", body="<p>正文</p>", live=False)
    site.health_news.add_child(instance=health_item)

    login_staff(client, officer)
    xhr = {"x-requested-with": "XMLHttpRequest"}
    assert client.get(f"/admin/pages/{health_item.pk}/edit/", headers=xhr).status_code == 403
    assert client.get(f"/admin/pages/add/home/articlepage/{site.health_news.pk}/", headers=xhr).status_code == 403
    response = client.get(f"/admin/pages/{health_item.pk}/edit/")
    assert response.status_code == 302 and response.url == "/admin/"
    # Its own column is open to it.
    assert client.get(f"/admin/pages/add/home/articlepage/{site.education_news.pk}/").status_code == 200


def test_no_group_keeps_a_direct_publish_grant_after_setup_review(client, site):
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    from portal.roles import grant_page_permissions

    # Wagtail's stock Moderators group, as an administrator might fill it.
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    grant_page_permissions(moderators, [site.portal.home], ["add", "change", "publish"])
    user = site.users["editor"]
    user.groups.add(moderators)
    column = site.portal.news
    assert column.permissions_for_user(user).can_publish()

    login_staff(client, user)
    edit = f"/admin/pages/{column.pk}/edit/"
    assert 'name="action-publish"' in client.get(edit).content.decode()

    call_command("setup_review", stdout=io.StringIO())

    assert not GroupPagePermission.objects.filter(permission__codename="publish_page").exists()
    assert not column.permissions_for_user(type(user).objects.get(pk=user.pk)).can_publish()
    assert 'name="action-publish"' not in client.get(edit).content.decode()
