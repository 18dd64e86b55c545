"""Mainland mobile numbers as the accounts store them: 11 digits, no country code."""

import re

from django import forms
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
