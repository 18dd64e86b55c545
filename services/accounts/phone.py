"""Mainland mobile numbers as the accounts store them: 11 digits, no country code."""

import math
import re
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from django import forms
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.pii import validate_mobile

_PREFIX = re.compile(r"^(?:\+?86)")


def normalise_mobile(value):
    """'+86 138-0013-8000' -> '13800138000'; '' for anything that is not a mobile number."""
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith(("+86", "86")) and len(digits) > 11:
        digits = _PREFIX.sub("", digits)
    try:
        return validate_mobile(digits)
    except forms.ValidationError:
        return ""


class MobileField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        number = normalise_mobile(value)
        if not number:
            validate_mobile(value)
        return number


def texting_refusal(request, phone):
    """Why allauth's `verify_phone` limits (ACCOUNT_RATE_LIMITS, counted in the shared cache)
    would refuse to text `phone` now, in Chinese with when to try again; "" when they would not.
    Read without counting, so that a form can say so and be shown again with what was typed
    instead of allauth answering a bare 429 page after the form was accepted."""
    now = time.time()
    waits = []
    for rate in allauth_ratelimit.get_rates(app="allauth.account", action="verify_phone"):
        key = allauth_ratelimit.get_cache_key(
            request, app="allauth.account", action="verify_phone", rate=rate, key=phone
        )
        _allowed, history = allauth_ratelimit.apply_rate(cache.get(key, []), now, rate, dry_run=True)
        if len(history) >= rate.amount:
            waits.append((history[rate.amount - 1] + rate.duration - now, rate.per))
    if not waits:
        return ""
    seconds, per = max(waits)
    if seconds < 120:
        when = gettext("%(count)d秒后") % {"count": math.ceil(seconds)}
    else:
        when = gettext("%(count)d分钟后") % {"count": math.ceil(seconds / 60)}
    if per == "key":
        return gettext("该手机号码刚收到过短信验证码，为防止骚扰，请在%(when)s重新提交，已填写的内容已保留。") % {
            "when": when
        }
    return gettext("本网络发送短信验证码的次数已达上限，请在%(when)s重新提交，已填写的内容已保留。") % {"when": when}
