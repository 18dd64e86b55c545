"""领导信箱 in a real browser: a citizen writes, the official accepts and routes, the
department replies with a scanned 答复意见书 attached, the official opens it and approves, the
citizen reads the reply, downloads the scan and rates it."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from services.letters.models import Letter, Status

from ..builders import login_staff
from ..letters_support import build_world, pdf_file
from .support import submit_with_captcha

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def contexts(browser):
    """Browser contexts opened by a test, closed at its end so the live server's threads
    (and their database sessions) end with the test."""
    opened = []

    def new(**options):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, **options)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def staff_page(contexts, live_server, user):
    """A browser tab signed in as `user` (through the suite's one staff sign-in helper)."""
    client = login_staff(Client(), user)
    context = contexts()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_letter_from_writing_to_rating(live_server, page, contexts):
    world = build_world()

    # The citizen writes.
    page.goto(live_server.url + "/letters/write/")
    page.get_by_label("信件类型").select_option(label="咨询")
    page.get_by_label("主题分类").select_option(label="民政与社会保障")
    page.get_by_label("标题").fill("高龄津贴如何申请")
    page.get_by_label("内容").fill("我母亲今年满八十周岁，请问高龄津贴需要准备哪些材料，到哪里申请？")
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("手机号码").fill("13611112222")
    submit_with_captcha(page, page.get_by_role("button", name="提交信件"))
    page.wait_for_url("**/letters/write/done/")
    tracking_no = page.locator("#tracking-no").inner_text().strip()
    password = page.locator("#query-password").inner_text().strip()
    letter = Letter.objects.get(tracking_no=tracking_no)

    # The mailbox official accepts and routes it.
    official = staff_page(contexts, live_server, world.official)
    official.goto(live_server.url + "/admin/letters/")
    official.get_by_role("link", name="高龄津贴如何申请").click()
    official.get_by_role("button", name="受理", exact=True).click()
    expect(official.locator(".messages")).to_contain_text("已受理。")
    official.get_by_label("县民政局").check()
    official.get_by_label("转办意见").fill("请按政策答复申请条件和材料。")
    official.get_by_role("button", name="转办", exact=True).click()
    expect(official.locator(".messages")).to_contain_text("已转办。")

    # The department drafts the reply.
    handler = staff_page(contexts, live_server, world.civil_handler)
    handler.goto(live_server.url + "/admin/letters/")
    handler.get_by_role("link", name="高龄津贴如何申请").click()
    handler.get_by_label("答复内容").fill(
        "您好：请携带老人身份证、户口簿到户籍所在地村（社区）申请，经审核后按月发放。"
    )
    scan = pdf_file("答复意见书.pdf")
    handler.get_by_label("答复附件").set_input_files(
        {"name": scan.name, "mimeType": "application/pdf", "buffer": scan.read()}
    )
    handler.get_by_role("button", name="提交审核").click()
    expect(handler.locator(".messages")).to_contain_text("答复已提交信箱管理员审核。")

    # The official opens the attached scan and approves the reply with it.
    official.reload()
    with official.expect_download() as opened:
        official.get_by_role("link", name="答复意见书.pdf").click()
    assert opened.value.path().read_bytes() == pdf_file().read()
    official.get_by_role("button", name="审核通过并答复").click()
    expect(official.locator(".messages")).to_contain_text("答复已审核通过。")
    letter.refresh_from_db()
    assert letter.status == Status.REPLIED

    # The citizen reads the reply with tracking number and password, and rates it.
    citizen = contexts().new_page()
    citizen.goto(live_server.url + "/letters/track/")
    citizen.get_by_label("信件编号").fill(tracking_no)
    citizen.get_by_label("查询密码").fill(password)
    citizen.get_by_role("button", name="查询").click()
    citizen.wait_for_url(f"**/letters/track/{tracking_no}/")
    body = citizen.locator("main").inner_text()
    assert "已答复" in body and "户籍所在地村（社区）申请" in body and "县民政局" in body
    with citizen.expect_download() as saved:
        citizen.locator(".reply-attachments").get_by_role("link", name="答复意见书.pdf").click()
    assert saved.value.suggested_filename == "答复意见书.pdf"
    assert saved.value.path().read_bytes() == pdf_file().read()
    citizen.get_by_label("满意", exact=True).check()
    citizen.get_by_role("button", name="提交评价").click()
    body = citizen.locator("main").inner_text()
    expect(citizen.locator(".messages")).to_contain_text("感谢您的评价。")
    expect(citizen.locator("main")).to_contain_text("已办结")
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED and letter.rating == "satisfied"

    # At a shared computer the citizen ends the viewing: the letter's page asks for the password again.
    citizen.get_by_role("button", name="退出查看").click()
    expect(citizen.locator(".messages")).to_contain_text("已退出查看")
    citizen.goto(live_server.url + f"/letters/track/{tracking_no}/")
    citizen.wait_for_url("**/letters/track/")
    expect(citizen.locator(".messages")).to_contain_text("请输入信件编号和查询密码查看办理情况。")


def test_the_letter_form_fits_a_360px_phone(live_server, browser):
    build_world()
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    phone = context.new_page()
    phone.goto(live_server.url + "/letters/write/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0
