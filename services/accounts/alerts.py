"""Alerts to the portal's administrators about attacks on sign-in (password guessing against an
account, an address trying many accounts, wrong second-factor codes) and about work waiting for
staff (disputed real-name claims): an e-mail to every active holder of the permission concerned,
at most once an hour per subject of the alert."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

from portal.notifications import notify

logger = logging.getLogger(__name__)

ALERT_INTERVAL = 3600
UNLOCK_ACCOUNT = "accounts.unlock_account"


def administrators(permission=UNLOCK_ACCOUNT):
    """Superusers and holders of `permission` ("app.codename"), active and with an e-mail address."""
    app_label, codename = permission.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__permissions__in=granted) | Q(user_permissions__in=granted))
        .filter(is_active=True)
        .exclude(email="")
        .distinct()
    )


def alert_administrators(key, subject, body, permission=UNLOCK_ACCOUNT):
    """Queue the alert to the holders of `permission` unless one with the same `key` went out
    within the hour; True if queued."""
    if not cache.add(f"accounts:alert:{key}", 1, timeout=ALERT_INTERVAL):
        return False
    logger.warning("security alert: %s", subject)
    for admin in administrators(permission):
        notify(email=admin.email, subject=subject, body=body)
    return True
