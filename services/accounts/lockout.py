"""Brute-force protection on django-axes: lockout per account and per client address.

Axes records attempts under a key we derive here instead of the typed login, so that no phone
number or e-mail address is stored in its tables or written to its logs, and so that signing
in by phone, e-mail or user name counts against the same account.
"""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.shortcuts import render
from wagtail.log_actions import log

from portal.pii import pii_hash

from .phone import normalise_mobile


def find_user(login):
    """The account a login (user name, e-mail or mobile number) names, or None."""
    login = (login or "").strip()
    if not login:
        return None
    User = get_user_model()
    condition = Q(username=login) | Q(email__iexact=login) | Q(emailaddress__email__iexact=login)
    phone = normalise_mobile(login)
    if phone:
        condition |= Q(phone=phone)
    return User.objects.filter(condition).distinct().order_by("pk").first()


def key_for_login(login):
    user = find_user(login)
    if user is not None:
        return f"user:{user.pk}"
    return "login:" + pii_hash((login or "").strip().lower(), purpose="login")[:24]


def lockout_key(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the account key of the login being attempted."""
    credentials = credentials or {}
    login = next((credentials[name] for name in ("username", "email", "phone", "login") if credentials.get(name)), None)
    if login is None:
        data = getattr(request, "POST", {})
        login = data.get("login") or data.get("username")
    if not login:
        return None
    return key_for_login(login)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page in the portal's look saying why and what to do."""
    hours = settings.AXES_COOLOFF_TIME
    minutes = round(float(hours) * 60) if hours else None
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def failures(request, login=None):
    """Recent failed attempts from this address, and for this login if given (the larger)."""
    ip_address = get_client_ip_address(request)
    counts = [AccessAttempt.objects.filter(ip_address=ip_address).aggregate(n=Sum("failures_since_start"))["n"] or 0]
    if login:
        key = key_for_login(login)
        counts.append(AccessAttempt.objects.filter(username=key).aggregate(n=Sum("failures_since_start"))["n"] or 0)
    return max(counts)


def is_locked(request, login):
    return AxesProxyHandler.is_locked(request, {"username": login})


def locked_attempts():
    """Attempts at or above the failure limit, for the staff unlock screen."""
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")


def unlock(attempt, by):
    """Clear the lock of one attempt record, both its account key and its address, and record
    who did it in the admin's log (against the account when it is a known one)."""
    account = users_for_attempts([attempt]).get(attempt.username)
    log(
        instance=account or by,
        action="accounts.unlock",
        user=by,
        data={"ip_address": attempt.ip_address, "failures": attempt.failures_since_start},
    )
    count = reset(username=attempt.username) if attempt.username else 0
    return count + reset(ip=attempt.ip_address)


def users_for_attempts(attempts):
    """{attempt.username: user} for attempts recorded against a known account."""
    ids = {int(a.username.split(":", 1)[1]) for a in attempts if (a.username or "").startswith("user:")}
    return {f"user:{user.pk}": user for user in get_user_model().objects.filter(pk__in=ids)}
