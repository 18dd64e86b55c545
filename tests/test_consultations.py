"""意见征集 (issue 16): the period rule, comments by signed-in citizens shown only after staff
approve them (authors masked), closed consultations readable but closed to comments, the
feedback report published through review, and the comments' export."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from home.models import ColumnPage, ConsultationComment, ConsultationPage
from home.review import submit_for_review

from .builders import add_page, login_staff, solve_captcha
from .review_builders import act

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def column(site):
    return add_page(site.portal.home, ColumnPage(title="意见征集", slug="yjzj", kind=ColumnPage.Kind.CONSULTATIONS))


def consultation(column, opened_days_ago=5, **fields):
    opens_on = TODAY - datetime.timedelta(days=opened_days_ago)
    values = {
        "title": "关于《养犬管理办法（征求意见稿）》公开征求意见的公告",
        "slug": f"yjzj-{opened_days_ago}",
        "draft": "<p>第一条　城区饲养犬只实行登记制度。</p>",
        "opens_on": opens_on,
        "closes_on": opens_on + datetime.timedelta(days=30),
    }
    values.update(fields)
    return add_page(column, ConsultationPage(**values))


@pytest.fixture
def citizen():
    return get_user_model().objects.create_user(username="zhangming", password="Test#citizen2026", display_name="张明")


def post_comment(client, page, body):
    html = client.get(page.url).content.decode()
    return client.post(page.url, {"body": body, **solve_captcha(html)})


def test_normative_documents_are_open_for_at_least_thirty_days_by_default(column):
    page = ConsultationPage(title="征求意见", slug="x", draft="<p>x</p>")
    assert (page.closes_on - page.opens_on).days == 30
    short = ConsultationPage(
        title="征求意见", slug="short", draft="<p>x</p>", opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=20)
    )
    with pytest.raises(ValidationError, match="不少于30日"):
        column.add_child(instance=short)
    short.is_normative = False
    column.add_child(instance=short)
    assert ConsultationPage.objects.filter(slug="short").exists()


def test_a_comment_appears_only_after_staff_approve_it_with_the_author_masked(client, site, column, citizen):
    page = consultation(column)
    client.force_login(citizen)
    disguised = post_comment(client, page, "建议明确\u202e段间时犬遛")
    assert "填写的内容含有不可见的控制字符" in disguised.content.decode()
    assert not ConsultationComment.objects.exists()
    response = post_comment(client, page, "建议明确遛犬时间段。")
    assert response.status_code == 302
    comment = ConsultationComment.objects.get()
    assert comment.status == ConsultationComment.Status.PENDING
    html = client.get(page.url).content.decode()
    assert "建议明确遛犬时间段。" not in html and "共收到意见 1 条，已公开 0 条。" in html

    managing = site.users["managing"]
    managing.user_permissions.add(*_moderate_permission())
    login_staff(client, managing)
    assert "建议明确遛犬时间段。" in client.get("/admin/consultations/").content.decode()
    assert client.post(f"/admin/consultations/{comment.pk}/moderate/", {"action": "approve"}).status_code == 302
    client.logout()
    html = client.get(page.url).content.decode()
    assert "建议明确遛犬时间段。" in html and "张某" in html and "张明" not in html


def test_refusing_a_comment_needs_a_reason_and_keeps_it_hidden(client, site, column, citizen):
    page = consultation(column)
    comment = ConsultationComment.objects.create(page=page, author=citizen, body="无关广告内容")
    managing = site.users["managing"]
    managing.user_permissions.add(*_moderate_permission())
    login_staff(client, managing)
    client.post(f"/admin/consultations/{comment.pk}/moderate/", {"action": "reject", "reason": ""})
    assert ConsultationComment.objects.get(pk=comment.pk).status == ConsultationComment.Status.PENDING
    client.post(f"/admin/consultations/{comment.pk}/moderate/", {"action": "reject", "reason": "与征集内容无关"})
    comment.refresh_from_db()
    assert comment.status == ConsultationComment.Status.REJECTED and comment.reason == "与征集内容无关"
    client.logout()
    assert "无关广告内容" not in client.get(page.url).content.decode()


def test_staff_without_the_permission_cannot_moderate_or_export(client, site, column, citizen):
    page = consultation(column)
    comment = ConsultationComment.objects.create(page=page, author=citizen, body="意见")
    login_staff(client, site.users["editor"])
    # The admin turns a refused permission into a redirect to its dashboard with a message.
    assert client.get("/admin/consultations/")["Location"] == "/admin/"
    client.post(f"/admin/consultations/{comment.pk}/moderate/", {"action": "approve"})
    assert ConsultationComment.objects.get(pk=comment.pk).status == ConsultationComment.Status.PENDING
    response = client.get(f"/admin/consultations/{page.pk}/export/")
    assert response.status_code == 302 and "spreadsheetml" not in response.get("Content-Type", "")


def test_signed_out_visitors_and_closed_consultations_cannot_comment(client, column, citizen):
    page = consultation(column)
    response = client.post(page.url, {"body": "匿名意见"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    closed = consultation(column, opened_days_ago=60)
    client.force_login(citizen)
    html = client.get(closed.url).content.decode()
    assert "征集已结束" in html and "第一条" in html and 'name="body"' not in html
    response = client.post(closed.url, {"body": "迟到的意见", **solve_captcha(client.get(page.url).content.decode())})
    assert "不在征集期内" in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_a_wrong_captcha_keeps_the_text_and_saves_nothing(client, column, citizen):
    page = consultation(column)
    client.force_login(citizen)
    challenge = solve_captcha(client.get(page.url).content.decode())
    wrong = str(int(challenge["captcha_1"]) + 1)
    response = client.post(page.url, {"body": "我的意见全文", "captcha_0": challenge["captcha_0"], "captcha_1": wrong})
    html = response.content.decode()
    assert "图形验证码的计算结果不正确" in html and "我的意见全文" in html
    assert not ConsultationComment.objects.exists()


def test_the_feedback_report_goes_live_through_review(client, site, column):
    page = consultation(column, opened_days_ago=60)
    page.feedback = "<p>共收到意见2条，采纳1条。</p>"
    page.save_revision()
    assert "采纳1条" not in client.get(page.url).content.decode()
    submit_for_review(page, site.users["editor"])
    for reviewer in ("managing", "chief"):
        login_staff(client, site.users[reviewer])
        assert act(client, page, "approve") == 200
    client.logout()
    html = client.get(page.url).content.decode()
    assert "意见采纳情况" in html and "共收到意见2条，采纳1条。" in html


def test_the_export_lists_every_comment_with_masked_authors(client, site, column, citizen):
    page = consultation(column)
    ConsultationComment.objects.create(page=page, author=citizen, body='=HYPERLINK("x")')
    ConsultationComment.objects.create(page=page, author=citizen, body="第二条意见")
    managing = site.users["managing"]
    managing.user_permissions.add(*_moderate_permission())
    login_staff(client, managing)
    response = client.get(f"/admin/consultations/{page.pk}/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "提出人" and len(rows) == 3
    assert {row[1] for row in rows[1:]} == {"张某"}
    assert rows[1][2] == '=HYPERLINK("x")' and sheet.cell(2, 3).data_type == "s"


def _moderate_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="moderate_consultationcomment")
