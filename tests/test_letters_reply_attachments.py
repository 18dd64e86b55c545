"""Attachments to replies: the handling department adds files (a scanned 答复意见书) to its reply
under the rules of the writers' attachments; they go through the same approval as the reply text,
stay with a draft sent back, reach the writer with the reply, and never the public letter page."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from services.letters import conf
from services.letters.models import Attachment, PublicVersion, Status

from .letters_support import act, build_world, pdf_file, png_file, staff, write_letter

pytestmark = pytest.mark.django_db

REPLY = "经核实，青石镇中心小学校车自下月起改为七点接送，特此答复。"


@pytest.fixture
def world(db):
    return build_world()


def draft_url(letter):
    assignment = letter.assignments.get(current=True)
    return f"/admin/letters/{letter.pk}/draft/{assignment.pk}/"


def routed_letter(world, client, **fields):
    letter, tracking_no, password = write_letter(client, world.county, **fields)
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.education.pk], instructions="请核实后答复。")
    assert letter.status == Status.ROUTED
    return letter, tracking_no, password


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_reply_attachments_go_through_approval_to_the_writer_and_never_to_the_public(world):
    writer = Client()
    letter, tracking_no, password = routed_letter(world, writer, consent_publish="on")
    handler = staff(world.education_handler)

    # The department's reply form takes files, and says the rules.
    page = handler.get(f"/admin/letters/{letter.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and "答复附件" in page and "最多3个文件" in page
    scan = pdf_file("答复意见书.pdf")
    response = handler.post(draft_url(letter), {"text": REPLY, "attachments": [scan]}, follow=True)
    assert "答复已提交信箱管理员审核。" in response.content.decode()
    letter.refresh_from_db()
    assert letter.status == Status.DRAFTED
    [item] = Attachment.objects.filter(assignment__letter=letter)
    assert item.original_name == "答复意见书.pdf" and item.content_type == "application/pdf"
    stored = settings.LETTERS_PRIVATE_ROOT / item.file.name
    assert stored.exists() and not str(stored).startswith(str(settings.MEDIA_ROOT))

    # The writer sees nothing of it before approval.
    writer_page = writer.get(f"/letters/track/{tracking_no}/").content.decode()
    assert "答复意见书.pdf" not in writer_page
    assert writer.get(f"/letters/track/{tracking_no}/attachments/{item.pk}/").status_code == 404

    # Sent back: the draft keeps its attachment; resubmitted with the text only, it is still there.
    official = staff(world.official)
    approval_page = official.get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "答复意见书.pdf" in approval_page and f"/admin/letters/attachment/{item.pk}/" in approval_page
    assert downloaded(official.get(f"/admin/letters/attachment/{item.pk}/")) == scan_bytes()
    official.post(f"/admin/letters/{letter.pk}/return/{letter.assignments.get().pk}/", {"reason": "请补充办理时间。"})
    letter.refresh_from_db()
    assert letter.status == Status.ROUTED
    redraft = handler.get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "答复意见书.pdf" in redraft and "删除已上传的附件" in redraft
    handler.post(draft_url(letter), {"text": REPLY + "自12月1日起执行。"})
    assert Attachment.objects.filter(assignment__letter=letter).count() == 1

    # Approved with the reply text: the writer sees and downloads it on their letter page.
    act(world.official, letter, "approve", reply="")
    assert letter.status == Status.REPLIED
    writer_page = writer.get(f"/letters/track/{tracking_no}/").content.decode()
    link = f"/letters/track/{tracking_no}/attachments/{item.pk}/"
    assert "答复意见书.pdf" in writer_page and link in writer_page
    assert downloaded(writer.get(link)) == scan_bytes()

    # Nobody else: another citizen, someone who never looked the letter up, a staff member
    # who does not see the letter.
    other = Client()
    write_letter(other, world.county, title="另一封咨询信")
    assert other.get(link).status_code == 404
    assert Client().get(link).status_code == 404
    assert staff(world.civil_handler).get(f"/admin/letters/attachment/{item.pk}/").status_code == 404

    # Published: the public page carries the published reply text, never the attachment.
    act(world.official, letter, "prepare_public")
    act(world.official, letter, "publish_public", title="校车接送时间咨询", content="咨询校车接送时间。", reply=REPLY)
    version = PublicVersion.objects.get(letter=letter, state=PublicVersion.State.PUBLISHED)
    public = Client().get(f"/letters/{version.pk}/").content.decode()
    assert REPLY in public
    assert "答复意见书" not in public and "/attachments/" not in public and "/admin/letters/attachment/" not in public


def scan_bytes():
    return pdf_file().read()


def test_a_bad_attachment_is_refused_in_chinese_and_the_reply_typed_is_kept(
    world, client, django_capture_on_commit_callbacks
):
    letter, *_ = routed_letter(world, client)
    handler = staff(world.education_handler)

    program = SimpleUploadedFile("答复意见书.pdf", b"MZ\x90\x00 a program, not a PDF", content_type="application/pdf")
    response = handler.post(draft_url(letter), {"text": REPLY, "attachments": [program]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "文件类型不受支持" in page and "请上传JPG、PNG或PDF文件" in page
    assert REPLY in page  # the text typed is in the form again
    letter.refresh_from_db()
    assert letter.status == Status.ROUTED and not Attachment.objects.filter(assignment__letter=letter).exists()

    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * conf.setting("LETTERS_ATTACHMENT_MAX_BYTES"))
    page = handler.post(draft_url(letter), {"text": REPLY, "attachments": [big]}).content.decode()
    assert "超过大小限制" in page and REPLY in page

    four = [pdf_file(f"第{n}页.pdf") for n in range(4)]
    page = handler.post(draft_url(letter), {"text": REPLY, "attachments": four}).content.decode()
    assert "附件最多3个。" in page and REPLY in page

    # An empty reply with a good file: the text is asked for, nothing is stored.
    page = handler.post(draft_url(letter), {"text": "", "attachments": [pdf_file("五.pdf")]}).content.decode()
    assert "请填写答复内容。" in page and not Attachment.objects.filter(assignment__letter=letter).exists()

    # Two kept after a send-back plus two new is one too many; removing one makes room.
    handler.post(draft_url(letter), {"text": REPLY, "attachments": [pdf_file("一.pdf"), png_file("二.png")]})
    staff(world.official).post(
        f"/admin/letters/{letter.pk}/return/{letter.assignments.get().pk}/", {"reason": "请补充。"}
    )
    page = handler.post(
        draft_url(letter), {"text": REPLY, "attachments": [pdf_file("三.pdf"), pdf_file("四.pdf")]}
    ).content.decode()
    assert "附件最多3个。" in page and REPLY in page
    first = Attachment.objects.get(assignment__letter=letter, original_name="一.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        handler.post(
            draft_url(letter),
            {"text": REPLY, "remove": [first.pk], "attachments": [pdf_file("三.pdf"), pdf_file("四.pdf")]},
        )
    names = sorted(Attachment.objects.filter(assignment__letter=letter).values_list("original_name", flat=True))
    assert names == ["三.pdf", "二.png", "四.pdf"]
    assert not (settings.LETTERS_PRIVATE_ROOT / first.file.name).exists()


def test_the_department_downloads_its_reply_attachment_of_a_report_but_not_the_writers(world, client):
    letter, *_ = routed_letter(
        world, client, letter_type="report", accused_department=world.police.pk, attachments=[png_file("证据.png")]
    )
    handler = staff(world.education_handler)
    handler.post(draft_url(letter), {"text": REPLY, "attachments": [pdf_file("答复意见书.pdf")]})
    evidence = Attachment.objects.get(letter=letter, assignment=None)
    reply_file = Attachment.objects.get(letter=letter, assignment__isnull=False)

    assert handler.get(f"/admin/letters/attachment/{reply_file.pk}/").status_code == 200
    assert handler.get(f"/admin/letters/attachment/{evidence.pk}/").status_code == 404
    official = staff(world.official)
    assert official.get(f"/admin/letters/attachment/{evidence.pk}/").status_code == 200
    assert official.get(f"/admin/letters/attachment/{reply_file.pk}/").status_code == 200
