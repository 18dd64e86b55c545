"""Notifications to citizens and staff: SMS and e-mail behind one interface.

`notify(phone=..., email=..., subject=..., body=...)` queues one background task per
channel after the surrounding transaction commits, so a slow or failing provider never
holds up or rolls back the user's request. Providers are classes named in settings:

    PORTAL_SMS_BACKEND = "portal.notifications.ConsoleSMSBackend"   # default
    PORTAL_SMS_BACKEND = "portal.notifications.FileSMSBackend"      # PORTAL_SMS_FILE_PATH
    PORTAL_SMS_BACKEND = "portal.notifications.LocmemSMSBackend"    # tests: sms_outbox

E-mail goes through Django's EMAIL_BACKEND. A real SMS gateway is a class with a
`send(phone, text)` method named in PORTAL_SMS_BACKEND.
"""

import logging
import sys
from pathlib import Path

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .pii import mask_phone

logger = logging.getLogger(__name__)

# Messages "sent" by LocmemSMSBackend, like django.core.mail.outbox for e-mail.
sms_outbox = []


class ConsoleSMSBackend:
    """Writes messages to standard output (development)."""

    def send(self, phone, text):
        sys.stdout.write(f"[SMS → {phone}] {text}\n")


class FileSMSBackend:
    """Appends messages to the file PORTAL_SMS_FILE_PATH (staging, demos)."""

    def send(self, phone, text):
        path = Path(getattr(settings, "PORTAL_SMS_FILE_PATH", settings.VAR_DIR / "sms.log"))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{timezone.now().isoformat()}\t{phone}\t{text}\n")


class LocmemSMSBackend:
    """Keeps messages in `sms_outbox` (tests)."""

    def send(self, phone, text):
        sms_outbox.append({"phone": phone, "text": text})


def sms_backend():
    return import_string(getattr(settings, "PORTAL_SMS_BACKEND", "portal.notifications.ConsoleSMSBackend"))()


@task()
def send_sms_task(phone, text):
    sms_backend().send(phone, text)
    logger.info("SMS sent to %s", mask_phone(phone))


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
