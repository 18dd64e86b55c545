"""Who sees what: departments see only their letters, 举报 letters stay with the mailbox
officials (never the accused body), and public pages never show the writer."""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from services.letters.models import Letter, ModerationReport, PublicVersion, Status

from .letters_support import act, build_world, make_user, pdf_file, staff, write_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def reply(world, letter, department, handler, text="经核实，已妥善处理。"):
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[department.pk])
    assignment = letter.assignments.get(current=True)
    staff(handler).post(f"/admin/letters/{letter.pk}/draft/{assignment.pk}/", {"text": text})
    act(world.official, letter, "approve", reply="")
    assert letter.status == Status.REPLIED


def test_a_department_sees_only_letters_routed_to_it_in_lists_pages_and_exports(world, client):
    civil_letter, *_ = write_letter(client, world.county, title="低保申请进度咨询")
    education_letter, *_ = write_letter(client, world.county, title="学区划分咨询")
    for letter, department in ((civil_letter, world.civil), (education_letter, world.education)):
        act(world.official, letter, "accept")
        act(world.official, letter, "route", departments=[department.pk])

    civil_desk = staff(world.civil_handler).get("/admin/letters/").content.decode()
    assert "低保申请进度咨询" in civil_desk and "学区划分咨询" not in civil_desk
    assert staff(world.civil_handler).get(f"/admin/letters/{education_letter.pk}/").status_code == 404
    assert staff(world.education_handler).get(f"/admin/letters/{civil_letter.pk}/").status_code == 404
    # The search box and the department filter cannot widen the scope either.
    searched = staff(world.civil_handler).get("/admin/letters/", {"q": "学区"}).content.decode()
    assert "学区划分咨询" not in searched
    filtered = staff(world.civil_handler).get("/admin/letters/", {"department": world.education.pk}).content.decode()
    assert "学区划分咨询" not in filtered
    # Another mailbox's official sees none of the county mailbox's letters, not even those routed
    # to his own department: handling them is the 承办部门 role's work.
    other_box = staff(world.education_official).get("/admin/letters/").content.decode()
    assert "低保申请进度咨询" not in other_box and "学区划分咨询" not in other_box
    # Citizens and staff outside the letters work are kept out of the desk.
    assert staff(world.citizen).get("/admin/letters/").status_code == 302

    def exported(user):
        today = timezone.localdate()  # the letters were written today, in the portal's time zone
        response = staff(user).get(
            "/admin/letters/export/", {"period": "month", "year": today.year, "number": today.month}
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]

    civil_rows = exported(world.civil_handler)
    assert civil_rows[0][1] == "合计" and civil_rows[0][2] == 1
    assert [row[1] for row in civil_rows[1:]] == ["县民政局"]
    official_rows = exported(world.official)
    assert official_rows[0][2] == 2

    today = timezone.localdate()
    number = (today.month - 1) // 3 + 1
    response = staff(world.official).get(
        "/admin/letters/export/", {"period": "quarter", "year": today.year, "number": number}
    )
    quarter = load_workbook(io.BytesIO(response.content)).active
    assert quarter["A2"].value == f"{today.year}年第{number}季度" and quarter["C2"].value == 2
    response = staff(world.official).get(
        "/admin/letters/export/", {"period": "quarter", "year": today.year, "number": 5}
    )
    assert "季度应为1到4。" in response.content.decode()

    # A department sees the writer masked; the desk is in the admin menu of those who use it.
    handler_page = staff(world.civil_handler).get(f"/admin/letters/{civil_letter.pk}/").content.decode()
    assert "138****5678" in handler_page and "13812345678" not in handler_page and "张某" in handler_page
    official_page = staff(world.official).get(f"/admin/letters/{civil_letter.pk}/").content.decode()
    assert "138****5678" in official_page and "13812345678" not in official_page  # full only through the logged look
    assert "/admin/letters/" in staff(world.civil_handler).get("/admin/").content.decode()
    assert "/admin/letters/" not in staff(make_user("plain", "editor")).get("/admin/").content.decode()


def test_a_report_is_never_routed_to_or_seen_by_the_body_it_accuses(world, client):
    letter, *_ = write_letter(
        client,
        world.education_box,
        letter_type="report",
        topic="safety",
        title="举报某派出所民警违规收费",
        content="某派出所民警在办理户籍业务时违规收取费用，请予查处。",
        accused_department=world.police.pk,
        consent_publish="on",
        attachments=[pdf_file()],
    )
    # Written to a department's mailbox it still reaches only that mailbox's officials,
    # and consent to publish is ignored for a report.
    assert letter.mailbox == world.education_box and not letter.consent_publish
    act(world.education_official, letter, "accept")
    page = act(world.education_official, letter, "route", departments=[world.police.pk])
    assert "举报信件不得转给被举报单位办理。" in page and letter.status == Status.ACCEPTED
    act(world.education_official, letter, "route", departments=[world.civil.pk], instructions="请核查")
    assert letter.status == Status.ROUTED

    attachment = letter.attachments.get()
    official_page = staff(world.education_official).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "张某" in official_page and "张三丰" not in official_page and attachment.original_name in official_page
    assert staff(world.education_official).get(f"/admin/letters/attachment/{attachment.pk}/").status_code == 200

    # The department handling it sees the matter, not the writer and not the evidence.
    handler_page = staff(world.civil_handler).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "举报某派出所民警违规收费" in handler_page
    assert "张三丰" not in handler_page and "13812345678" not in handler_page and "138****5678" not in handler_page
    assert attachment.original_name not in handler_page
    assert staff(world.civil_handler).get(f"/admin/letters/attachment/{attachment.pk}/").status_code == 404

    for outsider in (world.police_handler, world.education_handler, world.editor, world.official):
        # 404 for letters staff; the editor, who is not, is sent back to the admin's home page.
        assert staff(outsider).get(f"/admin/letters/{letter.pk}/").status_code in (302, 404)
        assert "举报某派出所" not in staff(outsider).get("/admin/letters/").content.decode()
        assert staff(outsider).get(f"/admin/letters/attachment/{attachment.pk}/").status_code in (302, 404)

    # Never published, whatever happens.
    assignment = letter.assignments.get()
    staff(world.civil_handler).post(f"/admin/letters/{letter.pk}/draft/{assignment.pk}/", {"text": "已查处。"})
    act(world.education_official, letter, "approve")
    page = act(world.education_official, letter, "prepare_public")
    assert not PublicVersion.objects.filter(letter=letter).exists()
    assert "举报某派出所" not in Client().get("/letters/").content.decode()


