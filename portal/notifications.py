"""Notifications to citizens and staff: SMS and e-mail behind one interface.

`notify(phone=..., email=..., subject=..., body=...)` queues one background task per
channel after the surrounding transaction commits, so a slow or failing provider never
holds up or rolls back the user's request. SMS goes through `portal.sms.send_sms` (its
backend is chosen by SMS_BACKEND), e-mail through Django's EMAIL_BACKEND.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task, task_backends
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .pii import mask_phone
from .sms import send_sms

logger = logging.getLogger(__name__)

CLEARED = "（已发送，内容已清除）"


def forget_arguments(context, *kept):
    """Replace the arguments the database queue stored for this task (a phone number or
    address, a message carrying codes or passwords) once it has run, successful or not:
    the queue is not an archive of what citizens were sent. Other backends (the immediate one of
    the embedded default) store no arguments: there is nothing to forget."""
    if not isinstance(task_backends[context.task_result.backend], DatabaseBackend):
        return
    DBTaskResult.objects.filter(pk=context.task_result.id).update(args_kwargs={"args": list(kept), "kwargs": {}})


@task(takes_context=True)
def send_sms_task(context, phone, text):
    try:
        send_sms(phone, text)
    finally:
        forget_arguments(context, mask_phone(phone), CLEARED)


@task(takes_context=True)
def send_email_task(context, address, subject, body):
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        logger.info("e-mail sent (%s)", subject)
    finally:
        forget_arguments(context, "", str(subject), CLEARED)


def notify_staff(users, *, subject, body, url=""):
    """Tell each staff member in `users` that they must act: a notice in the admin (「我的通知」)
    and the same by e-mail to those with an address. Inactive accounts are skipped."""
    from .models import StaffNotice

    for user in {user.pk: user for user in users if user.is_active}.values():
        StaffNotice.objects.create(recipient=user, subject=str(subject)[:100], body=str(body), url=url)
        if user.email:
            send_email_task.enqueue(user.email, str(subject), str(body))


def notify(*, phone="", email="", subject="", body=""):
    """Queue `body` to every contact given (SMS for `phone`, e-mail for `email`)."""
    if phone:
        send_sms_task.enqueue(phone, f"【{settings.WAGTAIL_SITE_NAME}】{body}")
    if email:
        send_email_task.enqueue(email, str(subject), body)
