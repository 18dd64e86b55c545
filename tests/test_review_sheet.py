"""审签单 (issue 18, point 9): one printable page per item saying who approved or sent back which
revision at each level of each review round, when and with what opinion, and when the item was
published or withdrawn and why; reachable from the edit screen, the page listing and the review
audit report, for the staff who may see the item."""

import re

import pytest

from home.models import ArticlePage

from .builders import login_staff
from .review_builders import sent_back_once_then_published
from .test_staff_wording import assert_chinese

pytestmark = pytest.mark.django_db


def sheet_url(article):
    return f"/admin/review/{article.pk}/sheet/"


def cells(html):
    """The sheet's table rows as lists of cell texts (tags stripped)."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        texts = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows.append(texts)
    return rows


@pytest.fixture
def reviewed(client, site):
    """An item sent back once at the first level, then approved by both levels and published, then
    withdrawn by the 网站总编 with a reason."""
    article = sent_back_once_then_published(client, site)
    assert ArticlePage.objects.get(pk=article.pk).live
    client.post(f"/admin/pages/{article.pk}/unpublish/", {"reason": "会议时间有误，更正后重新发布"})
    assert not ArticlePage.objects.get(pk=article.pk).live
    return article


def test_the_sheet_shows_every_level_of_every_round_and_the_withdrawal(client, site, reviewed):
    login_staff(client, site.users["chief"])
    response = client.get(sheet_url(reviewed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "信息发布审签单" in html and "review_sheet.css" in html and "data-print" in html
    rows = cells(html)
    assert ["标题", "县政府召开2026年防汛抗旱总结会"] in rows
    assert ["栏目", "政务动态", "状态", "已撤下"] in rows

    levels = [row for row in rows if len(row) == 6 and row[0] != "审核级次"]
    assert [(row[0], row[1], row[2], row[5]) for row in levels] == [
        ("网站主编审核", "退回修改", "陈静", "请补充会议时间"),
        ("网站主编审核", "同意", "陈静", "同意"),
        ("网站总编审核", "同意", "刘志国", "同意发布"),
    ]
    # The sent-back revision is an older one than the revision both levels approved.
    sent_back, approved_first, approved_last = (int(re.search(r"\d+", row[4]).group()) for row in levels)
    assert sent_back < approved_first == approved_last
    captions = re.findall(r"<caption>(.*?)</caption>", html)
    assert [re.sub(r"于[-\d :]+提交", "于…提交", caption) for caption in captions] == [
        f"第1次提交（{reviewed.get_workflow().name}）：李晓明于…提交，结果：退回修改",
        f"第2次提交（{reviewed.get_workflow().name}）：李晓明于…提交，结果：审核通过",
    ]

    events = [row for row in rows if len(row) == 5 and row[0] != "时间"]
    assert [(row[1], row[2], row[4]) for row in events] == [
        ("发布", "刘志国", "—"),
        ("撤下", "刘志国", "会议时间有误，更正后重新发布"),
    ]
    assert events[0][3] == f"第{approved_last}版"


def test_the_sheet_of_a_disclosed_document_names_its_index_and_document_number(client, site):
    article = site.portal.article
    assert article.index_no
    login_staff(client, site.users["managing"])
    rows = cells(client.get(sheet_url(article)).content.decode())
    assert ["索引号", article.index_no, "文号", "青政发〔2026〕3号"] in rows
    assert ["栏目", "政策文件", "状态", "已发布"] in rows


def test_the_sheet_is_reachable_from_the_edit_screen_the_listing_and_the_audit_report(client, site, reviewed):
    url = sheet_url(reviewed)
    login_staff(client, site.users["editor"])
    assert url in client.get(f"/admin/pages/{reviewed.pk}/edit/").content.decode()
    assert url in client.get(f"/admin/pages/{site.portal.news.pk}/").content.decode()
    login_staff(client, site.users["chief"])
    assert url in client.get("/admin/reports/review-audit/").content.decode()


@pytest.mark.parametrize(("who", "allowed"), [("editor", True), ("office", True), ("deptofficer", False)])
def test_only_staff_who_may_see_the_item_open_its_sheet(client, site, reviewed, who, allowed):
    login_staff(client, site.users[who])
    response = client.get(sheet_url(reviewed))
    if allowed:
        assert response.status_code == 200 and "请补充会议时间" in response.content.decode()
    else:
        assert response.status_code == 302 and response.url == "/admin/"
        assert sheet_url(reviewed) not in client.get(f"/admin/pages/{site.education_news.pk}/").content.decode()


def test_the_sheet_and_the_withdrawal_screens_read_in_chinese(client, site, reviewed):
    live = site.portal.guide
    login_staff(client, site.users["chief"])
    content = [reviewed.title, live.title, "会议时间有误，更正后重新发布"]
    assert_chinese(client, sheet_url(reviewed), content)
    assert_chinese(client, f"/admin/pages/{live.pk}/unpublish/", content)
    assert_chinese(client, f"/admin/bulk/wagtailcore/page/unpublish/?id={live.pk}&next=/admin/", content)
