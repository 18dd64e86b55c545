"""Review integrity (issue 10): what goes live is exactly the revision every level approved.

Each finding is attacked through the door it was found at, with real CSRF checks and staff signed
in with their authenticator code: the admin API's revert during review, the last reviewer editing
while approving, saving or reverting an item under review, autosave rewriting an approved
revision, a revision slipped in by a door the admin does not know, and the 敏感信息 mark lost by
a revert."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from wagtail import hooks
from wagtail.models import PageLogEntry, Revision, TaskState

from home.models import ArticlePage, ReviewWorkflow
from home.review import UNDER_REVIEW

from .builders import login_staff
from .review_builders import (
    CsrfClient,
    act,
    api_action,
    create_article,
    current_task_state,
    edit_article,
    form_of,
    is_live,
)

pytestmark = pytest.mark.django_db

REVIEWED_TITLE = "县政府召开冬季安全生产工作会议"
APPROVE = {"workflow-action-name": "approve", "workflow-action-extra-data": "{}"}


@pytest.fixture
def client():
    return CsrfClient()


def submitted(client, site, column=None, title=REVIEWED_TITLE, **fields):
    """An article drafted once (an unreviewed draft revision), then submitted with `title`."""
    login_staff(client, site.users["editor"])
    response, article = create_article(
        client, column or site.portal.news, action="action-save", title="草稿：未经审核的标题", **fields
    )
    assert response.status_code == 302
    assert edit_article(client, article, action="action-submit", title=title).status_code == 302
    return ArticlePage.objects.get(pk=article.pk)


def approve_up_to(client, article, reviewers):
    for reviewer in reviewers:
        login_staff(client, reviewer)
        assert act(client, article, "approve", "同意") == 200


def latest_revision(article):
    return ArticlePage.objects.get(pk=article.pk).latest_revision


def public_text(client, article):
    client.cookies.clear()
    return client.get(ArticlePage.objects.get(pk=article.pk).url).content.decode()


def approvals_of(article):
    state = ArticlePage.objects.get(pk=article.pk).workflow_states.order_by("-created_at").first()
    return list(state.task_states.filter(status=TaskState.STATUS_APPROVED).values_list("revision_id", flat=True))


def test_the_csrf_client_really_checks_the_token(client, site):
    login_staff(client, site.users["chief"])
    url = f"/admin/api/main/pages/{site.portal.guide.pk}/action/unpublish/"
    response = client.post(url, {}, content_type="application/json", headers={"X-CSRFToken": "forged" * 6})
    assert response.status_code == 403 and "CSRF" in response.content.decode()
    assert is_live(site.portal.guide)


def test_an_api_revert_during_review_is_refused_and_the_approved_text_goes_live(client, site):
    """Finding 1a: the editor reverts to an unreviewed draft while the item waits for the chief."""
    article = submitted(client, site)
    approve_up_to(client, article, [site.users["managing"]])
    reviewed = latest_revision(article)
    draft = Revision.objects.for_instance(article).order_by("created_at", "pk").first()
    assert draft.as_object().title == "草稿：未经审核的标题"

    login_staff(client, site.users["editor"])
    response = api_action(client, article, "revert_to_page_revision", revision_id=draft.pk)
    assert response.status_code == 403
    assert response.json()["message"] == str(UNDER_REVIEW)
    assert latest_revision(article) == reviewed

    approve_up_to(client, article, [site.users["chief"]])
    page = ArticlePage.objects.get(pk=article.pk)
    assert page.live and page.live_revision == reviewed
    assert set(approvals_of(article)) == {reviewed.pk}
    html = public_text(client, article)
    assert REVIEWED_TITLE in html and "未经审核" not in html


@pytest.mark.parametrize("sensitive", [False, True], ids=["chief", "county-leader"])
def test_the_last_reviewer_cannot_rewrite_the_item_while_approving_it(client, site, sensitive):
    """Finding 1b: the last level edits in the editor and approves, so only one person saw the text."""
    users = site.users
    if sensitive:
        article = submitted(client, site, is_sensitive="on")
        earlier, last = [users["managing"], users["chief"], users["office"]], users["leader"]
    else:
        article = submitted(client, site)
        earlier, last = [users["managing"]], users["chief"]
    approve_up_to(client, article, earlier)
    reviewed = latest_revision(article)

    login_staff(client, last)
    response = edit_article(client, article, action="action-workflow-action", title="末级审核人改写的标题", **APPROVE)
    assert response.status_code == 200
    assert str(UNDER_REVIEW) in response.content.decode()
    assert not is_live(article) and latest_revision(article) == reviewed
    assert current_task_state(article).revision == reviewed

    # Approving what was reviewed, unchanged, publishes exactly that.
    assert edit_article(client, article, action="action-workflow-action", **APPROVE).status_code == 302
    page = ArticlePage.objects.get(pk=article.pk)
    assert page.live and page.live_revision == reviewed and page.title == REVIEWED_TITLE
    assert set(approvals_of(article)) == {reviewed.pk}


def test_nobody_saves_autosaves_or_reverts_an_item_under_review(client, site):
    article = submitted(client, site)
    reviewed = latest_revision(article)
    draft = Revision.objects.for_instance(article).order_by("created_at", "pk").first()
    edit = f"/admin/pages/{article.pk}/edit/"

    for who in ("managing", "editor"):  # the reviewer of the level, then the submitter
        login_staff(client, site.users[who])
        assert "这条信息正在“网站主编审核”环节审核" in client.get(edit).content.decode()
        response = edit_article(client, article, title=f"{who} 保存的草稿")
        assert response.status_code == 302 and response.url == edit
        assert str(UNDER_REVIEW) in client.get(edit).content.decode()
        # Wagtail's autosave posts the form in the background, naming the revision it would
        # overwrite, and expects JSON; "locked" has its autosave indicator show the reason.
        data = form_of(article, title=f"{who} 自动保存", overwrite_revision_id=str(reviewed.pk))
        autosave = client.post(edit, data, headers={"accept": "application/json"})
        assert autosave.status_code == 400
        assert autosave.json() == {"success": False, "error_code": "locked", "error_message": str(UNDER_REVIEW)}
        revert = client.post(f"/admin/pages/{article.pk}/revisions/{draft.pk}/revert/", form_of(article))
        assert revert.status_code == 302 and latest_revision(article) == reviewed

    assert current_task_state(article).task.name == "网站主编审核"
    assert current_task_state(article).revision == reviewed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_revision_saved_by_any_other_door_during_review_restarts_it_from_level_one(client, site, run_tasks):
    article = submitted(client, site)
    approve_up_to(client, article, [site.users["managing"]])
    mail.outbox.clear()

    # A door the admin screens do not know (a script, an import) saves a version.
    changed = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    changed.title = "脚本写入的标题"
    revision = changed.save_revision(user=site.users["editor2"])

    state = current_task_state(article)
    assert state.task.name == "网站主编审核" and state.revision == revision
    assert state.workflow_state.requested_by == site.users["editor2"]
    restart = PageLogEntry.objects.get(page=article, action="home.review.restart")
    assert "原审核作废" in restart.data["comment"]
    run_tasks()
    told = [message for message in mail.outbox if site.users["editor"].email in message.to]
    assert told and "原审核作废" in told[0].body

    login_staff(client, site.users["chief"])
    assert act(client, article, "approve") == 403
    assert not is_live(article)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publication_refuses_a_revision_newer_than_the_one_approved(client, site, run_tasks):
    """The last line: even a version written straight into the revision table (no save_revision)
    is not published by the last approval; the review starts again and the submitter is told."""
    article = submitted(client, site)
    approve_up_to(client, article, [site.users["managing"]])
    reviewed = latest_revision(article)
    content = {**reviewed.content, "title": "绕过保存写入的标题"}
    newer = Revision.objects.create(
        content_object=article, base_content_type=article.get_base_content_type(), content=content
    )
    ArticlePage.objects.filter(pk=article.pk).update(latest_revision=newer)
    mail.outbox.clear()

    login_staff(client, site.users["chief"])
    assert act(client, article, "approve") == 200
    assert not is_live(article)
    assert current_task_state(article).task.name == "网站主编审核"
    assert current_task_state(article).revision == newer
    run_tasks()
    told = [message for message in mail.outbox if site.users["editor"].email in message.to]
    assert any("未发布" in message.body for message in told)
    login_staff(client, site.users["chief"])
    report = client.get("/admin/reports/review-audit/").context["table"]
    restarts = [row[6] for row in report if row[3] == "重新审核"]
    assert restarts == ["各级审核通过的版本不是最新版本，未发布；已从第一级重新审核最新版本。"]


def test_autosave_never_rewrites_the_published_revision(client, site):
    article = submitted(client, site)
    approve_up_to(client, article, [site.users["managing"], site.users["chief"]])
    published = ArticlePage.objects.get(pk=article.pk).live_revision
    assert published.user == site.users["editor"]

    login_staff(client, site.users["editor"])
    data = form_of(article, title="发布后自动保存的标题")
    data["overwrite_revision_id"] = str(published.pk)
    response = client.post(f"/admin/pages/{article.pk}/edit/", data, headers={"accept": "application/json"})
    assert response.status_code == 200 and response.json()["success"]
    assert response.json()["revision_id"] != published.pk
    published.refresh_from_db()
    assert published.as_object().title == REVIEWED_TITLE
    assert REVIEWED_TITLE in public_text(client, article)


def test_an_autosave_under_way_when_the_last_approval_publishes_does_not_take_the_item_offline(client, site):
    """Found by the review journey in a real browser: the chief's edit screen autosaved while the
    chief's approval was publishing. The autosave had loaded the item before it went live and
    Wagtail saves an unpublished page with all its fields, so the item dropped off the site again."""
    article = submitted(client, site)
    approve_up_to(client, article, [site.users["managing"]])
    login_staff(client, site.users["chief"])
    approver = login_staff(Client(), site.users["chief"])  # the dialog, in another tab
    edit = f"/admin/pages/{article.pk}/edit/"
    loaded = ArticlePage.objects.get(pk=article.pk).latest_revision

    def approval_lands_meanwhile(request, page):
        # The autosave has loaded the item; the approval from the dialog completes now.
        if request.method == "POST" and not is_live(article):
            assert act(approver, article, "approve", "同意发布。") == 200

    data = form_of(article, loaded_revision_id=str(loaded.pk), loaded_revision_created_at=loaded.created_at.isoformat())
    with hooks.register_temporarily("before_edit_page", approval_lands_meanwhile, order=-1):
        client.post(edit, data, headers={"accept": "application/json"})

    assert is_live(article)
    assert REVIEWED_TITLE in public_text(client, article)


def test_the_sensitive_mark_survives_reverts_in_the_admin_and_the_api(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, action="action-save", title="县领导调研冬季供暖")
    plain = latest_revision(article)
    assert edit_article(client, article, is_sensitive="on").status_code == 302

    # The admin's revert screen offers the old revision with the mark kept …
    revert_url = f"/admin/pages/{article.pk}/revisions/{plain.pk}/revert/"
    checkbox = re.search(r'<input[^>]*name="is_sensitive"[^>]*>', client.get(revert_url).content.decode())
    assert "checked" in checkbox.group(0)
    # … and a revert posted without it is refused.
    response = client.post(revert_url, form_of(article, title="县领导调研冬季供暖", is_sensitive=""))
    assert response.status_code == 200 and "已标记为敏感信息" in response.content.decode()
    # The API restores the old revision, mark included.
    response = api_action(client, article, "revert_to_page_revision", revision_id=plain.pk)
    assert response.status_code == 200
    assert latest_revision(article).as_object().is_sensitive

    # Even with the flag gone from the saved row, the item's history keeps it sensitive.
    ArticlePage.objects.filter(pk=article.pk).update(is_sensitive=False)
    assert edit_article(client, article, action="action-submit").status_code == 302
    state = ArticlePage.objects.get(pk=article.pk).current_workflow_state
    assert state.workflow == site.workflows[ReviewWorkflow.Kind.SENSITIVE]


def test_the_submitter_withdraws_the_review_to_change_the_item_and_it_starts_again(client, site):
    article = submitted(client, site)
    approve_up_to(client, article, [site.users["managing"]])
    login_staff(client, site.users["editor"])
    # 撤回审核 withdraws the review (what the form carried is not saved: the item was locked) …
    response = edit_article(client, article, action="action-cancel-workflow", title="撤回时带上的标题")
    assert response.status_code == 200
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_state is None
    assert latest_revision(article).as_object().title == REVIEWED_TITLE
    # … then the item is the editor's again, and resubmitting it starts at the first level.
    assert edit_article(client, article, title="撤回后修改的标题").status_code == 302
    assert edit_article(client, article, action="action-submit").status_code == 302
    assert current_task_state(article).task.name == "网站主编审核"
    assert current_task_state(article).revision.as_object().title == "撤回后修改的标题"


def test_a_scheduled_publication_publishes_the_approved_revision_and_editors_cannot_unschedule_it(client, site):
    from django.core.management import call_command
    from django.utils import timezone

    later = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    login_staff(client, site.users["editor"])
    _response, article = create_article(client, site.portal.news, title=REVIEWED_TITLE, go_live_at=later)
    approve_up_to(client, article, [site.users["managing"], site.users["chief"]])
    scheduled = ArticlePage.objects.get(pk=article.pk).scheduled_revision
    assert scheduled is not None and not is_live(article)

    for who in ("editor", "managing"):
        login_staff(client, site.users[who])
        client.post(f"/admin/pages/{article.pk}/revisions/{scheduled.pk}/unschedule/")
        assert ArticlePage.objects.get(pk=article.pk).scheduled_revision == scheduled

    # Two hours later (the revision's own publication time moves with the clock).
    due = timezone.now() - datetime.timedelta(minutes=1)
    Revision.objects.filter(pk=scheduled.pk).update(
        approved_go_live_at=due, content={**scheduled.content, "go_live_at": due.isoformat()}
    )
    call_command("publish_scheduled")
    page = ArticlePage.objects.get(pk=article.pk)
    assert page.live and page.live_revision == scheduled and set(approvals_of(article)) == {scheduled.pk}
