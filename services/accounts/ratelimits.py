"""allauth's rate limits (counted in the shared cache) checked by the forms whose submission
triggers them, so that a refused submission comes back as the form, with what was typed and
when to try again, instead of allauth's bare 429 page (where everything typed is lost)."""

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext

APP = "allauth.account"


def blocked_for(request, action, *, key=None, config=None):
    """(seconds until the limits of `action` let it happen again, the `per` of the limit that
    holds longest: "ip" or "key"); (0, "") when they let it happen now. Counts nothing."""
    now = time.time()
    waits = [(0, "")]
    for rate in allauth_ratelimit.get_rates(app=APP, action=action, config=config):
        cache_key = allauth_ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        _allowed, history = allauth_ratelimit.apply_rate(cache.get(cache_key, []), now, rate, dry_run=True)
        if len(history) >= rate.amount:
            waits.append((history[rate.amount - 1] + rate.duration - now, rate.per))
    return max(waits)


def retry_in(seconds):
    if seconds < 120:
        return gettext("%(count)d秒后") % {"count": math.ceil(seconds)}
    return gettext("%(count)d分钟后") % {"count": math.ceil(seconds / 60)}


def texting_refusal(request, phone):
    """Why allauth's `verify_phone` limits would refuse to text `phone` now, in Chinese with
    when to try again; "" when they would not. allauth checks them only after the form was
    accepted (and then answers 429), so the form asks first."""
    seconds, per = blocked_for(request, "verify_phone", key=phone)
    if not seconds:
        return ""
    if per == "key":
        message = gettext("该手机号码刚收到过短信验证码，为防止骚扰，请在%(when)s重新提交，已填写的内容已保留。")
    else:
        message = gettext("本网络发送短信验证码的次数已达上限，请在%(when)s重新提交，已填写的内容已保留。")
    return message % {"when": retry_in(seconds)}


def signup_refusal(request):
    """Counts one sign-up submission from this address against ACCOUNTS_SIGNUP_RATE_LIMIT (the
    limit allauth would otherwise apply with a bare 429 page, hence "signup": False in
    ACCOUNT_RATE_LIMITS); in Chinese, why it is refused and when to try again, or ""."""
    config = {"signup": settings.ACCOUNTS_SIGNUP_RATE_LIMIT}
    if allauth_ratelimit.consume(request, app=APP, action="signup", config=config) is not None:
        return ""
    seconds, _per = blocked_for(request, "signup", config=config)
    return gettext("本网络提交注册的次数过多，请在%(when)s重新提交，已填写的内容已保留。") % {
        "when": retry_in(max(seconds, 1))
    }
