"""Issue 16 in a real browser: a citizen opens a policy, follows its 解读 and back to the 原文,
comments on an open consultation, and sees the comment only after the managing editor
approves it in the admin."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from home.models import ColumnPage, ConsultationPage, InterpretationPage

from ..builders import add_page, login_staff
from ..review_builders import build_review_site
from .support import submit_with_captcha

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_policy_interpretation_and_a_moderated_consultation_comment(live_server, page, browser):
    site = build_review_site()
    policy = site.portal.article
    column = add_page(
        policy.get_parent().get_parent(),
        ColumnPage(title="政策解读", slug="zcjd", kind=ColumnPage.Kind.INTERPRETATION, is_disclosure=True),
    )
    today = datetime.date.today()
    add_page(
        column,
        InterpretationPage(
            title="一图读懂2026年民生实事",
            slug="tujie",
            body="<p>十件民生实事解读。</p>",
            summary="解读",
            source="县政府办公室",
            collector="李晓明",
            issuing_body="青山县人民政府",
            written_on=today,
            topic="general",
            policy=policy,
        ),
    )
    consultations = add_page(
        site.portal.home, ColumnPage(title="意见征集", slug="yjzj", kind=ColumnPage.Kind.CONSULTATIONS)
    )
    consultation = add_page(
        consultations,
        ConsultationPage(
            title="关于《养犬管理办法（征求意见稿）》公开征求意见的公告",
            slug="yanghuo",
            draft="<p>第一条　城区饲养犬只实行登记制度。</p>",
            opens_on=today - datetime.timedelta(days=3),
            closes_on=today + datetime.timedelta(days=27),
        ),
    )
    citizen = get_user_model().objects.create_user(
        username="zhangming", password="Test#citizen2026", display_name="张明"
    )

    page.set_default_timeout(15_000)
    page.goto(live_server.url + policy.url)
    page.get_by_role("link", name="一图读懂2026年民生实事").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("一图读懂2026年民生实事")
    page.locator(".interpretation-original").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(policy.title)

    citizen_client = Client()
    citizen_client.force_login(citizen)
    page.context.add_cookies(
        [{"name": "sessionid", "value": citizen_client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + consultation.url)
    page.get_by_label("您的意见").fill("建议明确遛犬时间段，避开学生上下学时间。")
    submit_with_captcha(page, page.get_by_role("button", name="提交意见"))
    expect(page.get_by_text("您的意见已提交")).to_be_visible()
    expect(page.get_by_text("共收到意见 1 条，已公开 0 条。")).to_be_visible()
    expect(page.locator(".comment-list")).to_have_count(0)

    staff = login_staff(Client(), site.users["managing"])
    context = browser.new_context(locale="zh-CN")
    try:
        context.add_cookies([{"name": "sessionid", "value": staff.cookies["sessionid"].value, "url": live_server.url}])
        admin = context.new_page()
        admin.set_default_timeout(15_000)
        admin.goto(live_server.url + "/admin/consultations/")
        expect(admin.get_by_text("建议明确遛犬时间段")).to_be_visible()
        admin.get_by_role("button", name="公开", exact=True).click()
        expect(admin.get_by_text("没有待审核的意见。")).to_be_visible()
    finally:
        context.close()

    page.goto(live_server.url + consultation.url)
    expect(page.locator(".comment-list")).to_contain_text("建议明确遛犬时间段")
    expect(page.locator(".comment-list")).to_contain_text("张某")
