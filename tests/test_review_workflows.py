"""Editorial review (issue 3): an article goes live only after the last level of the workflow its
column and flags call for approves it, each level acted on by a different real user through the
admin's own views; one person acts at one level only; sensitive items always get five levels."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import PageLogEntry, WorkflowPage

from home.models import ArticlePage, ColumnPage, ReviewWorkflow

from .builders import login_staff
from .review_builders import (
    act,
    create_article,
    current_task_state,
    edit_article,
    is_live,
    levels_done,
)

pytestmark = pytest.mark.django_db


def walk(client, article, reviewers):
    """Approve at each level with its own reviewer, asserting the item is not live before the end."""
    for number, user in enumerate(reviewers, start=1):
        assert not is_live(article), f"live before level {number} approved"
        login_staff(client, user)
        assert act(client, article, "approve", comment=f"第{number}级审核同意") == 200
    assert is_live(article)


def test_standard_three_level_review_publishes_only_after_the_editor_in_chief(client, site):
    users = site.users
    login_staff(client, users["editor"])
    response, article = create_article(client, site.portal.news, title="县政府召开秋冬季森林防火工作会议")
    assert response.status_code == 302
    assert article is not None and not article.live
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.STANDARD]
    assert current_task_state(article).task.name == "网站主编审核"

    walk(client, article, [users["managing"], users["chief"]])
    assert levels_done(article) == ["网站主编审核", "网站总编审核"]
    published = PageLogEntry.objects.filter(page=article, action="wagtail.publish").get()
    assert published.user == users["chief"]
    assert client.get(ArticlePage.objects.get(pk=article.pk).url).status_code == 200


def test_sensitive_column_takes_five_levels(client, site):
    users = site.users
    login_staff(client, users["editor"])
    response, article = create_article(
        client,
        site.portal.policy,
        title="青山县人民政府关于调整部分行政事业性收费的通知",
        issuing_body="青山县人民政府",
        written_on="2026-11-01",
        topic="finance",
        document_no="青政发〔2026〕18号",
    )
    assert response.status_code == 302
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.SENSITIVE]

    walk(client, article, [users["managing"], users["chief"], users["office"], users["leader"]])
    assert levels_done(article) == ["网站主编审核", "网站总编审核", "县政府办公室审核", "县政府领导审核"]
    article.refresh_from_db()
    assert article.index_no, "a disclosed article gets its index number on publication"


def test_department_column_starts_with_the_departments_own_leader(client, site):
    users = site.users
    login_staff(client, users["deptofficer"])
    response, article = create_article(client, site.education_news, title="县教育局开展校园食品安全检查")
    assert response.status_code == 302
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.DEPARTMENT]

    # Another department's leader is not this item's reviewer.
    login_staff(client, users["healthleader"])
    assert act(client, article, "approve") == 403

    walk(client, article, [users["deptleader"], users["managing"], users["chief"]])
    assert levels_done(article) == ["部门分管领导审核", "网站主编审核", "网站总编审核"]


def test_one_person_cannot_act_at_two_levels_of_one_item(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县领导督导检查安全生产工作")

    # The submitter cannot review their own item.
    editor_as_reviewer = users["editor"]
    editor_as_reviewer.groups.add(*users["managing"].groups.all())
    assert act(client, article, "approve") == 403

    login_staff(client, users["both"])  # member of both 网站主编 and 网站总编
    assert act(client, article, "approve", "同意") == 200
    assert current_task_state(article).task.name == "网站总编审核"
    assert act(client, article, "approve", "同意") == 403
    assert not is_live(article)
    assert current_task_state(article).task.name == "网站总编审核"

    login_staff(client, users["chief"])
    assert act(client, article, "approve") == 200
    assert is_live(article)


def test_a_sensitive_article_always_gets_the_five_level_workflow(client, site):
    users = site.users
    login_staff(client, users["editor"])
    response, article = create_article(client, site.portal.news, title="县领导调研防汛工作", is_sensitive="on")
    assert response.status_code == 302
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.SENSITIVE]

    # Sent back at the first level, the editor cannot clear the flag to downgrade the review …
    login_staff(client, users["managing"])
    act(client, article, "reject", "请核实领导职务")
    login_staff(client, users["editor"])
    response = edit_article(client, article, action="action-submit", is_sensitive="")
    assert response.status_code == 200
    assert "已标记为敏感信息" in response.content.decode()

    # … and an item once reviewed as sensitive stays sensitive even if the flag is gone.
    ArticlePage.objects.filter(pk=article.pk).update(is_sensitive=False)
    article.refresh_from_db()
    assert article.get_workflow() == site.workflows[ReviewWorkflow.Kind.SENSITIVE]


def test_rejection_returns_the_item_with_the_comment_and_resubmission_restarts_at_level_one(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县政务服务中心推出延时服务")
    login_staff(client, users["managing"])
    act(client, article, "approve", "同意")
    login_staff(client, users["chief"])
    assert act(client, article, "reject", "标题不够准确，请修改") == 200
    assert not is_live(article)
    rejected = PageLogEntry.objects.get(page=article, action="wagtail.workflow.reject")
    assert rejected.user == users["chief"] and rejected.data["comment"] == "标题不够准确，请修改"
    # Wagtail tells the submitter, with the reviewer's comment.
    told = [message for message in mail.outbox if users["editor"].email in message.to]
    assert told and "标题不够准确，请修改" in told[-1].body

    login_staff(client, users["editor"])
    page = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "标题不够准确，请修改" in page
    assert "从第一级开始" in page
    response = edit_article(client, article, action="action-submit", title="县政务服务中心推出“延时+预约”服务")
    assert response.status_code == 302
    assert current_task_state(article).task.name == "网站主编审核"

    walk(client, article, [users["managing"], users["chief"]])
    assert ArticlePage.objects.get(pk=article.pk).title == "县政务服务中心推出“延时+预约”服务"


def test_submission_is_refused_until_the_editorial_record_is_complete(client, site):
    login_staff(client, site.users["editor"])
    response, article = create_article(
        client,
        site.portal.news,
        title="县融媒体中心转载：全省秋粮收购进展顺利",
        source="",
        collector="",
        collected_on="",
        is_excerpt="on",
    )
    assert response.status_code == 200
    html = response.content.decode()
    for message in (
        "提交审核前请填写信息来源。",
        "提交审核前请填写采集日期。",
        "提交审核前请填写采集人。",
        "摘编信息提交审核前必须填写作者。",
        "摘编信息提交审核前必须填写原文出处。",
    ):
        assert message in html
    assert article is None

    # Saving a draft is allowed; submitting it is not, until the record is complete.
    response, article = create_article(
        client, site.portal.news, action="action-save", title="草稿：秋粮收购", source="", collector=""
    )
    assert response.status_code == 302 and article is not None
    response = edit_article(client, article, action="action-submit")
    assert response.status_code == 200 and "提交审核前请填写信息来源。" in response.content.decode()
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_state is None

    # Disclosure items need their catalogue fields; the index number is never asked for.
    response, _article = create_article(client, site.portal.policy, title="关于印发某办法的通知")
    html = response.content.decode()
    for message in (
        "政府信息公开目录要求填写发布机构。",
        "政府信息公开目录要求填写成文日期。",
        "政府信息公开目录要求选择主题分类。",
    ):
        assert message in html
    assert 'name="index_no"' not in html


def test_review_does_not_depend_on_workflows_assigned_to_pages(client, site):
    """Wagtail's own "Moderators approval" assignment on the root may be removed by an
    administrator; articles still get their review workflow by rule."""
    WorkflowPage.objects.all().delete()
    login_staff(client, site.users["editor"])
    response, article = create_article(client, site.portal.news, title="县政府召开重点项目调度会")
    assert response.status_code == 302
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.STANDARD]


def test_setup_review_creates_the_workflows_once():
    out = StringIO()
    call_command("setup_review", stdout=out)
    call_command("setup_review", stdout=StringIO())
    assert ReviewWorkflow.objects.count() == 4
    assert "敏感信息审核：网站主编审核 → 网站总编审核 → 县政府办公室审核 → 县政府领导审核" in out.getvalue()
    assert "部门栏目审核：部门分管领导审核 → 网站主编审核 → 网站总编审核" in out.getvalue()


def test_an_item_whose_column_turns_sensitive_during_review_is_escalated_not_published(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县领导走访慰问困难群众")
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.STANDARD]
    login_staff(client, users["managing"])
    assert act(client, article, "approve") == 200

    # The site administrator marks the column sensitive while the item waits for the chief.
    ColumnPage.objects.filter(pk=site.portal.news.pk).update(is_sensitive=True)
    login_staff(client, users["chief"])
    assert act(client, article, "approve") == 200

    assert not is_live(article)
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.current_workflow_state.workflow == site.workflows[ReviewWorkflow.Kind.SENSITIVE]
    assert current_task_state(article).task.name == "网站主编审核"


def test_every_published_revision_stays_retrievable(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县政府召开第一次全体会议")
    walk(client, article, [users["managing"], users["chief"]])
    first = ArticlePage.objects.get(pk=article.pk).live_revision

    login_staff(client, users["editor"])
    assert (
        edit_article(client, article, action="action-submit", title="县政府召开第一次全体会议（更新）").status_code
        == 302
    )
    login_staff(client, users["managing"])
    assert act(client, article, "approve") == 200
    assert ArticlePage.objects.get(pk=article.pk).live_revision == first  # the public still sees the old one
    login_staff(client, users["chief"])
    assert act(client, article, "approve") == 200
    second = ArticlePage.objects.get(pk=article.pk).live_revision
    assert second != first and second.as_object().title.endswith("（更新）")

    published = PageLogEntry.objects.filter(page=article, action="wagtail.publish").order_by("timestamp")
    assert [entry.revision_id for entry in published] == [first.pk, second.pk]
    login_staff(client, users["chief"])
    old = client.get(f"/admin/pages/{article.pk}/revisions/{first.pk}/view/")
    assert old.status_code == 200 and "县政府召开第一次全体会议" in old.content.decode()
