"""The staff second factor (allauth MFA, TOTP): who needs it, its secrets encrypted at rest, and
the limit on wrong codes.

- Staff are users who may open the admin or hold any permission beyond the public roles'
  (citizen, lawyer); they must have used their second factor in this session before any page
  other than those that set it up or sign out (services.accounts.middleware).
- Authenticator secrets (TOTP secret, recovery-code seed) are encrypted with Fernet under
  TOTP_ENCRYPTION_KEY, which comes from the environment and never sits in the database.
- After MFA_CODE_FAILURE_LIMIT wrong codes for one account, code entry for that account pauses
  for MFA_CODE_LOCK_MINUTES (doubling with each pause that day), whichever session or server the
  codes come from (the count lives in the shared cache), and administrators are alerted: whoever
  types the codes knows the password.
"""

import base64
import functools
import hashlib

from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.pii import mask_phone
from portal.ratelimit import attempts, count_attempt, forget
from portal.roles import ROLES

from .alerts import alert_administrators

FERNET_PREFIX = "gAAAA"  # every Fernet token starts so (version byte 0x80, then a timestamp)


@functools.cache
def public_role_permissions():
    return frozenset(permission for role in ROLES if not role.is_staff for permission in role.permissions)


def needs_second_factor(user):
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if not user.is_active:
        return False  # holds no permission (ModelBackend)
    # Asked on every signed-in request: one EXISTS instead of reading both permission sets.
    public = Q()
    for permission in public_role_permissions():
        app_label, codename = permission.split(".", 1)
        public |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(Q(user=user) | Q(group__user=user)).exclude(public).exists()


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_second_factor(request):
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


# --- Secrets at rest --------------------------------------------------------------------------


def _fernet(key):
    digest = hashlib.sha256(b"portal-mfa-secret:" + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _box():
    keys = settings.TOTP_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("TOTP_ENCRYPTION_KEY must be set to store authenticator secrets.")
    return MultiFernet([_fernet(key) for key in keys])


def seal(text):
    return _box().encrypt(text.encode()).decode()


def unseal(token):
    try:
        return _box().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An authenticator secret cannot be decrypted with TOTP_ENCRYPTION_KEY: was the key replaced "
            "without keeping the old one after a comma?"
        ) from error


def is_sealed(value):
    return isinstance(value, str) and value.startswith(FERNET_PREFIX)


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text):
        return seal(text)

    def decrypt(self, encrypted_text):
        return unseal(encrypted_text)


# --- Wrong codes ---------------------------------------------------------------------------------


def _failures_key(user):
    return f"accounts:mfa-failures:{user.pk}"


def code_entry_paused(user):
    return attempts(_failures_key(user)) >= settings.MFA_CODE_FAILURE_LIMIT


def record_wrong_code(user):
    """Count a wrong code for `user`; at the limit, pause code entry (for twice as long as the
    previous pause within a day) and alert administrators. True once paused."""
    failures = count_attempt(_failures_key(user), settings.MFA_CODE_LOCK_MINUTES * 60)
    if failures < settings.MFA_CODE_FAILURE_LIMIT:
        return False
    pauses = count_attempt(f"accounts:mfa-pauses:{user.pk}", 24 * 3600)
    minutes = min(settings.MFA_CODE_LOCK_MINUTES * 2 ** (pauses - 1), 24 * 60)
    cache.touch(_failures_key(user), minutes * 60)
    name = user.get_username()
    alert_administrators(
        f"mfa:{user.pk}",
        _("【安全提醒】账号 %(name)s 的动态码多次输入错误") % {"name": name},
        _(
            "账号 %(name)s（手机 %(phone)s）在输入正确密码后，连续 %(count)s 次输入了错误的身份验证器动态码，"
            "该账号的动态码验证已暂停 %(minutes)s 分钟。\n\n"
            "输入动态码的人已经知道该账号的密码。如非本人操作，请立即联系账号本人修改密码，"
            "并在管理后台检查该账号近期的操作记录。"
        )
        % {
            "name": name,
            "phone": mask_phone(user.phone) or "-",
            "count": failures,
            "minutes": minutes,
        },
    )
    return True


def forget_wrong_codes(user):
    """A right code clears the count (not the pause history of the day)."""
    forget(_failures_key(user))
