"""Text messages (短信) for every app behind one interface: `send_sms(phone, text)`.

The backend is chosen by `settings.SMS_BACKEND`:
- `portal.sms.ConsoleBackend` (default) prints the message with the number masked;
- `portal.sms.FileBackend` appends one JSON line per message under `SMS_FILE_PATH`;
- `portal.sms.LocmemBackend` keeps messages in `portal.sms.outbox` (tests);
- `portal.sms.HttpApiBackend` posts JSON to a provider gateway (`SMS_API_URL`, `SMS_API_TOKEN`).
A provider-specific backend only needs a `send(message)` method.
Numbers never reach the logs in full (个人信息保护法); backends that must deliver do see them.
"""

import json
import logging
import sys
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .pii import mask_phone

logger = logging.getLogger(__name__)

# Messages sent through LocmemBackend, like django.core.mail.outbox.
outbox = []


@dataclass
class SmsMessage:
    phone: str
    text: str
    sent_at: str = field(default_factory=lambda: timezone.now().isoformat())


class SmsError(Exception):
    """The provider refused or could not be reached."""


class ConsoleBackend:
    def send(self, message):
        sys.stdout.write(f"[短信] {mask_phone(message.phone)}：{message.text}\n")
        sys.stdout.flush()


class FileBackend:
    def send(self, message):
        directory = settings.SMS_FILE_PATH
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / f"{timezone.localdate().isoformat()}.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(asdict(message), ensure_ascii=False) + "\n")


class LocmemBackend:
    def send(self, message):
        outbox.append(message)


class HttpApiBackend:
    """A generic JSON gateway: POST {"phone", "sign", "text"} with a bearer token."""

    def send(self, message):
        import requests

        try:
            response = requests.post(
                settings.SMS_API_URL,
                json={"phone": message.phone, "sign": settings.SMS_SIGN_NAME, "text": message.text},
                headers={"Authorization": f"Bearer {settings.SMS_API_TOKEN}"},
                timeout=10,
            )
            response.raise_for_status()
        except requests.RequestException as exc:
            raise SmsError(f"SMS gateway refused the message to {mask_phone(message.phone)}") from exc


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone, text):
    """Send `text` to the mobile number `phone`; raises SmsError if the provider fails."""
    message = SmsMessage(phone=phone, text=text)
    get_backend().send(message)
    logger.info("SMS sent to %s", mask_phone(phone))
    return message
