"""Limits on the public letter doors (tracking lookups, writing), counted in the cache shared
by every app server (portal.ratelimit). Keys are digests: no address, phone or typed
tracking number is kept in clear."""

import hashlib

from django.utils.translation import gettext as _

from portal.pii import pii_hash
from portal.ratelimit import attempts, count_attempt

from . import conf


def _lookup_counters(address, tracking_no):
    """(name, allowed) of the failure counters a lookup from `address` for `tracking_no` falls under:
    never one per tracking number alone, which would let anyone lock the writer out."""
    where = pii_hash(address, purpose="address")
    number = hashlib.sha256(tracking_no.encode()).hexdigest()
    return [
        (f"letters:lookup:{where}:{number}", conf.setting("LETTERS_LOOKUP_MAX_FAILURES")),
        (f"letters:lookup:{where}", conf.setting("LETTERS_LOOKUP_ADDRESS_MAX_FAILURES")),
    ]


def lookup_blocked(address, tracking_no):
    return any(attempts(name) >= allowed for name, allowed in _lookup_counters(address, tracking_no))


def lookup_failed(address, tracking_no):
    window = conf.setting("LETTERS_LOOKUP_WINDOW_MINUTES") * 60
    for name, _allowed in _lookup_counters(address, tracking_no):
        count_attempt(name, window)


def writing_refused(address, phone):
    """Count one letter written from `address` with `phone`, the writer's verified mobile number
    or "" (a number merely typed into the form is neither counted nor limited, or anyone could
    stop its owner from writing); the reason in Chinese when a limit is used up (the letter must
    then not be saved), else an empty string."""
    limits = conf.setting("LETTERS_WRITE_LIMITS")
    allowed, window = limits["address"]
    if count_attempt(f"letters:write:address:{pii_hash(address, purpose='address')}", window) > allowed:
        return _("写信过于频繁，请稍后再试。")
    if phone:
        allowed, window = limits["phone"]
        if count_attempt(f"letters:write:phone:{pii_hash(phone, purpose='phone')}", window) > allowed:
            return _("该手机号码来信次数已达上限，请稍后再试。")
    return ""


def reissue_refused(address, tracking_no):
    """Count one request to text a lost query password again; the reason in Chinese when a limit
    is used up, else an empty string. The limit per letter keeps anyone from flooding the
    writer's phone; the one per address, from trying many letters."""
    day = 24 * 3600
    number = hashlib.sha256(tracking_no.encode()).hexdigest()
    where = pii_hash(address, purpose="address")
    if count_attempt(f"letters:reissue:{number}", day) > conf.setting("LETTERS_REISSUE_PER_LETTER"):
        return _("这封信今天重新发送查询密码的次数已用完，请明天再试，或致电信箱管理部门。")
    if count_attempt(f"letters:reissue:address:{where}", day) > conf.setting("LETTERS_REISSUE_PER_ADDRESS"):
        return _("今天重新发送查询密码的次数已用完，请明天再试，或致电信箱管理部门。")
    return ""
