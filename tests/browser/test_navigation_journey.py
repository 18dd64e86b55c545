"""A citizen finds the mailbox from the menu and a policy document in the disclosure catalogue
by its number, typed with the brackets on their keyboard, on a desktop and on a phone."""

import pytest

from portal.service_registry import Section

from ..builders import add_catalogue, add_section, build_portal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def demo_site():
    portal = build_portal()
    add_section(portal.home, "互动交流", "hdjl", Section.INTERACTION)
    add_catalogue(portal)
    return portal


def test_a_citizen_reaches_the_published_letters_and_finds_a_document_by_its_number(live_server, page):
    portal = demo_site()

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="互动交流").click()
    page.wait_for_url("**/hdjl/")
    services = page.locator("section.column-services")
    assert "给县领导写信" in services.inner_text()
    services.get_by_role("link", name="信件选登").click()
    page.wait_for_url("**/letters/")
    assert page.get_by_role("heading", level=1).inner_text() == "领导信箱"

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="政务公开").click()
    page.locator("nav.sidebar").get_by_role("link", name="信息公开目录").click()
    page.wait_for_url("**/xxgkml/")
    page.get_by_label("文号或索引号").fill("青政发(2026)3号")
    page.get_by_label("主题分类").select_option(label="综合政务")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/xxgkml/?*")
    table = page.get_by_role("table", name="信息公开目录")
    assert "共 1 条信息" in page.locator("main").inner_text()
    table.get_by_role("link", name=portal.article.title).click()
    page.wait_for_url(f"**{portal.article.url}")
    assert "青政发〔2026〕3号" in page.locator("main").inner_text()


def test_the_catalogue_and_its_form_fit_a_360px_phone(live_server, browser):
    demo_site()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(live_server.url + "/zwgk/xxgkml/?written_from=2026-13-01")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    alert = phone.get_by_role("alert").inner_text()
    controls = phone.locator("form.catalogue-filter input, form.catalogue-filter select, form.catalogue-filter button")
    heights = controls.evaluate_all("(nodes) => nodes.map((node) => node.getBoundingClientRect().height)")
    context.close()
    assert overflow <= 0
    assert "成文日期（起）" in alert
    assert min(heights) >= 24
