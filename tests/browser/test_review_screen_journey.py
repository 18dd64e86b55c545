"""A sensitive item through its four review levels on the review screen, in a real browser: each
reviewer opens it from the work list, the county leader refuses to send it back without a reason
and then sends it back with one, the editor fixes it, and on the second pass every level sees what
changed since the version it approved or sent back; every action ends on the work list with one
message and no error (issue 18, acceptance 2)."""

import pytest
from playwright.sync_api import expect

from home.models import ArticlePage

from ..builders import login_staff
from ..review_builders import CsrfClient, build_review_site, create_article, edit_article
from .support import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "县长调研汛期地质灾害防治工作"
FIXED_TITLE = "县政府领导调研汛期地质灾害防治工作"
LEVELS = ("managing", "chief", "office", "leader")
NEXT = {"managing": "网站总编审核", "chief": "县政府办公室审核", "office": "县政府领导审核"}


def open_from_the_work_list(page, live_server, title):
    page.goto(f"{live_server.url}/admin/")
    page.locator("section[aria-labelledby='awaiting-review-heading']").get_by_role("link", name=title).click()
    page.wait_for_url("**/admin/review/**")


def ends_on_the_work_list(page, message):
    page.wait_for_url("**/admin/?acted=**")
    expect(page.locator(".messages")).to_contain_text(message)
    expect(page.locator(".messages li.error")).to_have_count(0)
    assert "没有权限" not in page.content()


@pytest.mark.slow
def test_a_sensitive_item_through_four_levels_with_a_send_back_on_the_review_screen(live_server, browser):
    site = build_review_site()
    users = site.users
    editor = CsrfClient()
    login_staff(editor, users["editor"])
    _response, article = create_article(editor, site.portal.news, title=TITLE, is_sensitive="on")

    for role in LEVELS[:3]:
        with signed_in(browser, live_server, users[role]) as page:
            open_from_the_work_list(page, live_server, TITLE)
            expect(page.locator(".review-changes")).to_contain_text("这是一条新信息")
            page.get_by_role("button", name="同意", exact=True).click()
            ends_on_the_work_list(page, f"《{TITLE}》已审核通过，送“{NEXT[role]}”。")

    with signed_in(browser, live_server, users["leader"]) as page:
        open_from_the_work_list(page, live_server, TITLE)
        expect(page.locator(".review-why")).to_contain_text("标记为敏感信息，须经县政府领导审核。")
        page.get_by_role("button", name="退回修改").click()
        expect(page.locator("#comment-error")).to_contain_text("退回修改须写明理由")
        page.get_by_role("textbox", name="意见").fill("标题不宜写“县长”，请改为“县政府领导”。")
        page.get_by_role("button", name="退回修改").click()
        ends_on_the_work_list(page, f"《{TITLE}》已退回修改，编辑会看到您的意见。")

    edit_article(editor, article, action="action-submit", title=FIXED_TITLE)
    assert ArticlePage.objects.get(pk=article.pk).current_workflow_task.name == "网站主编审核"

    for role in LEVELS:
        with signed_in(browser, live_server, users[role]) as page:
            open_from_the_work_list(page, live_server, FIXED_TITLE)
            changes = page.locator(".review-changes")
            expect(changes).to_contain_text("退回修改的版本相比" if role == "leader" else "审核通过的版本相比")
            expect(changes.locator(".deletion").first).to_contain_text("县长")
            expect(changes.locator(".addition").first).to_contain_text("县政府领导")
            page.get_by_role("button", name="同意", exact=True).click()
            if role in NEXT:
                ends_on_the_work_list(page, f"《{FIXED_TITLE}》已审核通过，送“{NEXT[role]}”。")
            else:
                ends_on_the_work_list(page, f"《{FIXED_TITLE}》已审核通过并发布。")

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.title == FIXED_TITLE
