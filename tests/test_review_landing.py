"""After acting at a level every reviewer lands on their work list with one clear message, never on
a page they may not open; the 敏感信息 box shows what the column makes the item (issue 18, finding 4)."""

import json
import re

import pytest

from home.models import ColumnPage

from .builders import login_staff
from .review_builders import CsrfClient, act, create_article, current_task_state, edit_article

pytestmark = pytest.mark.django_db

NO_PERMISSION = "没有权限"


@pytest.fixture
def client():
    return CsrfClient()


def messages_on(html):
    items = re.findall(r'<li class="success[^"]*"[^>]*>(.*?)</li>', html, re.S)
    texts = [re.sub(r"<[^>]+>|\s+", "", item) for item in items]
    return [text for text in texts if text]  # the empty one is the template Wagtail's script fills


def approve_in_the_dialog(client, article):
    state = current_task_state(article)
    answer = client.post(
        f"/admin/pages/workflow/action/{article.pk}/approve/{state.pk}/",
        {"comment": "同意"},
        headers={"x-requested-with": "XMLHttpRequest"},
    ).json()
    assert answer["step"] == "success"
    return client.get(answer["redirect"])  # where the dialog's script takes the reviewer


def test_every_level_of_the_sensitive_review_lands_on_its_work_list_with_one_message(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县领导调研防汛工作", is_sensitive="on")
    following = {"managing": "网站总编审核", "chief": "县政府办公室审核", "office": "县政府领导审核"}
    for role in ("managing", "chief", "office", "leader"):
        login_staff(client, users[role])
        assert "县领导调研防汛工作" in client.get("/admin/").content.decode()  # where the item waits
        landing = approve_in_the_dialog(client, article)
        html = landing.content.decode()
        assert landing.status_code == 200 and landing.request["PATH_INFO"] == "/admin/"
        assert NO_PERMISSION not in html
        if role in following:
            assert messages_on(html) == [f"《县领导调研防汛工作》已审核通过，送“{following[role]}”。"]
        else:
            assert messages_on(html) == ["《县领导调研防汛工作》已审核通过并发布。"]
    assert article.__class__.objects.get(pk=article.pk).live


def test_the_edit_screen_door_ends_on_the_work_list_too(client, site):
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县政府办公室发布防汛通知", is_sensitive="on")
    for role in ("managing", "chief"):
        login_staff(client, users[role])
        assert act(client, article, "approve", "同意") == 200
    login_staff(client, users["office"])
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200
    reason = json.dumps({"comment": "请注明发文字号。"})
    send_back = {"workflow-action-name": "reject", "workflow-action-extra-data": reason}
    response = edit_article(client, article, action="action-workflow-action", **send_back)
    assert response.status_code == 302
    landing = client.get(response["Location"])
    assert landing.request["PATH_INFO"] == "/admin/"
    assert messages_on(landing.content.decode()) == ["《县政府办公室发布防汛通知》已退回修改，编辑会看到您的意见。"]


def test_the_sensitive_box_shows_what_the_column_makes_the_item(client, site):
    ColumnPage.objects.filter(pk=site.portal.news.pk).update(is_sensitive=True)
    login_staff(client, site.users["editor"])
    html = client.get(f"/admin/pages/add/home/articlepage/{site.portal.news.pk}/").content.decode()
    box = re.search(r'<input[^>]*name="is_sensitive"[^>]*>', html).group(0)
    assert "checked" in box and "disabled" in box
    assert "所在栏目为敏感栏目" in html

    _response, article = create_article(client, site.portal.news, title="县领导接访安排")
    assert article.current_workflow_state.workflow.name == "敏感信息审核"
    login_staff(client, site.users["managing"])
    html = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "checked" in re.search(r'<input[^>]*name="is_sensitive"[^>]*>', html).group(0)
