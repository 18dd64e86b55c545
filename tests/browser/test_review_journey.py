"""An article's way through review in a real browser: the editor writes and submits it, the
managing editor sends it back with a comment, the editor fixes and resubmits, the managing
editor and the editor-in-chief approve, and the article is on the public site."""

import re
import time

import pytest
from wagtail import hooks

from home.models import ArticlePage

from ..review_builders import build_review_site
from .support import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "县政府召开冬季森林防火工作部署会"
FIXED_TITLE = "县政府召开今冬明春森林防火工作部署会"


def footer_action(page, label):
    """Open the editor's footer menu and press one of its actions."""
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("footer").get_by_role("button", name=label, exact=isinstance(label, str)).click()


def review(page, live_server, article_id, label, comment=None):
    page.goto(f"{live_server.url}/admin/pages/{article_id}/edit/")
    footer_action(page, label)
    if comment is not None:
        dialog = page.get_by_role("dialog")
        dialog.locator("textarea[name='comment']").fill(comment)
        dialog.locator("button[type='submit'], input[type='submit']").first.click()
    page.wait_for_url(lambda url: "/edit/" not in url)


@pytest.mark.slow
def test_editor_submits_reviewer_sends_back_editor_fixes_and_two_reviewers_publish(live_server, browser):
    site = build_review_site()
    users = site.users
    news = site.portal.news

    with signed_in(browser, live_server, users["editor"]) as page:
        page.goto(f"{live_server.url}/admin/pages/add/home/articlepage/{news.pk}/")
        page.fill("input[name='title']", TITLE)
        page.locator("[data-contentpath='body'] [contenteditable='true']").click()
        page.keyboard.type("会议要求压实森林防火责任，严管野外用火。")
        page.fill("input[name='source']", "县应急管理局")
        page.fill("input[name='collected_on']", "2026-01-05")
        page.keyboard.press("Escape")
        page.fill("input[name='collector']", "李晓明")
        page.get_by_role("tab", name="推荐").click()
        page.fill("input[name='slug']", "forest-fire-meeting")
        page.get_by_role("tab", name="内容").click()
        # Save the draft first: Wagtail's autosave may already have turned the screen into the
        # edit screen, so submit from the edit screen the save leads to (not a reload of it: an
        # autosave the screen sent just before may land after the reload, which then offers
        # 「您在另一个窗口保存了新版本」 instead of submitting).
        page.locator("footer").get_by_role("button", name="保存草稿").click()
        page.wait_for_url("**/edit/**")
        page.locator(".messages .success").first.wait_for()
        footer_action(page, re.compile("三级审核"))
        page.wait_for_url(lambda url: "/edit/" not in url)

    article = ArticlePage.objects.get(slug="forest-fire-meeting")
    assert not article.live and article.current_workflow_task.name == "网站主编审核"

    with signed_in(browser, live_server, users["managing"]) as page:
        review(page, live_server, article.pk, "退回修改", comment="标题应写明“今冬明春”，请修改后重新提交。")
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_state.status == "needs_changes"

    with signed_in(browser, live_server, users["editor"]) as page:
        page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
        assert "标题应写明“今冬明春”" in page.content()
        page.fill("input[name='title']", FIXED_TITLE)
        footer_action(page, "修改后重新提交审核（从第一级开始）")
        page.wait_for_url(lambda url: "/edit/" not in url)

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.current_workflow_task.name == "网站主编审核" and not article.live

    with signed_in(browser, live_server, users["managing"]) as page:
        review(page, live_server, article.pk, "审核通过")
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.current_workflow_task.name == "网站总编审核"

    with signed_in(browser, live_server, users["chief"]) as page:
        # At the last level the approval publishes too (our wording of Wagtail's "… and Publish").
        review(page, live_server, article.pk, "审核通过并填写意见并发布", comment="同意发布。")

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.title == FIXED_TITLE

    with signed_in(browser, live_server, users["editor"]) as page:
        page.goto(f"{live_server.url}{news.url}")
        page.get_by_role("link", name=FIXED_TITLE).click()
        assert page.get_by_role("heading", level=1).inner_text() == FIXED_TITLE
        assert "严管野外用火" in page.locator("main").inner_text()


def test_a_save_pressed_while_autosave_creates_the_article_saves_that_same_article(live_server, browser):
    """Wagtail's autosave creates the article from the create screen in the background. A 保存草稿
    pressed before that answer arrives used to post the create screen a second time (a second
    article, or a server error on the slug); it is held and then saves the article just created."""
    site = build_review_site()
    news = site.portal.news
    create = f"/admin/pages/add/home/articlepage/{news.pk}/"

    def slow_answer_to_autosave(request, page):
        if not request.accepts("text/html"):
            time.sleep(3)

    def is_autosave(request):
        return request.method == "POST" and request.url.endswith(create) and "json" in request.headers.get("accept", "")

    with (
        hooks.register_temporarily("after_create_page", slow_answer_to_autosave),
        signed_in(browser, live_server, site.users["editor"]) as page,
    ):
        page.set_default_timeout(90_000)  # the create and edit screens are heavy pages
        # Wagtail starts watching for edits two seconds after the form is ready (its
        # `w-unsaved:watch-edits`); what is typed before that counts as the form's first state.
        page.add_init_script(
            "document.addEventListener('w-unsaved:watch-edits', () => { window.watchingEdits = true; });"
        )
        page.goto(f"{live_server.url}{create}")
        page.wait_for_function("window.watchingEdits === true")
        with page.expect_request(is_autosave):
            # Typed and left as a person does: Wagtail fills the slug from the title on keyup/change
            # (a bare `fill` leaves it empty and the autosave is refused for the missing slug).
            page.locator("input[name='title']").press_sequentially(TITLE)
            page.locator("input[name='title']").press("Tab")
        page.locator("footer").get_by_role("button", name="保存草稿").click()
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
        assert "验证错误" not in page.content()
        landed = page.url

    article = ArticlePage.objects.get(title=TITLE)
    assert landed.startswith(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    assert ArticlePage.objects.filter(title=TITLE).count() == 1 and not article.live
