"""Brute-force protection on django-axes that slows attackers without locking the owner out.

- Lock per account *and* address: after AXES_FAILURE_LIMIT failures of one account from one
  client address, that address may not sign in to that account for ACCOUNTS_LOCKOUT_MINUTES,
  doubled with every further failure of the pair (at most ACCOUNTS_LOCKOUT_MAX_HOURS). The owner
  at another address is not locked; the login form asks everyone for a captcha once the account
  or the address has failed ACCOUNTS_LOGIN_CAPTCHA_AFTER times (forms.LoginForm).
- An address that failed ACCOUNTS_ADDRESS_FAILURE_LIMIT times over all accounts may not try any
  login until its failures expire (one address guessing many accounts).
- Administrators are alerted when a pair is locked, when an address is paused, and when one
  account has failed ACCOUNTS_ALERT_AFTER_FAILURES times from all addresses (alerts.py).

Axes records attempts under a key derived here instead of the typed login, so that no phone
number or e-mail address is stored in its tables or written to its logs, and so that signing
in by phone, e-mail or user name counts against the same account.
"""

import datetime
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q, Sum
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal.pii import mask_phone, pii_hash

from .alerts import alert_administrators
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


def _sum(attempts):
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def live_attempts():
    """Attempt records whose failures still count (axes deletes expired ones only at sign-in)."""
    return AccessAttempt.objects.filter(expiration__expires_at__gt=timezone.now())


def _pair_attempts(request):
    return live_attempts().filter(username=lockout_key(request), ip_address=get_client_ip_address(request))


def cooloff(request=None):
    """AXES_COOLOFF_TIME: how long the request's account+address pair stays locked (and how long a
    failure is remembered), growing with the pair's failures beyond the limit."""
    base = datetime.timedelta(minutes=settings.ACCOUNTS_LOCKOUT_MINUTES)
    longest = datetime.timedelta(hours=settings.ACCOUNTS_LOCKOUT_MAX_HOURS)
    if request is None:
        return base
    beyond = max(_sum(_pair_attempts(request)) - settings.AXES_FAILURE_LIMIT, 0)
    return min(base * 2 ** min(beyond, 16), longest)


def locked_minutes(request):
    """Minutes until the request's pair may try again (at least 1)."""
    until = _pair_attempts(request).aggregate(until=Max("expiration__expires_at"))["until"]
    if until is None:
        return math.ceil(cooloff(request).total_seconds() / 60)
    return max(math.ceil((until - timezone.now()).total_seconds() / 60), 1)


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a page in the portal's look saying why and what to do."""
    return render(request, "accounts/locked_out.html", {"minutes": locked_minutes(request)}, status=429)


def failures(request, login=None):
    """Recent failed attempts from this address, and for this login if given (the larger)."""
    counts = [address_failures(request)]
    if login:
        counts.append(_sum(live_attempts().filter(username=key_for_login(login))))
    return max(counts)


def address_failures(request):
    return _sum(live_attempts().filter(ip_address=get_client_ip_address(request)))


def address_paused(request):
    """True (and administrators alerted) once this address failed too often over all accounts."""
    count = address_failures(request)
    if count < settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT:
        return False
    address = get_client_ip_address(request)
    alert_administrators(
        f"address:{address}",
        _("【安全提醒】地址 %(address)s 多次尝试登录不同账号") % {"address": address},
        _(
            "网络地址 %(address)s 近期登录失败 %(count)s 次，涉及多个账号，疑似批量猜测密码。"
            "该地址已暂停登录，失败记录到期后自动恢复；可在管理后台“登录锁定”中查看。"
        )
        % {"address": address, "count": count},
    )
    return True


def is_locked(request, login):
    return AxesProxyHandler.is_locked(request, {"username": login})


def locked_attempts():
    """Attempts at or above the failure limit, for the staff unlock screen."""
    return live_attempts().filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")


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


def _account_label(key):
    user = users_for_attempts([AccessAttempt(username=key)]).get(key)
    if user is None:
        return _("不存在的账号")
    phone = mask_phone(user.phone)
    return f"{user.get_username()}（{phone}）" if phone else user.get_username()


@receiver(user_locked_out)
def alert_on_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    alert_administrators(
        f"pair:{username}:{ip_address}",
        _("【安全提醒】账号 %(account)s 多次登录失败") % {"account": _account_label(username)},
        _(
            "账号 %(account)s 从网络地址 %(address)s 连续登录失败，已暂停该地址对该账号的登录，"
            "继续失败时暂停时间逐次加倍。账号本人在其他网络登录不受影响（需填写验证码）。"
            "可在管理后台“登录锁定”中查看或解除。"
        )
        % {"account": _account_label(username), "address": ip_address},
    )


@receiver(post_save, sender=AccessAttempt)
def alert_on_many_failures(sender, instance, **kwargs):
    if not instance.username:
        return
    # A record just created gets its expiration only after this signal: count it all the same.
    counted = AccessAttempt.objects.filter(Q(pk=instance.pk) | Q(pk__in=live_attempts().values("pk")))
    totals = counted.filter(username=instance.username).aggregate(
        n=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True)
    )
    if (totals["n"] or 0) < settings.ACCOUNTS_ALERT_AFTER_FAILURES:
        return
    alert_administrators(
        f"account:{instance.username}",
        _("【安全提醒】账号 %(account)s 被多次尝试登录") % {"account": _account_label(instance.username)},
        _(
            "账号 %(account)s 近期登录失败 %(count)s 次，来自 %(addresses)s 个网络地址。"
            "各地址分别计数、分别暂停，账号本人仍可凭验证码登录。如非本人操作，建议联系本人修改密码。"
        )
        % {"account": _account_label(instance.username), "count": totals["n"], "addresses": totals["addresses"]},
    )
