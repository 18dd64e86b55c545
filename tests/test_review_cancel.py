"""Cancelling someone else's review is the 网站总编's decision, confirmed on its own screen with a
reason the review audit report keeps; other reviewers approve or send back (issue 18, finding 3).
The submitter still withdraws their own submission (test_review_integrity)."""

from urllib.parse import quote

import pytest
from wagtail.models import PageLogEntry, WorkflowState

from .builders import login_staff
from .review_builders import CsrfClient, create_article, current_task_state, edit_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return CsrfClient()


def submitted(client, site):
    login_staff(client, site.users["editor"])
    _response, article = create_article(client, site.portal.news, title="县住建局公布老旧小区改造名单")
    return article


def in_review(article):
    return article.__class__.objects.get(pk=article.pk).current_workflow_state is not None


def test_a_reviewer_other_than_the_chief_cannot_cancel_the_review(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    edit_screen = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert 'name="action-cancel-workflow"' not in edit_screen and "取消审核" not in edit_screen

    response = edit_article(client, article, action="action-cancel-workflow")
    assert response.status_code == 302
    assert "审核期间任何人都不能修改" in client.get(response["Location"]).content.decode()
    assert in_review(article) and current_task_state(article).task.name == "网站主编审核"
    refused = client.get(f"/admin/review/{article.pk}/cancel/", follow=True).content.decode()
    assert "只有网站总编可以取消审核" in refused and 'name="reason"' not in refused
    response = client.post(f"/admin/review/{article.pk}/cancel/", {"reason": "不需要了"})
    assert response.status_code == 302 and response["Location"] == f"/admin/pages/{article.pk}/edit/"
    assert in_review(article)


def test_the_chief_cancels_with_a_confirmation_and_a_reason_kept_in_the_audit(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["chief"])
    edit_screen = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    back = f"/admin/pages/{article.pk}/edit/"
    assert f'href="/admin/review/{article.pk}/cancel/?next={quote(back, safe="")}"' in edit_screen
    assert 'name="action-cancel-workflow"' not in edit_screen
    # Wagtail's one-click cancellation is no door for the chief either.
    edit_article(client, article, action="action-cancel-workflow")
    assert in_review(article)

    # 「返回，不取消」 leads back to the screen the chief came from, never off the site.
    confirmation = client.get(f"/admin/review/{article.pk}/cancel/", {"next": back}).content.decode()
    assert f'<a class="button button-secondary" href="{back}">返回，不取消</a>' in confirmation
    for elsewhere in ("", "https://example.com/"):
        other = client.get(f"/admin/review/{article.pk}/cancel/", {"next": elsewhere}).content.decode()
        assert '<a class="button button-secondary" href="/admin/">返回，不取消</a>' in other
    assert "《县住建局公布老旧小区改造名单》正在“网站主编审核”环节审核，由李晓明提交。" in confirmation
    for blank in ("", "  "):
        page = client.post(f"/admin/review/{article.pk}/cancel/", {"reason": blank}).content.decode()
        assert "请填写取消理由。" in page
        assert in_review(article)

    response = client.post(f"/admin/review/{article.pk}/cancel/", {"reason": "名单尚未经县政府常务会议研究。"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "《县住建局公布老旧小区改造名单》的审核已取消。" in client.get("/admin/").content.decode()
    state = WorkflowState.objects.for_instance(article).latest("created_at")
    assert state.status == WorkflowState.STATUS_CANCELLED
    entry = PageLogEntry.objects.get(page=article, action="wagtail.workflow.cancel")
    assert entry.user == site.users["chief"] and entry.data["comment"] == "名单尚未经县政府常务会议研究。"
    audit = client.get("/admin/reports/review-audit/").content.decode()
    assert "名单尚未经县政府常务会议研究。" in audit and "刘志国" in audit
