"""Every decision case-management staff take about a lawyer reaches the lawyer once, in plain
Chinese: verification granted or refused (with the reason), binding approved or refused (with the
case number and the reason). A decision the screen refuses sends nothing."""

import pytest
from django_tasks_db.models import DBTaskResult

from services.cases.models import LawyerBinding

from .builders import CASE
from .test_bindings import lawyer_applicant, only_binding, request_binding, verified_lawyer

pytestmark = pytest.mark.django_db

PHONE = "13512345601"
NOTICE_TASKS = ("portal.notifications.send_sms_task", "portal.notifications.send_email_task")


def notices():
    """Every SMS and e-mail queued so far, as (task, first argument, text)."""
    return [
        (task.task_path.rsplit(".", 1)[-1], task.args_kwargs["args"][0], task.args_kwargs["args"][-1])
        for task in DBTaskResult.objects.filter(task_path__in=NOTICE_TASKS).order_by("enqueued_at")
    ]


def applicant(client):
    return lawyer_applicant(client, PHONE, "11010519800101001")


def bound_lawyer(client, staff_user, capture):
    """A verified lawyer asking to bind CASE; the notices so far are sent and forgotten."""
    with capture(execute=True):
        verified_lawyer(client, PHONE, "11010519800101001", staff_user)
        request_binding(client, CASE)
    DBTaskResult.objects.filter(task_path__in=NOTICE_TASKS).delete()
    return only_binding(CASE)


def test_verifying_a_lawyer_tells_the_lawyer_once(client, staff, django_capture_on_commit_callbacks):
    _staff_user, staff_client = staff
    lawyer = applicant(client)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/accounts/lawyers/{lawyer.pk}/", {"action": "verify"})
    assert response.status_code == 302

    [(channel, phone, text)] = notices()
    assert channel == "send_sms_task" and phone == PHONE
    assert "律师身份认证已通过" in text and "绑定案件" in text


def test_refusing_a_lawyer_tells_the_reason_and_an_empty_reason_sends_nothing(
    client, staff, django_capture_on_commit_callbacks
):
    _staff_user, staff_client = staff
    lawyer = applicant(client)
    detail = f"/admin/accounts/lawyers/{lawyer.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        refused = staff_client.post(detail, {"action": "reject", "reason": "  "})
    assert "请填写未通过原因。" in refused.content.decode()
    assert notices() == []

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(detail, {"action": "reject", "reason": "执业证扫描件不清晰"})
    [(_channel, phone, text)] = notices()
    assert phone == PHONE
    assert "律师身份认证申请未通过" in text and "原因：执业证扫描件不清晰" in text

    # Deciding again is refused and tells nobody anything more.
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(detail, {"action": "verify"})
    assert len(notices()) == 1


def test_an_e_mail_reaches_a_lawyer_without_a_verified_phone(client, staff, django_capture_on_commit_callbacks):
    _staff_user, staff_client = staff
    lawyer = applicant(client)
    lawyer.user.email = "zhou@example.cn"
    lawyer.user.phone_verified = False
    lawyer.user.save(update_fields=["email", "phone_verified"])

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/accounts/lawyers/{lawyer.pk}/", {"action": "verify"})

    [(channel, address, text)] = notices()
    assert channel == "send_email_task" and address == "zhou@example.cn"
    assert "律师身份认证已通过" in text


def test_approving_a_binding_tells_the_lawyer_the_case_number(client, cases, staff, django_capture_on_commit_callbacks):
    staff_user, staff_client = staff
    binding = bound_lawyer(client, staff_user, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(f"/admin/cases/bindings/{binding.pk}/", {"action": "approve"})
    assert response.status_code == 302

    [(channel, phone, text)] = notices()
    assert channel == "send_sms_task" and phone == PHONE
    assert f"您对案件{CASE}的绑定申请已通过" in text


def test_refusing_a_binding_tells_the_case_and_reason_and_an_empty_reason_sends_nothing(
    client, cases, staff, django_capture_on_commit_callbacks
):
    staff_user, staff_client = staff
    binding = bound_lawyer(client, staff_user, django_capture_on_commit_callbacks)
    detail = f"/admin/cases/bindings/{binding.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        refused = staff_client.post(detail, {"action": "reject", "reason": ""})
    assert "请填写未通过原因。" in refused.content.decode()
    assert notices() == []

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(detail, {"action": "reject", "reason": "委托书未签字"})
    binding.refresh_from_db()
    assert binding.state == LawyerBinding.State.REJECTED
    [(_channel, phone, text)] = notices()
    assert phone == PHONE
    assert f"您对案件{CASE}的绑定申请未通过" in text and "原因：委托书未签字" in text
