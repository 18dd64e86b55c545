"""Every door other than completing review is closed: the editor's and the reviewer's publish
buttons, create-and-publish, bulk publish, copy with publish, revert to an old revision, scheduled
publishing, the admin API and the scheduled-publishing command; departments stay in their columns."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from home import publishing
from home.models import ArticlePage

from .builders import login_staff, make_superuser
from .review_builders import CsrfClient, api_action, create_article, edit_article, form_of, is_live

pytestmark = pytest.mark.django_db

EDITOR_AND_REVIEWER = ["editor", "chief"]


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
    assert client.post(f"/admin/pages/{article.pk}/unpublish/", {"reason": "办事指南已更新"}).status_code == 302
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


# --- Withdraw, delete, move: the site administrator is an IT role, not an editorial one ---------


def page_state(article):
    page = ArticlePage.objects.filter(pk=article.pk).first()
    return page and (page.live, page.get_parent().pk)


def test_the_site_administrator_cannot_withdraw_delete_or_move_a_published_article(site):
    client = CsrfClient()
    article, column, other = site.portal.guide, site.portal.services, site.portal.news
    login_staff(client, make_superuser())
    before = page_state(article)
    bulk = "/admin/bulk/wagtailcore/page/{action}/?id=" + str(article.pk) + "&next=/admin/"
    doors = [
        (f"/admin/pages/{article.pk}/unpublish/", {}),
        (bulk.format(action="unpublish"), {}),
        (f"/admin/pages/{article.pk}/delete/", {}),
        (bulk.format(action="delete"), {}),
        (f"/admin/pages/{article.pk}/move/{other.pk}/confirm/", {}),
        (bulk.format(action="move"), {"chooser": other.pk}),
        (f"/admin/pages/{column.pk}/delete/", {}),  # the column that holds it
    ]
    for url, data in doors:
        client.post(url, data)
        assert page_state(article) == before, url
    for action, data, message in [
        ("unpublish", {}, publishing.NOT_A_WITHDRAWER),
        ("delete", {}, publishing.ARCHIVED),
        ("move", {"destination_page_id": other.pk}, publishing.PUBLISHED_NOT_MOVABLE),
    ]:
        response = api_action(client, article, action, **data)
        assert (response.status_code, response.json()["message"]) == (403, str(message))
    assert page_state(article) == before


def test_the_editor_in_chief_withdraws_through_the_api_and_the_bulk_action_but_never_deletes(site):
    client = CsrfClient()
    login_staff(client, site.users["chief"])
    assert api_action(client, site.portal.guide, "unpublish", reason="办事指南已更新").status_code == 200
    assert not is_live(site.portal.guide)
    bulk = f"/admin/bulk/wagtailcore/page/unpublish/?id={site.portal.article.pk}&next=/admin/"
    client.post(bulk, {"reason": "已废止"})
    assert not is_live(site.portal.article)
    response = api_action(client, site.portal.guide, "delete")
    assert (response.status_code, response.json()["message"]) == (403, str(publishing.ARCHIVED))
    assert ArticlePage.objects.filter(pk=site.portal.guide.pk).exists()


def test_a_draft_is_deleted_or_moved_by_its_editor_but_not_while_under_review(site):
    client = CsrfClient()
    login_staff(client, site.users["editor"])
    _response, kept = create_article(client, site.portal.news, action="action-save", title="待移动的草稿")
    _response, dropped = create_article(client, site.portal.news, action="action-save", title="待删除的草稿")
    _response, reviewed = create_article(client, site.portal.news, title="已提交审核的信息")

    response = api_action(client, kept, "move", destination_page_id=site.portal.services.pk, position="last-child")
    assert response.status_code == 200
    assert ArticlePage.objects.get(pk=kept.pk).get_parent().pk == site.portal.services.pk
    assert client.post(f"/admin/pages/{dropped.pk}/delete/").status_code == 302
    assert not ArticlePage.objects.filter(pk=dropped.pk).exists()

    for action, data in [("delete", {}), ("move", {"destination_page_id": site.portal.services.pk})]:
        response = api_action(client, reviewed, action, **data)
        assert (response.status_code, response.json()["message"]) == (403, str(publishing.IN_REVIEW_NOT_REMOVABLE))
    client.post(f"/admin/pages/{reviewed.pk}/delete/")
    assert ArticlePage.objects.get(pk=reviewed.pk).get_parent().pk == site.portal.news.pk


def test_reordering_siblings_is_no_move_and_changes_no_content(site):
    client = CsrfClient()
    login_staff(client, make_superuser())
    article = site.portal.guide
    revisions = article.revisions.count()
    response = client.post(f"/admin/pages/{article.pk}/set_position/?position=0")
    assert response.status_code == 200
    page = ArticlePage.objects.get(pk=article.pk)
    assert page.live and page.get_parent().pk == site.portal.services.pk and page.revisions.count() == revisions


# --- Copies, aliases, translations ------------------------------------------------------------


def test_the_api_copies_an_article_only_as_a_draft_with_its_own_index_number(site):
    client = CsrfClient()
    source = site.portal.article  # live, disclosed, has an index number
    assert source.index_no
    login_staff(client, site.users["editor"])
    response = api_action(client, source, "copy", destination_page_id=site.portal.news.pk, slug="api-copy")
    assert (response.status_code, response.json()["message"]) == (403, str(publishing.COPY_AS_DRAFT))
    response = api_action(
        client, source, "copy", destination_page_id=site.portal.news.pk, slug="api-copy", keep_live=False
    )
    assert response.status_code == 201
    copy = ArticlePage.objects.get(slug="api-copy")
    assert not copy.live and copy.index_no == "" and copy.current_workflow_state is None


@pytest.mark.parametrize("who", ["chief", "superuser"])
def test_no_alias_or_translation_copy_of_an_article_is_made_or_converted(site, who):
    client = CsrfClient()
    login_staff(client, make_superuser() if who == "superuser" else site.users[who])
    article = site.portal.article
    for action, data, message in [
        ("create_alias", {"destination_page_id": site.portal.news.pk, "update_slug": "alias"}, publishing.NO_ALIASES),
        ("convert_alias", {}, publishing.NO_ALIASES),
        ("copy_for_translation", {"locale": "zh-hans", "alias": True}, publishing.ONE_LANGUAGE),
    ]:
        response = api_action(client, article, action, **data)
        assert (response.status_code, response.json()["message"]) == (403, str(message)), action
    assert ArticlePage.objects.filter(title=article.title).count() == 1


# --- Privacy, locks, preview ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["chief", "superuser"])
def test_nobody_puts_a_view_restriction_on_an_article(site, who):
    client = CsrfClient()
    login_staff(client, make_superuser() if who == "superuser" else site.users[who])
    response = client.post(f"/admin/pages/{site.portal.guide.pk}/privacy/", {"restriction_type": "login"})
    assert (response.status_code, response.url) == (302, "/admin/")  # the admin's "permission denied"
    assert not site.portal.guide.get_view_restrictions().exists()


def test_locking_and_previewing_change_no_revision_and_nothing_public(site):
    client = CsrfClient()
    article = site.portal.guide
    revisions = article.revisions.count()
    login_staff(client, site.users["editor"])  # no lock permission
    assert client.post(f"/admin/pages/{article.pk}/lock/").url == "/admin/"  # permission denied
    preview = client.post(f"/admin/pages/{article.pk}/edit/preview/", form_of(article, title="预览中的标题"))
    assert preview.status_code == 200 and preview.json()["is_valid"]
    login_staff(client, make_superuser())
    assert client.post(f"/admin/pages/{article.pk}/lock/").status_code == 302
    assert client.post(f"/admin/pages/{article.pk}/unlock/").status_code == 302
    assert article.revisions.count() == revisions
    assert live_title(article) == "不动产登记办事指南"
