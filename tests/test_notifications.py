"""Notifications through both task backends: the database queue (production) forgets what it
sent once the task has run; the immediate backend (the embedded default of `make demo`) sends and
keeps nothing, and the task ends as a success, not as an error about an invalid queue id."""

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from portal import sms
from portal.notifications import CLEARED, send_email_task, send_sms_task

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "ENQUEUE_ON_COMMIT": False}}


@pytest.fixture(autouse=True)
def empty_outboxes():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the task worker closes connections
def test_the_database_queue_forgets_the_number_and_text_once_sent(run_tasks):
    send_sms_task.enqueue("13912345678", "您的预约码是ABCD1234")
    send_email_task.enqueue("wang@example.cn", "预约确认", "预约码ABCD1234")
    run_tasks()

    assert [(m.phone, m.text) for m in sms.outbox] == [("13912345678", "您的预约码是ABCD1234")]
    assert [m.to for m in mail.outbox] == [["wang@example.cn"]]
    stored = {r.task_path: r for r in DBTaskResult.objects.all()}
    assert {r.status for r in stored.values()} == {TaskResultStatus.SUCCESSFUL}
    assert stored["portal.notifications.send_sms_task"].args_kwargs["args"] == ["139****5678", CLEARED]
    assert stored["portal.notifications.send_email_task"].args_kwargs["args"] == ["", "预约确认", CLEARED]
    assert "ABCD1234" not in str([r.args_kwargs for r in stored.values()])


@override_settings(TASKS=IMMEDIATE)
def test_the_immediate_backend_sends_and_the_task_succeeds(caplog):
    sent_sms = send_sms_task.enqueue("13912345678", "您的预约码是ABCD1234")
    sent_mail = send_email_task.enqueue("wang@example.cn", "预约确认", "预约码ABCD1234")
    assert [m.phone for m in sms.outbox] == ["13912345678"]
    assert [m.to for m in mail.outbox] == [["wang@example.cn"]]
    assert sent_sms.status == TaskResultStatus.SUCCESSFUL
    assert sent_mail.status == TaskResultStatus.SUCCESSFUL
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert not DBTaskResult.objects.exists()
