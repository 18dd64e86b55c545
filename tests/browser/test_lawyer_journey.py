"""A lawyer signs up, uploads the practice certificate, case-management staff verify them,
and the lawyer sees the verified state — in a real browser."""

import pytest

from portal import sms

from ..accounts_builders import last_sms_code
from ..builders import build_portal, enable_totp
from ..test_accounts import PDF, casemgr
from .support import sign_in_to_admin, submit_with_captcha

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = "13512345678"
PASSWORD = "Lvshi#2026qs"  # noqa: S105


def test_a_lawyer_signs_up_and_is_verified_by_case_management(live_server, browser, page, tmp_path):
    build_portal()
    sms.outbox.clear()
    staff_user = casemgr()
    secret = enable_totp(staff_user)

    # The lawyer signs up from the home page with a mobile number, captcha and texted code.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="注册").click()
    page.wait_for_url("**/accounts/signup/")
    page.fill("input[name=phone]", PHONE)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit_with_captcha(page, page.get_by_role("button", name="注册"))
    page.wait_for_url("**/accounts/phone/verify/")
    assert "135****5678" in page.locator("main").inner_text()
    page.fill("input[name=code]", last_sms_code(PHONE))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/accounts/me/")

    # Real name, then the application with the certificate scan.
    page.get_by_role("link", name="实名信息").click()
    page.get_by_label("姓名").fill("周律师")
    page.get_by_label("身份证号").fill("11010519491231002X")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/accounts/me/")
    assert "11*************02X" in page.locator("main").inner_text()

    page.get_by_role("link", name="律师认证").click()
    scan = tmp_path / "执业证.pdf"
    scan.write_bytes(PDF)
    page.get_by_label("执业证号").fill("13301201910123456")
    page.get_by_label("所在律师事务所").fill("青山县正义律师事务所")
    page.get_by_label("执业证扫描件").set_input_files(str(scan))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/accounts/me/lawyer/")
    assert "待审核" in page.locator("main").inner_text()

    # Case-management staff sign in with password and TOTP, and verify the lawyer.
    context = browser.new_context(locale="zh-CN")
    staff = context.new_page()
    sign_in_to_admin(staff, live_server, staff_user, secret)
    staff.get_by_role("link", name="律师认证").first.click()
    staff.wait_for_url("**/admin/accounts/lawyers/")
    staff.get_by_role("link", name="周律师").click()
    staff.wait_for_url("**/admin/accounts/lawyers/*/")
    assert "11*************02X" in staff.locator("main").inner_text()
    assert "135****5678" in staff.content() and PHONE not in staff.content()
    staff.get_by_role("button", name="审核通过").click()
    staff.wait_for_url("**/admin/accounts/lawyers/")
    assert "已通过该律师的身份认证" in staff.content()
    context.close()

    page.reload()
    assert "已认证" in page.locator("main").inner_text()
