"""The read-only review screen of each level (/admin/review/<id>/): only the reviewer of the level
waiting opens it; it shows the version under review, why it is at this level, the review so far and
what changed since the reviewer last saw it; 同意 / 退回修改 go through the level's own action, and
the last approval publishes exactly the approved revision (issue 18, "a review screen per level")."""

import re

import pytest
from wagtail.models import Page, Revision
from wagtail.test.utils.form_data import inline_formset

from home.models import ArticlePage

from .builders import login_staff
from .review_builders import CsrfClient, create_article, current_task_state, form_of
from .test_public_files import upload_document, upload_image

pytestmark = pytest.mark.django_db

TITLE = "县长主持召开防汛抗旱工作会议"


@pytest.fixture
def client():
    return CsrfClient()


def screen(client, article):
    return client.get(f"/admin/review/{article.pk}/")


def decide(client, article, action, comment=""):
    """Press 同意 or 退回修改 on the review screen, with the task state the screen was shown for."""
    return client.post(
        f"/admin/review/{article.pk}/",
        {"task_state": current_task_state(article).pk, "action": action, "comment": comment},
    )


def text_of(html, heading):
    start = html.index(heading)
    section = html[start : html.index("</section>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))


def submitted(client, site, **fields):
    login_staff(client, site.users["editor"])
    _response, article = create_article(client, site.portal.news, title=TITLE, **fields)
    return article


def test_only_the_reviewer_of_the_level_waiting_opens_the_screen_and_nobody_edits_there(client, site):
    users = site.users
    article = submitted(client, site, is_sensitive="on")
    assert screen(client, article).status_code == 403  # the submitter acts at no level

    for role in ("chief", "office", "leader"):
        login_staff(client, users[role])
        refused = screen(client, article)
        assert refused.status_code == 403 and "只有当前这一级的审核人可以打开审核页面" in refused.content.decode()
        assert decide(client, article, "approve").status_code == 403
    assert current_task_state(article).task.name == "网站主编审核"

    # "both" holds the managing and the chief role: it acts at the first level it is offered.
    login_staff(client, users["both"])
    html = screen(client, article).content.decode()
    assert 'name="title"' not in html and "保存草稿" not in html
    revisions = Revision.objects.for_instance(article).count()
    response = client.post(
        f"/admin/review/{article.pk}/",
        {"task_state": current_task_state(article).pk, "action": "approve", "title": "改过的标题"},
    )
    assert response.status_code == 302
    assert Revision.objects.for_instance(article).count() == revisions
    assert Page.objects.get(pk=article.pk).specific.get_latest_revision_as_object().title == TITLE

    # Who approved at one level may not act at the next one, though holding that role too.
    assert current_task_state(article).task.name == "网站总编审核"
    assert screen(client, article).status_code == 403


def test_the_screen_shows_the_item_why_it_is_here_earlier_opinions_and_the_diff_against_the_sent_back_version(
    client, site
):
    users = site.users
    login_staff(client, users["editor"])
    document, image = upload_document(client, "会议通知"), upload_image(client, "会议现场")
    article = submitted(
        client,
        site,
        is_sensitive="on",
        summary="部署今年防汛抗旱工作。",
        cover_image=image.pk,
        attachments=inline_formset([{"document": document.pk, "title": "会议材料"}]),
    )
    login_staff(client, users["managing"])
    html = screen(client, article).content.decode()
    assert "每条信息都须经网站主编审核。本级是第1级（共4级）" in text_of(html, "网站主编审核")
    assert "这是一条新信息" in html
    content = text_of(html, "待审核的信息")
    assert TITLE in content and "政务动态" in content and "部署今年防汛抗旱工作。" in content
    assert "会议要求各学校压实安全责任" in content and "会议材料" in content
    section = html[html.index("待审核的信息") :]
    assert f'href="{site.portal.news.url}"' in section and f'href="{document.url}"' in section
    assert f'alt="{TITLE}"' in section
    assert "李晓明" in text_of(html, "审核经过")
    assert decide(client, article, "approve", "同意，请总编审定。").status_code == 302

    login_staff(client, users["chief"])
    assert decide(client, article, "reject", "请写明会议时间，标题用“县政府”。").status_code == 302

    login_staff(client, users["editor"])
    fixed = form_of(article, title="县政府召开防汛抗旱工作会议", summary="6月3日部署今年防汛抗旱工作。")
    fixed["action-submit"] = "1"
    assert client.post(f"/admin/pages/{article.pk}/edit/", fixed).status_code == 302
    login_staff(client, users["managing"])
    changes = text_of(screen(client, article).content.decode(), "修改内容")
    assert "审核通过的版本相比" in changes and "6月3日" in changes
    assert decide(client, article, "approve").status_code == 302

    login_staff(client, users["chief"])
    html = screen(client, article).content.decode()
    changes = text_of(html, "修改内容")
    assert "退回修改的版本相比" in changes
    assert re.search(r'class="deletion">\s*县长', html) and re.search(r'class="addition">\s*县政府', html)
    history = text_of(html, "审核经过")
    assert "陈静 同意 同意，请总编审定。" in history
    assert "刘志国 退回修改 请写明会议时间，标题用“县政府”。" in history
    assert decide(client, article, "approve", "同意。").status_code == 302

    login_staff(client, users["office"])
    html = screen(client, article).content.decode()
    assert "标记为敏感信息，须经县政府办公室审核。本级是第3级（共4级）" in text_of(html, "县政府办公室审核")
    assert "这是一条新信息" in html
    assert "刘志国 同意 同意。" in text_of(html, "审核经过")


def test_an_empty_send_back_reason_is_refused_with_the_reason_and_nothing_changes(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    response = decide(client, article, "reject", "   ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "退回修改须写明理由：哪里要改、为什么改。" in html and TITLE in html
    state = current_task_state(article)
    assert state.task.name == "网站主编审核" and state.status == "in_progress"


def test_the_work_list_leads_the_reviewer_to_the_review_screen(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    assert f'href="/admin/review/{article.pk}/"' in client.get("/admin/").content.decode()


def test_the_last_approval_publishes_exactly_the_approved_revision_and_lands_on_the_work_list(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    assert decide(client, article, "approve").status_code == 302
    login_staff(client, site.users["chief"])
    approved = current_task_state(article).revision_id
    response = decide(client, article, "approve", "同意发布。")
    assert response.status_code == 302 and response["Location"].startswith("/admin/?acted=")
    landing = client.get(response["Location"]).content.decode()
    assert f"《{TITLE}》已审核通过并发布。" in landing
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.live_revision_id == approved and article.title == TITLE


def test_a_decision_on_a_screen_someone_else_has_acted_on_meanwhile_changes_nothing(client, site):
    article = submitted(client, site)
    login_staff(client, site.users["managing"])
    assert "打开审核页面" in client.get(f"/admin/pages/{article.pk}/edit/").content.decode()  # pointed here
    shown = current_task_state(article).pk
    other = CsrfClient()
    login_staff(other, site.users["both"])
    assert decide(other, article, "approve").status_code == 302

    response = client.post(f"/admin/review/{article.pk}/", {"task_state": shown, "action": "reject", "comment": "改"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "已由他人处理" in client.get("/admin/").content.decode()
    assert current_task_state(article).task.name == "网站总编审核"
