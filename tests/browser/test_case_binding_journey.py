"""Issue 6, acceptance 5: a lawyer requests a case binding, case-management staff approve it,
and the lawyer opens the case and sees its procedural timeline; staff later revoke the binding
and the case leaves the lawyer's pages (issue 18) — in a real browser."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from ..accounts_builders import PASSWORD
from ..builders import build_portal, enable_totp
from ..cases.builders import case_record, jsonl
from ..cases.test_bindings import CASE, PDF, PNG, verified_lawyer
from ..test_accounts import casemgr
from .support import sign_in_to_admin, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = "13512345688"


def test_a_lawyer_binds_a_case_staff_approve_and_the_lawyer_sees_the_timeline(live_server, browser, page, tmp_path):
    build_portal()
    batch = tmp_path / "batch.jsonl"
    batch.write_text(jsonl(case_record(CASE)), encoding="utf-8")
    call_command("import_cases", str(batch), stdout=StringIO())
    staff_user = casemgr()
    secret = enable_totp(staff_user)
    verified_lawyer(Client(), PHONE, "11010519800101001", staff_user)

    # The lawyer signs in and asks to bind the case, uploading both letters.
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", PHONE)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + "/cases/lawyer/")
    letter, firm = tmp_path / "委托书.pdf", tmp_path / "所函.png"
    letter.write_bytes(PDF)
    firm.write_bytes(PNG)
    page.get_by_label("案件编号").fill(CASE)
    page.get_by_label("诉讼身份").select_option(label="辩护人")
    page.get_by_label("授权文书类型").select_option(label="委托书")
    page.get_by_label("委托书或法律援助公函").set_input_files(str(letter))
    page.get_by_label("律师事务所函").set_input_files(str(firm))
    page.get_by_role("button", name="提交绑定申请").click()
    page.wait_for_url("**/cases/lawyer/")
    main = page.locator("main").inner_text()
    assert "绑定申请已提交" in main and "待审核" in main and "查看程序性信息" not in main

    # Case-management staff sign in with password and TOTP and approve it from the admin menu.
    context = browser.new_context(locale="zh-CN")
    staff = context.new_page()
    sign_in_to_admin(staff, live_server, staff_user, secret)
    staff.get_by_role("link", name="律师案件绑定").first.click()
    staff.wait_for_url("**/admin/cases/bindings/")
    staff.get_by_role("link", name=CASE).click()
    staff.wait_for_url("**/admin/cases/bindings/*/")
    assert "青山县正义律师事务所" in staff.locator("main").inner_text()
    staff.get_by_role("button", name="审核通过").click()
    staff.wait_for_url("**/admin/cases/bindings/")
    assert "已通过该律师的案件绑定申请" in staff.content()
    context.close()

    # The lawyer now sees the binding approved and opens the case's timeline.
    page.reload()
    assert "已通过" in page.locator("main").inner_text()
    page.get_by_role("link", name="查看程序性信息").click()
    page.wait_for_url("**/cases/lawyer/*/")
    timeline = page.locator("ol.case-timeline").inner_text()
    assert "受理" in timeline and "审查" in timeline and "已告知犯罪嫌疑人诉讼权利" in timeline
    assert "盗窃罪" in page.locator("main").inner_text()

    # Later the client ends the engagement: staff find the approved binding and revoke it with a reason.
    with signed_in(browser, live_server, staff_user) as staff:
        staff.goto(live_server.url + "/admin/cases/bindings/")
        staff.get_by_role("link", name="已通过").click()
        staff.get_by_role("link", name=CASE).click()
        staff.wait_for_url("**/admin/cases/bindings/*/")
        assert "李建国" in staff.locator("main").inner_text()  # the parties, to check the client against
        staff.get_by_label("撤销原因").fill("委托人已解除委托")
        staff.get_by_role("button", name="撤销案件绑定").click()
        staff.wait_for_url("**/admin/cases/bindings/*/")
        assert "已撤销该律师的案件绑定" in staff.content()

    # The lawyer's page shows the revocation and its reason, and no longer opens the case.
    page.goto(live_server.url + "/cases/lawyer/")
    main = page.locator("main").inner_text()
    assert "已撤销" in main and "委托人已解除委托" in main and "查看程序性信息" not in main