def test_a_report_to_the_accused_departments_own_mailbox_goes_to_the_county_mailbox(world, client):
    letter, *_ = write_letter(
        client,
        world.education_box,
        letter_type="report",
        title="举报学校乱收费",
        content="某中学以补课名义向学生收取费用，请查处。",
        accused_department=world.education.pk,
    )
    assert letter.mailbox == world.county
    assert staff(world.education_official).get(f"/admin/letters/{letter.pk}/").status_code == 404
    assert staff(world.official).get(f"/admin/letters/{letter.pk}/").status_code == 200


WRITER = {
    "writer_name": "欧阳明远",
    "phone": "13987654321",
    "id_number": "11010519491231002X",
    "address": "青山县青石镇幸福路18号3栋2单元501室",
}


def test_public_pages_never_show_the_writer_and_the_original_is_never_altered(world, client):
    content = (
        "我是欧阳明远，住在青山县青石镇幸福路18号3栋2单元501室，身份证号11010519491231002X，"
        "电话13987654321。小区门前道路破损严重，雨天积水，老人出行不便，请尽快维修。"
    )
    letter, *_ = write_letter(
        client,
        world.county,
        letter_type="suggest",
        topic="transport",
        title="欧阳明远反映道路破损",
        content=content,
        consent_publish="on",
        **WRITER,
    )
    reply(world, letter, world.civil, world.civil_handler, text="欧阳明远您好：已安排维修，电话13987654321已回访。")
    act(world.official, letter, "prepare_public")
    version = PublicVersion.objects.get(letter=letter)
    assert version.state == PublicVersion.State.DRAFT
    for value in WRITER.values():
        assert value not in version.title + version.content + version.reply
    assert "欧某" in version.content and "（电话已隐去）" in version.content
    assert Client().get(f"/letters/{version.pk}/").status_code == 404  # not yet approved

    # The official cannot put personal data back in while editing.
    page = act(
        world.official,
        letter,
        "publish_public",
        title=version.title,
        content=version.content + "联系电话13987654321",
        reply=version.reply,
    )
    assert "仍含有来信人的个人信息" in page
    reversed_title = "\u202e损破路道"  # shows as 道路破损 on the public list
    page = act(
        world.official, letter, "publish_public", title=reversed_title, content=version.content, reply=version.reply
    )
    assert "填写的内容含有不可见的控制字符" in page
    act(
        world.official,
        letter,
        "publish_public",
        title="反映小区门前道路破损",
        content=version.content,
        reply=version.reply,
    )
    version.refresh_from_db()
    assert version.state == PublicVersion.State.PUBLISHED

    for url in ("/letters/", f"/letters/{version.pk}/"):
        html = Client().get(url).content.decode()
        assert "反映小区门前道路破损" in html
        for value in WRITER.values():
            assert value not in html
        assert "欧阳" not in html
    detail = Client().get(f"/letters/{version.pk}/").content.decode()
    assert (
        "县民政局" in detail
        and f"{letter.replied_on:%Y-%m-%d}" in detail
        and f"{letter.accepted_on:%Y-%m-%d}" in detail
    )

    original = Letter.objects.get(pk=letter.pk)
    assert original.content == content and original.writer_name == "欧阳明远"

    # Illegal content: hidden at once, original kept, a report record for the 24-hour report.
    act(world.official, letter, "hide_public", reason="含有侮辱他人内容")
    version.refresh_from_db()
    assert version.state == PublicVersion.State.HIDDEN
    assert Client().get(f"/letters/{version.pk}/").status_code == 404
    assert "反映小区门前道路破损" not in Client().get("/letters/").content.decode()
    report = ModerationReport.objects.get(public_version=version)
    assert report.hidden_by == world.official and report.reason == "含有侮辱他人内容"
    assert (report.report_due_at - report.hidden_at).total_seconds() == pytest.approx(24 * 3600, abs=5)
    assert PublicVersion.objects.get(pk=version.pk).content == version.content
    desk = staff(world.official).get("/admin/letters/").content.decode()
    assert "违法信息处置记录（须在24小时内报告）" in desk and "含有侮辱他人内容" in desk
    assert "含有侮辱他人内容" not in staff(world.education_official).get("/admin/letters/").content.decode()


def test_without_consent_a_letter_is_never_published(world, client):
    letter, *_ = write_letter(client, world.county, letter_type="consult")
    reply(world, letter, world.civil, world.civil_handler)
    page = act(world.official, letter, "prepare_public")
    assert not PublicVersion.objects.filter(letter=letter).exists()
    assert "生成公开版本" not in page.split("办理过程")[0] or "来信人未同意公开" in page
