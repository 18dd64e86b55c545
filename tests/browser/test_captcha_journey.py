"""The 图形验证码 in a real browser, with and without JavaScript: 「换一张」 never loses what
was typed, and Enter in the answer box sends the form rather than asking for a new picture."""

import pytest
from playwright.sync_api import expect

from ..builders import build_portal
from .support import solve_captcha

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_query(page):
    page.get_by_label("案件编号").fill("青山检刑受〔2026〕99号")
    page.get_by_label("当事人姓名").fill("李建国")
    page.get_by_label("身份证号").fill("990000198506120030")


def expect_query_kept(page):
    expect(page.get_by_label("案件编号")).to_have_value("青山检刑受〔2026〕99号")
    expect(page.get_by_label("当事人姓名")).to_have_value("李建国")
    expect(page.get_by_label("身份证号")).to_have_value("990000198506120030")


def test_refresh_swaps_the_picture_in_place_and_enter_sends_the_form(live_server, page):
    build_portal()
    page.goto(live_server.url + "/cases/query/")
    fill_query(page)
    image = page.locator(".captcha-image")
    before = image.get_attribute("src")
    page.get_by_role("button", name="换一张").click()
    expect(image).not_to_have_attribute("src", before)
    expect(page.get_by_role("status").filter(has_text="已换一张新的图形验证码")).to_have_count(1)
    expect(page.get_by_role("textbox", name="图形验证码")).to_be_focused()
    expect_query_kept(page)
    assert page.url == live_server.url + "/cases/query/"

    solve_captcha(page)
    with page.expect_navigation():
        page.get_by_role("textbox", name="图形验证码").press("Enter")
    expect(page.locator("#case-query-result")).to_contain_text("未查询到相关案件")


def test_refresh_without_javascript_keeps_the_form(live_server, browser):
    build_portal()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/cases/query/")
    fill_query(page)
    before = page.locator(".captcha-image").get_attribute("src")
    with page.expect_navigation():
        page.get_by_role("button", name="换一张").click()
    expect(page.locator(".captcha-image")).not_to_have_attribute("src", before)
    expect_query_kept(page)
    expect(page.locator(".field-error, .notice-danger")).to_have_count(0)

    solve_captcha(page)
    with page.expect_navigation():
        page.get_by_role("button", name="查询").click()
    expect(page.locator("#case-query-result")).to_contain_text("未查询到相关案件")
    context.close()
