"""Alerts to the portal's administrators about attacks on sign-in (password guessing against an
account, an address trying many accounts, wrong second-factor codes): an e-mail to every active
administrator with an address, at most once an hour per subject of the alert."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

from portal.notifications import notify

logger = logging.getLogger(__name__)

ALERT_INTERVAL = 3600
UNLOCK_ACCOUNT = ("accounts", "unlock_account")


def administrators():
    """Superusers and holders of 解除账号登录锁定, active and with an e-mail address."""
    permission = Permission.objects.filter(content_type__app_label=UNLOCK_ACCOUNT[0], codename=UNLOCK_ACCOUNT[1])
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
        )
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
    )


def alert_administrators(key, subject, body):
    """Queue the alert unless one with the same `key` went out within the hour; True if queued."""
    if not cache.add(f"accounts:alert:{key}", 1, timeout=ALERT_INTERVAL):
        return False
    logger.warning("sign-in alert: %s", subject)
    for admin in administrators():
        notify(email=admin.email, subject=subject, body=body)
    return True
