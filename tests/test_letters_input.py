"""Bad input gets a clear Chinese message and saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.models import Sequence
from services.letters.models import Attachment, Letter, LetterEvent

from .letters_support import build_world, letter_form, pdf_file, png_file, write_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def rejected(client, world, **overrides):
    response = client.post("/letters/write/", letter_form(world.county, **overrides))
    assert response.status_code == 200
    assert Letter.objects.count() == 0 and Attachment.objects.count() == 0 and LetterEvent.objects.count() == 0
    assert not Sequence.objects.filter(name__startswith="letters-").exists()
    html = response.content.decode()
    assert "提交未成功，请按提示修改：" in html
    return html


def test_empty_form_names_every_missing_field(world, client):
    html = rejected(client, world, title="", content="", writer_name="", phone="", captcha_1="")
    for message in ("请填写标题。", "请填写内容。", "请填写姓名。", "请填写手机号码。", "请填写图形验证码。"):
        assert message in html


def test_oversized_and_malicious_text_is_refused(world, client):
    html = rejected(client, world, title="标" * 51)
    assert "标题不能超过50字（当前51字）。" in html
    html = rejected(client, world, content="长" * 10_000)
    assert "内容不能超过3000字（当前10000字）。" in html
    html = rejected(client, world, title="<script>alert(1)</script>道路维修")
    assert "标题不能包含HTML标记或脚本代码。" in html
    assert "<script>alert(1)</script>道路" not in html
    html = rejected(client, world, content="请看这里<img src=x onerror=alert(1)>道路坏了很久了")
    assert "内容不能包含HTML标记或脚本代码。" in html
    html = rejected(client, world, content="太短")
    assert "内容太短" in html
    # A right-to-left override would show the title reversed on the public list.
    for field, value in (
        ("title", "\u202e局通交县诉投"),
        ("content", "道路坏了很久了\u200b，请尽快维修路面。"),
        ("writer_name", "张\u0007明"),
    ):
        html = rejected(client, world, **{field: value})
        assert "填写的内容含有不可见的控制字符" in html, field


def test_contact_details_are_checked(world, client):
    assert "请输入正确的11位手机号码。" in rejected(client, world, phone="12345")
    assert "身份证号校验位不正确" in rejected(client, world, id_number="110105194912310021")
    assert "投诉信件需要实名" in rejected(
        client, world, letter_type="complaint", is_anonymous="on", writer_name="", phone=""
    )
    assert "图形验证码的计算结果不正确" in rejected(client, world, captcha_1="WRONG")


def test_unsupported_disguised_oversized_and_too_many_attachments(world, client):
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/octet-stream")
    assert "文件类型不受支持（按文件内容识别）" in rejected(client, world, attachments=[exe])
    disguised = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg")
    html = rejected(client, world, attachments=[disguised])
    assert "附件“photo.jpg”的文件类型不受支持（按文件内容识别）" in html
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 1), content_type="application/pdf")
    assert "附件“big.pdf”超过大小限制。" in rejected(client, world, attachments=[big])
    many = [png_file(f"p{i}.png") for i in range(4)]
    assert "附件最多3个。" in rejected(client, world, attachments=many)


def test_good_attachments_are_stored_under_the_type_found_in_their_content(world, client):
    renamed = png_file("scan.pdf")  # a PNG whose name says PDF
    letter, *_ = write_letter(client, world.county, attachments=[renamed, pdf_file()])
    stored = sorted(letter.attachments.values_list("content_type", "original_name"))
    assert stored == [("application/pdf", "evidence.pdf"), ("image/png", "scan.png")]


def test_wrong_query_password_is_refused_then_rate_limited(world, client):
    letter, tracking_no, password = write_letter(client, world.county)
    stranger = Client(REMOTE_ADDR="10.0.0.8")
    for _attempt in range(5):
        response = stranger.post("/letters/track/", {"tracking_no": tracking_no, "password": "WRONGPW1"})
        assert "信件编号或查询密码不正确。" in response.content.decode()
        assert "来信内容" not in response.content.decode()
    response = stranger.post("/letters/track/", {"tracking_no": tracking_no, "password": password})
    assert response.status_code == 429
    assert "查询失败次数过多，请15分钟后再试。" in response.content.decode()
    assert "请填写查询密码。" in Client().post("/letters/track/", {"tracking_no": tracking_no}).content.decode()
    # Without a successful lookup the letter's page is not shown, nor can it be rated.
    assert stranger.get(f"/letters/track/{tracking_no}/").status_code == 302
    response = stranger.post(f"/letters/track/{tracking_no}/rate/", {"rating": "satisfied"}, follow=True)
    assert "请输入信件编号和查询密码查看办理情况。" in response.content.decode()
    letter.refresh_from_db()
    assert not letter.rating


def test_an_anonymous_consultation_needs_no_contact_and_keeps_none(world, client):
    letter, tracking_no, password = write_letter(
        client, world.county, is_anonymous="on", writer_name="王五", phone="13700000000"
    )
    assert letter.is_anonymous and letter.writer_name == "" and letter.phone == "" and letter.phone_hash == ""
    fresh = Client()
    response = fresh.post("/letters/track/", {"tracking_no": tracking_no, "password": password.lower()}, follow=True)
    assert "待受理" in response.content.decode()
