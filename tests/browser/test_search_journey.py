"""A citizen searches the portal in a real browser: the header box, abbreviations, filters,
marks of superseded texts, sorting, searching within a column, and a phone-sized screen."""

import pytest

from ..search.corpus import ARTICLES
from ..search.support import add_article, build_columns

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

KEYS = ("dibao_2026", "dibao_2024", "dibao_standard", "dibao_guide", "sbk_guide")


def test_citizen_searches_with_an_abbreviation_filters_and_searches_within_a_column(
    live_server, page, browser, clean_search_indices, run_tasks, refresh_search_index
):
    _home, columns = build_columns()
    items = {article.key: article for article in ARTICLES}
    for key in KEYS:
        add_article(columns[items[key].column], items[key])
    run_tasks()
    refresh_search_index()

    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="全站搜索关键词").fill("低保")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("ol.result-list")
    assert "最低生活保障" in results.inner_text()
    assert results.locator("mark").count() > 0  # the matches are highlighted
    assert "“低保”同时搜索了“最低生活保障”" in page.locator(".search-understood").inner_text()
    first = results.locator("li").first
    assert (
        "青山县城乡居民最低生活保障实施办法（2026年修订）" in first.inner_text() or "已修订" not in first.inner_text()
    )

    page.get_by_role("complementary").get_by_role("link", name="政策文件（2）").first.click()
    page.wait_for_url("**type=policy*")
    titles = results.locator("a.result-title").all_inner_texts()
    assert titles[0].startswith("青山县城乡居民最低生活保障实施办法（2026年修订）") and len(titles) == 2
    assert "已修订" in results.locator("li").nth(1).inner_text()

    page.get_by_role("link", name="按发布日期").click()
    page.wait_for_url("**sort=date*")
    dates = results.locator("time").all_inner_texts()
    assert dates == sorted(dates, reverse=True)

    page.goto(live_server.url + columns["guide"].url)
    page.get_by_role("searchbox", name="在“办事指南”中搜索").fill("社保卡")
    page.get_by_role("search", name="在“办事指南”中搜索").get_by_role("button", name="搜索").click()
    page.wait_for_url("**column=*")
    assert results.locator("a.result-title").all_inner_texts() == ["第三代社会保障卡申领办事指南"]
    assert page.get_by_label("仅在“办事指南”栏目中搜索").is_checked()

    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(live_server.url + "/search/?q=低保")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0
