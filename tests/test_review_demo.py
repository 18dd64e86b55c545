"""The demo site has items at each stage of review, moved there by the product's own review
functions, and the demo reviewers find them on their dashboards."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageLogEntry, WorkflowState

from home.models import ArticlePage

from .builders import login_staff
from .review_builders import CsrfClient, act, current_task_state, edit_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """The reviewers act through the admin with real CSRF checks."""
    return CsrfClient()


def stage(slug):
    article = ArticlePage.objects.get(slug=slug)
    state = article.current_workflow_state
    if state is None:
        return ("live" if article.live else "draft"), None
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "needs_changes", state.current_task_state.task.name
    return "in_review", state.current_task_state.task.name


def test_the_demo_has_items_at_each_stage_of_review(client, demo_site):
    assert stage("review-draft-incomplete") == ("draft", None)
    assert stage("review-awaiting-managing") == ("in_review", "网站主编审核")
    assert stage("review-awaiting-chief") == ("in_review", "网站总编审核")
    assert stage("review-sent-back") == ("needs_changes", "网站主编审核")
    assert stage("review-sensitive-awaiting-office") == ("in_review", "县政府办公室审核")
    assert stage("review-sensitive-awaiting-leader") == ("in_review", "县政府领导审核")
    assert stage("review-department-awaiting-leader") == ("in_review", "部门分管领导审核")
    assert stage("review-published") == ("live", None)

    users = get_user_model().objects
    login_staff(client, users.get(username="office"))
    assert "县长在全县冬季安全生产工作会议上的讲话" in client.get("/admin/").content.decode()
    login_staff(client, users.get(username="deptleader"))
    assert "县教育局开展中小学冬季校园安全大检查" in client.get("/admin/").content.decode()
    login_staff(client, users.get(username="chief"))
    report = client.get("/admin/reports/review-audit/").content.decode()
    assert "导语中会议时间有误" in report and "县政府办公室开展政务公开工作专题培训" in report


def finish_waiting_reviews(client):
    """Every demo item waiting for review is taken to publication by the demo reviewers, through
    the admin (the sent-back one is resubmitted by its editor first)."""
    users = get_user_model().objects
    login_staff(client, users.get(username="editor"))
    sent_back = ArticlePage.objects.get(slug="review-sent-back")
    response = edit_article(client, sent_back, action="action-submit", title="县政府与县总工会召开第三次联席会议")
    assert response.status_code == 302
    reviewers = {"网站主编审核": "managing", "网站总编审核": "chief", "县政府办公室审核": "office"}
    reviewers |= {"县政府领导审核": "leader", "部门分管领导审核": "deptleader"}
    for article in ArticlePage.objects.filter(slug__startswith="review-", live=False):
        while (state := current_task_state(article)) is not None:
            login_staff(client, users.get(username=reviewers[state.task.name]))
            assert act(client, article, "approve", "同意发布。") == 200


def test_every_live_article_shows_each_level_approving_the_revision_that_went_live(client, demo_site):
    """Acceptance 3 (issue 10): for every live revision, the review log shows which revision each
    level approved, and it is that same revision, for all levels of the review it needed."""
    finish_waiting_reviews(client)

    live = ArticlePage.objects.live()
    assert live.count() >= 80
    for article in live:
        published = PageLogEntry.objects.filter(page=article, action="wagtail.publish").latest("timestamp", "pk")
        assert published.revision_id == article.live_revision_id, article.title
        state = article.workflow_states.filter(status=WorkflowState.STATUS_APPROVED).latest("created_at", "pk")
        levels = list(state.workflow.tasks.order_by("workflow_tasks__sort_order").values_list("name", flat=True))
        approvals = {
            entry.data["workflow"]["task"]["title"]: entry.revision_id
            for entry in PageLogEntry.objects.filter(page=article, action="wagtail.workflow.approve")
            if entry.data["workflow"]["task_state_id"] in set(state.task_states.values_list("pk", flat=True))
        }
        assert sorted(approvals) == sorted(levels), article.title
        assert set(approvals.values()) == {article.live_revision_id}, article.title
