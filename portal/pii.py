"""Personal data helpers used by every app (个人信息保护法): masking for display,
validation of resident ID numbers, and keyed hashes for matching without storing values.

Mask on every screen that does not need the full value: phone 138****1234, ID number
first 2 and last 3 characters, addresses down to the township.
"""

import hashlib
import hmac
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")
# Everything after the township-level unit is dropped from a displayed address.
_TOWNSHIP_PATTERN = re.compile(r"^(.*?(?:镇|乡|街道|苏木))")


def normalise_id_number(value):
    return (value or "").strip().upper()


def id_number_check_char(first17):
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def validate_id_number(value):
    """Validate an 18-character resident ID number (GB 11643), raising Chinese messages."""
    number = normalise_id_number(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号应为18位。"), code="id_length")
    if not _ID_PATTERN.match(number):
        raise ValidationError(_("身份证号格式不正确：前17位应为数字，最后一位为数字或X。"), code="id_format")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位不正确，请核对后重新输入。"), code="id_checksum")
    return number


def validate_mobile(value):
    number = (value or "").strip()
    if not _MOBILE_PATTERN.match(number):
        raise ValidationError(_("请输入正确的11位手机号码。"), code="mobile")
    return number


def mask_phone(value):
    """138****1234; other lengths keep only the last 4 digits."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 11:
        return f"{value[:3]}****{value[-4:]}"
    return "*" * max(len(value) - 4, 0) + value[-4:]


def mask_id_number(value):
    """First 2 and last 3 characters only: 11*************12X."""
    value = normalise_id_number(value)
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 5) + value[-3:]


def mask_address(value):
    """Keep the address down to the township (镇/乡/街道) and hide the rest."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _TOWNSHIP_PATTERN.match(value)
    if match:
        return match.group(1) + "****"
    return value[:6] + "****" if len(value) > 6 else "****"


def mask_name(value):
    """Surname plus 某 (used when names must not appear on public pages)."""
    value = (value or "").strip()
    return f"{value[0]}某" if value else ""


def pii_hash(value, purpose="id"):
    """Keyed hash (HMAC-SHA256 with PII_HASH_KEY, separate from SECRET_KEY) for matching
    an ID number or phone without storing it in clear."""
    key = settings.PII_HASH_KEY.encode()
    message = f"{purpose}:{normalise_id_number(value) if purpose == 'id' else (value or '').strip()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
