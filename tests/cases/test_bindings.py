"""Lawyer case bindings: a verified lawyer asks to follow a case with the letters, case-management
staff approve or reject it in the admin, and only an approved binding opens the timeline."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from portal.pii import mask_id_number
from portal.roles import ROLES_BY_CODE
from services.accounts import workflow
from services.accounts.models import LawyerProfile
from services.cases.models import BindingEvent, LawyerBinding

from ..accounts_builders import sign_up
from ..builders import login_staff
from ..test_accounts import PDF
from .builders import CASE, JUVENILE_CASE, OTHER_CASE, SUSPECT_ID, VICTIM_ID, case_record, id_number
from .test_documents import document

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def lawyer_applicant(client, phone, id17, name="周律师", certificate_no="13301201910123456"):
    """Sign up, give the real name and apply for lawyer verification, as a person does; returns the profile."""
    user = sign_up(client, phone)
    client.post("/accounts/me/real-name/", {"real_name": name, "id_number": id_number(id17)})
    client.post(
        "/accounts/me/lawyer/",
        {
            "certificate_no": certificate_no,
            "law_firm": "青山县正义律师事务所",
            "certificate_scan": SimpleUploadedFile("zheng.pdf", PDF, content_type="application/pdf"),
        },
    )
    return LawyerProfile.objects.get(user=user)


def verified_lawyer(client, phone, id17, reviewer):
    return workflow.verify_lawyer(lawyer_applicant(client, phone, id17), reviewer).user


def letters(letter=None, firm=None):
    return {
        "letter": letter or SimpleUploadedFile("weituoshu.pdf", PDF, content_type="application/pdf"),
        "firm_letter": firm or SimpleUploadedFile("suohan.png", PNG, content_type="image/png"),
    }


def request_binding(client, case_number, role="defender", **files):
    fields = {"case_number": case_number, "role": role, "letter_kind": "engagement"} | letters(**files)
    return client.post("/cases/lawyer/", fields, follow=True)


def only_binding(case_number):
    return LawyerBinding.objects.get(case__case_number=case_number)


def test_a_verified_lawyer_is_approved_by_staff_and_then_sees_the_timeline(client, cases, staff):
    staff_user, staff_client = staff
    lawyer = verified_lawyer(client, "13512345601", "11010519800101001", staff_user)

    page = request_binding(client, " 青山检刑受(2026)12号 ")
    text = page.content.decode()
    assert text.count("绑定申请已提交") == 1 and "待审核" in text  # once, in the page messages
    binding = only_binding(CASE)
    assert binding.lawyer == lawyer and binding.state == LawyerBinding.State.PENDING
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 404

    # Staff see it in the admin list (oldest first), open it, read the letters, approve it.
    listing = staff_client.get("/admin/cases/bindings/").content.decode()
    assert CASE in listing and "律师案件绑定" in listing
    detail = staff_client.get(f"/admin/cases/bindings/{binding.pk}/").content.decode()
    assert "委托书" in detail and "青山县正义律师事务所" in detail
    letter = staff_client.get(f"/cases/lawyer/{binding.pk}/letters/letter/")
    assert letter.status_code == 200 and b"".join(letter.streaming_content) == PDF
    assert client.get(f"/cases/lawyer/{binding.pk}/letters/firm/").status_code == 200  # the owner
    response = staff_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"})
    assert response.status_code == 302
    assert CASE not in staff_client.get("/admin/cases/bindings/").content.decode()

    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.APPROVED and binding.reviewed_by == staff_user
    assert list(binding.events.values_list("action", flat=True)) == ["requested", "approved"]

    overview = client.get("/cases/lawyer/").content.decode()
    assert "已通过" in overview and f"/cases/lawyer/{binding.pk}/" in overview
    timeline = client.get(f"/cases/lawyer/{binding.pk}/").content.decode()
    assert "盗窃罪" in timeline and "已告知犯罪嫌疑人诉讼权利" in timeline and "审查起诉" in timeline
    assert "李建国" not in timeline  # the party data is not part of the procedural information


def test_a_lawyer_sees_only_cases_bound_and_approved(client, cases, staff):
    staff_user, staff_client = staff
    verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    request_binding(client, CASE)
    request_binding(client, OTHER_CASE)
    pending, rejected = only_binding(CASE), only_binding(OTHER_CASE)

    # A rejection needs a reason, and the lawyer sees it.
    no_reason = staff_client.post(f"/admin/cases/bindings/{rejected.pk}/", {"action": "reject", "reason": ""})
    assert "请填写未通过原因。" in no_reason.content.decode()
    staff_client.post(f"/admin/cases/bindings/{rejected.pk}/", {"action": "reject", "reason": "委托书未签字"})
    rejected.refresh_from_db()
    assert rejected.state == LawyerBinding.State.REJECTED
    assert "委托书未签字" in client.get("/cases/lawyer/").content.decode()

    for binding in (pending, rejected):
        assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 404

    # Another verified lawyer, approved for the same case, cannot open the first lawyer's binding.
    other = Client()
    verified_lawyer(other, "13512345602", "11010519800202002", staff_user)
    request_binding(other, CASE)
    theirs = LawyerBinding.objects.exclude(pk=pending.pk).get(case__case_number=CASE)
    staff_client.post(f"/admin/cases/bindings/{theirs.pk}/", {"action": "approve"})
    assert other.get(f"/cases/lawyer/{theirs.pk}/").status_code == 200
    assert client.get(f"/cases/lawyer/{theirs.pk}/").status_code == 404
    assert other.get(f"/cases/lawyer/{pending.pk}/").status_code == 404
    # ...nor read its letters.
    assert other.get(f"/cases/lawyer/{pending.pk}/letters/letter/").status_code == 404

    # An approved binding cannot be reviewed twice.
    staff_client.post(f"/admin/cases/bindings/{theirs.pk}/", {"action": "reject", "reason": "x"})
    theirs.refresh_from_db()
    assert theirs.state == LawyerBinding.State.APPROVED


def test_unverified_lawyers_and_people_without_the_permission_are_refused(client, cases, staff):
    sign_up(client, "13512345603")
    response = client.get("/cases/lawyer/")
    assert response.status_code == 302 and response["Location"] == "/accounts/me/lawyer/"
    response = client.post("/cases/lawyer/", {"case_number": CASE, "role": "defender", "letter_kind": "engagement"})
    assert response.status_code == 302
    assert not LawyerBinding.objects.exists()

    anonymous = Client()
    assert anonymous.get("/cases/lawyer/").status_code == 302

    # A verified lawyer's request cannot be reviewed by the lawyer, nor by staff lacking the permission.
    staff_user, _client = staff
    lawyer_client = Client()
    verified_lawyer(lawyer_client, "13512345604", "11010519800101001", staff_user)
    request_binding(lawyer_client, CASE)
    binding = only_binding(CASE)
    assert lawyer_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"}).status_code in (
        302,
        403,
    )
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("plainstaff", password="Plain#Staff2026", is_staff=True)
    editor_client = Client()
    login_staff(editor_client, editor)
    assert editor_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"}).status_code in (
        302,
        403,
    )
    assert editor_client.get(f"/cases/lawyer/{binding.pk}/letters/letter/").status_code == 404
    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.PENDING


def test_a_juvenile_case_is_never_shown(client, cases, staff):
    staff_user, _staff_client = staff
    verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    unknown = request_binding(client, "青山检刑受〔2026〕999号").content.decode()
    juvenile = request_binding(client, JUVENILE_CASE).content.decode()
    for page in (unknown, juvenile):
        assert "未找到可绑定的案件，请核对案件编号。" in page
        assert "未成年人专办" not in page
    assert not LawyerBinding.objects.exists()

    # Even a binding that reached the database some other way never opens a restricted case.
    request_binding(client, CASE)
    binding = only_binding(CASE)
    from services.cases.bindings import approve_binding

    approve_binding(binding, staff_user)
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 200
    LawyerBinding.objects.filter(pk=binding.pk).update(
        case=binding.case.__class__.objects.get(case_number=JUVENILE_CASE)
    )
    response = client.get(f"/cases/lawyer/{binding.pk}/")
    assert response.status_code == 404 and "未成年人专办" not in response.content.decode()


def test_a_bad_upload_is_refused_in_chinese_and_nothing_is_saved(client, cases, staff, settings):
    staff_user, _staff_client = staff
    verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    stored_before = set(settings.PRIVATE_MEDIA_ROOT.rglob("*")) if settings.PRIVATE_MEDIA_ROOT.exists() else set()

    fake = SimpleUploadedFile("weituoshu.pdf", b"MZ this is a program", content_type="application/pdf")
    page = request_binding(client, CASE, letter=fake).content.decode()
    assert "只能上传PDF、JPG或PNG格式的文件。" in page
    renamed = SimpleUploadedFile("suohan.pdf", PNG, content_type="application/pdf")  # a PNG named .pdf
    assert "只能上传PDF、JPG或PNG格式的文件。" in request_binding(client, CASE, firm=renamed).content.decode()
    big = SimpleUploadedFile("weituoshu.pdf", PDF + b"0" * settings.CASES_BINDING_LETTER_MAX_BYTES)
    assert "文件不能超过" in request_binding(client, CASE, letter=big).content.decode()
    missing = client.post(
        "/cases/lawyer/", {"case_number": CASE, "role": "defender", "letter_kind": "engagement"}
    ).content.decode()
    assert "请上传委托书或法律援助公函。" in missing and "请上传律师事务所函。" in missing

    assert not LawyerBinding.objects.exists() and not BindingEvent.objects.exists()
    stored_after = set(settings.PRIVATE_MEDIA_ROOT.rglob("*")) if settings.PRIVATE_MEDIA_ROOT.exists() else set()
    assert not [p for p in stored_after - stored_before if "case-bindings" in str(p)]


def sms_to(phone):
    """The texts queued for `phone` (the worker sends them; see portal.notifications)."""
    queued = DBTaskResult.objects.filter(task_path="portal.notifications.send_sms_task").order_by("enqueued_at")
    return [task.args_kwargs["args"][1] for task in queued if task.args_kwargs["args"][0] == phone]


def test_staff_revoke_an_approved_binding_with_a_reason_and_the_case_leaves_the_lawyer(
    client, cases, staff, django_capture_on_commit_callbacks
):
    staff_user, staff_client = staff
    verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    request_binding(client, CASE)
    binding = only_binding(CASE)
    staff_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"})
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 200

    # Approved bindings are found under their state, and offer the revocation.
    listing = staff_client.get("/admin/cases/bindings/?state=approved").content.decode()
    assert f"/admin/cases/bindings/{binding.pk}/" in listing
    assert "撤销案件绑定" in staff_client.get(f"/admin/cases/bindings/{binding.pk}/").content.decode()

    # Without a reason: a clear error, nothing changes.
    empty = staff_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "revoke", "reason": "  "})
    assert empty.status_code == 200 and "请填写撤销原因。" in empty.content.decode()
    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.APPROVED
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/admin/cases/bindings/{binding.pk}/", {"action": "revoke", "reason": "委托人已解除委托"}, follow=True
        )
    page = response.content.decode()
    assert "已撤销该律师的案件绑定" in page and "撤销绑定" in page and "委托人已解除委托" in page
    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.REVOKED and binding.reviewed_by == staff_user
    assert list(binding.events.values_list("action", "comment", "by")) == [
        ("requested", "", binding.lawyer_id),
        ("approved", "", staff_user.pk),
        ("revoked", "委托人已解除委托", staff_user.pk),
    ]
    [text] = sms_to("13512345601")[-1:]
    assert CASE in text and "委托人已解除委托" in text

    # The lawyer's own page: revoked, with the reason, and no link to the case any more.
    overview = client.get("/cases/lawyer/").content.decode()
    assert "已撤销" in overview and "委托人已解除委托" in overview
    assert f"/cases/lawyer/{binding.pk}/" not in overview
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 404

    # A revoked binding cannot be revoked again.
    again = staff_client.post(
        f"/admin/cases/bindings/{binding.pk}/", {"action": "revoke", "reason": "重复"}, follow=True
    )
    assert "只能撤销已通过的案件绑定。" in again.content.decode()
    assert binding.events.count() == 3


def test_only_staff_with_the_permission_revoke_a_binding(client, cases, staff):
    from django.contrib.auth import get_user_model

    staff_user, staff_client = staff
    lawyer = verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    request_binding(client, CASE)
    binding = only_binding(CASE)
    staff_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"})

    editor = get_user_model().objects.create_user("plainstaff", password="Plain#Staff2026", is_staff=True)
    editor_client = Client()
    login_staff(editor_client, editor)
    for someone in (editor_client, client):
        response = someone.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "revoke", "reason": "无权撤销"})
        assert response.status_code in (302, 403)
    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.APPROVED and binding.events.count() == 2
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 200
    assert lawyer.case_bindings.get().state == LawyerBinding.State.APPROVED


def test_staff_revoke_a_lawyers_verification_and_the_lawyer_loses_the_cases_and_binding(
    client, cases, staff, django_capture_on_commit_callbacks
):
    staff_user, staff_client = staff
    lawyer = verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    request_binding(client, CASE)
    binding = only_binding(CASE)
    staff_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"})
    profile = LawyerProfile.objects.get(user=lawyer)
    detail = f"/admin/accounts/lawyers/{profile.pk}/"
    assert "撤销律师认证" in staff_client.get(detail).content.decode()

    # Someone without the permission is refused; an empty reason is refused; nothing changes.
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("plainstaff", password="Plain#Staff2026", is_staff=True)
    editor_client = Client()
    login_staff(editor_client, editor)
    assert editor_client.post(detail, {"action": "revoke", "reason": "无权撤销"}).status_code in (302, 403)
    empty = staff_client.post(detail, {"action": "revoke", "reason": ""})
    assert "请填写撤销认证的原因。" in empty.content.decode()
    profile.refresh_from_db()
    assert profile.status == LawyerProfile.Status.VERIFIED and profile.events.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(detail, {"action": "revoke", "reason": "执业证已被吊销"}, follow=True)
    page = response.content.decode()
    assert "已撤销该律师的身份认证" in page and "执业证已被吊销" in page
    profile.refresh_from_db()
    assert profile.status == LawyerProfile.Status.REVOKED and profile.reviewed_by == staff_user
    assert list(profile.events.values_list("action", flat=True)) == ["submitted", "verified", "revoked"]
    assert not lawyer.groups.filter(name=ROLES_BY_CODE["lawyer"].name).exists()
    assert "执业证已被吊销" in sms_to("13512345601")[-1]
    # Its bindings end with it: a later verification does not reopen the case by itself.
    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.REVOKED and binding.rejection_reason == "执业证已被吊销"
    assert binding.events.filter(action="revoked", by=staff_user).exists()

    # The lawyer: told why, no case any more, no new binding.
    assert "执业证已被吊销" in client.get("/accounts/me/lawyer/").content.decode()
    assert client.get(f"/cases/lawyer/{binding.pk}/").status_code == 302
    assert client.get("/cases/lawyer/")["Location"] == "/accounts/me/lawyer/"
    request_binding(client, OTHER_CASE)
    assert not LawyerBinding.objects.filter(case__case_number=OTHER_CASE).exists()


def test_the_binding_decision_screen_lists_the_parties_with_masked_id_numbers(client, cases, staff):
    staff_user, staff_client = staff
    verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    request_binding(client, CASE)

    page = staff_client.get(f"/admin/cases/bindings/{only_binding(CASE).pk}/").content.decode()

    assert "案件当事人" in page
    for role, name, number in (("犯罪嫌疑人", "李建国", SUSPECT_ID), ("被害人", "王秀英", VICTIM_ID)):
        assert role in page and name in page
        assert mask_id_number(number) in page and number not in page


def in_menu(label, html):
    """The admin menu is rendered as JSON for the sidebar script (non-ASCII escaped)."""
    return json.dumps(label)[1:-1] in html


def admin_home_with_queries(staff_client):
    with CaptureQueriesContext(connection) as queries:
        html = staff_client.get("/admin/").content.decode()
    return html, len(queries)


def test_the_case_management_menu_counts_what_waits_in_a_bounded_number_of_queries(client, import_file, staff):
    staff_user, staff_client = staff
    html, _queries = admin_home_with_queries(staff_client)
    assert in_menu("律师案件绑定", html) and not in_menu("律师案件绑定（", html)

    import_file(
        case_record(CASE, documents=[document("青山检刑不诉〔2026〕1号")]),
        case_record(OTHER_CASE, name="张某诈骗案", charge="诈骗罪"),
    )
    verified_lawyer(client, "13512345601", "11010519800101001", staff_user)
    request_binding(client, CASE)
    lawyer_applicant(Client(), "13512345609", "11010519800909009", name="吴律师", certificate_no="13301201910654321")
    html, few = admin_home_with_queries(staff_client)
    assert in_menu("律师认证（1）", html)
    assert in_menu("律师案件绑定（1）", html)
    assert in_menu("法律文书公开核对（1）", html)

    # More waiting work, same number of queries.
    request_binding(client, OTHER_CASE)
    import_file(case_record("青山检刑受〔2026〕14号", documents=[document("青山检刑不诉〔2026〕2号")]))
    html, many = admin_home_with_queries(staff_client)
    assert in_menu("律师案件绑定（2）", html) and in_menu("法律文书公开核对（2）", html)
    assert many == few

    # Staff without the permissions see neither the items nor the counts.
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("plainstaff", password="Plain#Staff2026", is_staff=True)
    editor_client = Client()
    login_staff(editor_client, editor)
    html = editor_client.get("/admin/").content.decode()
    assert not in_menu("律师案件绑定", html) and not in_menu("法律文书公开核对", html)
