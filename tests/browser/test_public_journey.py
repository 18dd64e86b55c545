"""A citizen reads the portal in a real browser: home page → column → article."""

import pytest

from ..builders import build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_citizen_opens_home_follows_a_column_and_reads_an_article(live_server, page):
    portal = build_portal()

    page.goto(live_server.url + "/")
    assert page.title().startswith("青山县人民政府") or "青山县人民政府" in page.title()
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="政务公开").click()
    page.wait_for_url("**/zwgk/")
    assert page.get_by_role("heading", level=1).inner_text() == "政务公开"

    page.get_by_role("link", name="政策文件").first.click()
    page.wait_for_url("**/zcwj/")
    page.get_by_role("link", name=portal.article.title).click()
    page.wait_for_url(f"**{portal.article.url}")

    assert page.get_by_role("heading", level=1).inner_text() == portal.article.title
    body = page.locator("main").inner_text()
    assert "青政发〔2026〕3号" in body
    assert "各乡镇人民政府" in body


def test_the_site_is_usable_on_a_360px_phone(live_server, browser):
    build_portal()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(live_server.url + "/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0
