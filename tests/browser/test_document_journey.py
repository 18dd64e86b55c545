"""Issue 6: a legal document goes from the import through the rules and the staff check in the
admin to a citizen who finds it with a keyword and a filter, highlighted — in a real browser —
and nothing personal of the original reaches the public pages."""

from io import StringIO

import pytest
from django.core.management import call_command

from ..builders import build_portal, enable_totp
from ..cases.builders import jsonl
from ..cases.test_documents import NUMBER, PERSONAL_DATA, the_record
from ..test_accounts import casemgr
from .support import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_check_a_document_and_a_citizen_finds_it_anonymised(
    live_server, browser, page, tmp_path, clean_search_indices, run_tasks, refresh_search_index
):
    build_portal()
    batch = tmp_path / "batch.jsonl"
    batch.write_text(jsonl(the_record()), encoding="utf-8")
    call_command("import_cases", str(batch), stdout=StringIO())
    staff_user = casemgr()
    secret = enable_totp(staff_user)

    # Case-management staff open the queue, see what the rules changed, and approve.
    context = browser.new_context(locale="zh-CN")
    staff = context.new_page()
    sign_in_to_admin(staff, live_server, staff_user, secret)
    staff.get_by_role("link", name="法律文书公开核对").first.click()
    staff.wait_for_url("**/admin/cases/documents/**")
    staff.get_by_role("link", name=NUMBER).click()
    staff.wait_for_url("**/admin/cases/documents/*/")
    marked = staff.locator("main mark").all_inner_texts()
    assert "王某" in marked and "（住址已删除）" in marked and "（身份证号已删除）" in marked
    staff.get_by_role("button", name="核对通过并公开").click()
    staff.wait_for_url("**/admin/cases/documents/**")
    assert "文书已核对通过并公开" in staff.content()
    context.close()
    run_tasks()  # the worker writes the approved document to the index
    refresh_search_index()

    # A citizen goes from the case query page to the documents, searches and filters.
    page.goto(live_server.url + "/cases/query/")
    page.get_by_role("link", name="法律文书公开").first.click()
    page.wait_for_url("**/cases/documents/")
    page.get_by_label("关键词", exact=True).fill("盗窃")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**/cases/documents/?q=*")
    page.get_by_label("文书类型").select_option(label="不起诉决定书（1）")
    page.get_by_role("button", name="检索").click()
    page.wait_for_url("**type=non_prosecution**")
    results = page.locator("section.document-results")
    assert "共找到 1 份与“盗窃”相关的文书" in results.inner_text()
    assert "盗窃" in page.locator("section.document-results mark").all_inner_texts()
    assert NUMBER in results.inner_text()

    results.get_by_role("link").first.click()
    page.wait_for_url("**/cases/documents/*/")
    text = page.locator("main").inner_text()
    assert "被害人王某" in text and "李建国" in text and "第二百六十四条" in text
    html = page.content()
    for personal in PERSONAL_DATA:
        assert personal not in html, personal
