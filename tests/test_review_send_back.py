"""Sending an item back (退回修改) needs a reason at every level and through every door, and the
e-mail to the editor names people by their real names in natural Chinese (issue 18, finding 3)."""

import json
import re

import pytest
from django.core import mail
from wagtail.models import PageLogEntry, TaskState

from .builders import login_staff
from .review_builders import CsrfClient, act, create_article, current_task_state, edit_article

pytestmark = pytest.mark.django_db

REASON_REQUIRED = "退回修改须写明理由"


@pytest.fixture
def client():
    return CsrfClient()


def submitted(client, site, **fields):
    login_staff(client, site.users["editor"])
    _response, article = create_article(client, site.portal.news, title="县医保局调整门诊报销比例", **fields)
    return article


def warnings_on(html):
    items = re.findall(r'<li class="warning[^"]*"[^>]*>(.*?)</li>', html, re.S)
    texts = [re.sub(r"<[^>]+>|\s+", "", item) for item in items]
    return [text for text in texts if text]  # the empty one is the template Wagtail's script fills


def send_back_in_the_dialog(client, article, comment):
    state = current_task_state(article)
    return client.post(
        f"/admin/pages/workflow/action/{article.pk}/reject/{state.pk}/",
        {"comment": comment},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


@pytest.mark.parametrize("level", ["managing", "chief"])
def test_the_send_back_dialog_refuses_an_empty_reason_at_every_level(client, site, level):
    article = submitted(client, site)
    if level == "chief":
        login_staff(client, site.users["managing"])
        assert act(client, article, "approve", "同意") == 200
    login_staff(client, site.users[level])
    dialog = client.get(
        f"/admin/pages/workflow/action/{article.pk}/reject/{current_task_state(article).pk}/",
        headers={"x-requested-with": "XMLHttpRequest"},
    ).json()["html"]
    assert "退回理由" in dialog

    for blank in ("", "   \n "):
        answer = send_back_in_the_dialog(client, article, blank).json()
        assert answer["step"] == "action"  # the dialog stays open, with the error under the field
        assert REASON_REQUIRED in answer["html"]
        assert current_task_state(article).status == TaskState.STATUS_IN_PROGRESS
    assert not PageLogEntry.objects.filter(page=article, action="wagtail.workflow.reject").exists()

    assert send_back_in_the_dialog(client, article, "报销比例请核对文件原文。").json()["step"] == "success"
    assert article.current_workflow_state is None or current_task_state(article) is None


def test_the_edit_screen_refuses_a_send_back_without_reason(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    send_back = {"workflow-action-name": "reject", "workflow-action-extra-data": json.dumps({"comment": " "})}
    response = edit_article(client, article, action="action-workflow-action", **send_back)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert REASON_REQUIRED in page
    assert current_task_state(article).status == TaskState.STATUS_IN_PROGRESS

    send_back["workflow-action-extra-data"] = json.dumps({"comment": "请补充政策依据。"})
    assert edit_article(client, article, action="action-workflow-action", **send_back).status_code == 302
    entry = PageLogEntry.objects.get(page=article, action="wagtail.workflow.reject")
    assert entry.data["comment"] == "请补充政策依据。"


def test_the_editor_is_told_by_real_name_in_natural_chinese(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    assert act(client, article, "approve", "同意") == 200
    login_staff(client, site.users["chief"])
    mail.outbox.clear()
    assert act(client, article, "reject", "标题请与文件名一致。") == 200

    told = [message for message in mail.outbox if site.users["editor"].email in message.to]
    assert len(told) == 1
    body, subject = told[0].body, told[0].subject
    assert body.lstrip().startswith("李晓明，您好：")
    assert "刘志国在“三级审核”的“网站总编审核”环节将信息《县医保局调整门诊报销比例》退回修改。" in body
    assert "意见：标题请与文件名一致。" in body
    assert "退回修改" in subject
    for wording in ("editor", "chief", "拒绝", "你好"):
        assert wording not in body + subject, wording


def test_the_edit_screen_shows_who_sent_the_item_back_and_why(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    assert act(client, article, "reject", "请补充发布机构。") == 200

    login_staff(client, site.users["editor"])
    page = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    banners = warnings_on(page)
    assert len(banners) == 1
    text = banners[0]
    assert text.startswith("陈静（网站主编审核）于") and text.endswith("退回修改：请补充发布机构。")
    assert "managing" not in text

    # Once resubmitted, the banner is gone: the item is under review again.
    assert edit_article(client, article, action="action-submit").status_code == 302
    page = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert warnings_on(page) == []


def test_the_reviewer_compares_with_the_version_they_sent_back(client, site):
    """Finding 2: not the two newest revisions (autosave makes them meaningless), but the one the
    reviewer sent back against the one now waiting for them."""
    article = submitted(client, site)
    sent_back = current_task_state(article).revision_id
    login_staff(client, site.users["managing"])
    assert act(client, article, "reject", "标题请用正式名称。") == 200

    login_staff(client, site.users["editor"])
    assert edit_article(client, article, title="县医保局调整职工门诊报销比例").status_code == 302
    resubmitted = edit_article(client, article, action="action-submit", title="县医保局关于调整职工门诊报销比例的通知")
    assert resubmitted.status_code == 302
    waiting = current_task_state(article).revision_id

    login_staff(client, site.users["managing"])
    link = f"/admin/pages/{article.pk}/revisions/compare/{sent_back}...{waiting}/"
    assert link in client.get("/admin/").content.decode()
    diff = client.get(link).content.decode()
    assert "县医保局调整门诊报销比例" in diff and "县医保局关于调整职工门诊报销比例的通知" in diff
