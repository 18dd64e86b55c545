"""Notifications to citizens and staff: SMS and e-mail behind one interface.

`notify(phone=..., email=..., subject=..., body=...)` queues one background task per
channel after the surrounding transaction commits, so a slow or failing provider never
holds up or rolls back the user's request. SMS goes through `portal.sms.send_sms` (its
backend is chosen by SMS_BACKEND), e-mail through Django's EMAIL_BACKEND.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .sms import send_sms

logger = logging.getLogger(__name__)


@task()
def send_sms_task(phone, text):
    send_sms(phone, text)


@task()
def send_email_task(address, subject, body):
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    logger.info("e-mail sent (%s)", subject)


def notify(*, phone="", email="", subject="", body=""):
    """Queue `body` to every contact given (SMS for `phone`, e-mail for `email`)."""
    if phone:
        send_sms_task.enqueue(phone, f"【{settings.WAGTAIL_SITE_NAME}】{body}")
    if email:
        send_email_task.enqueue(email, str(subject), body)
