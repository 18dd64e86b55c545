"""The demo site has items at each stage of review, moved there by the product's own review
functions, and the demo reviewers find them on their dashboards."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import WorkflowState

from home.models import ArticlePage

from .builders import login_staff

pytestmark = pytest.mark.django_db


def stage(slug):
    article = ArticlePage.objects.get(slug=slug)
    state = article.current_workflow_state
    if state is None:
        return ("live" if article.live else "draft"), None
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "needs_changes", state.current_task_state.task.name
    return "in_review", state.current_task_state.task.name


def test_the_demo_has_items_at_each_stage_of_review(client):
    call_command("seed_demo", stdout=StringIO())
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
