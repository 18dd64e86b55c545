"""Validators shared by the models of every app."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

LINK_MESSAGE = _("请填写以 http:// 或 https:// 开头的网址，或以 / 开头的站内地址（例如 /letters/）。")

_web_url = URLValidator(schemes=["http", "https"], message=LINK_MESSAGE)


def validate_link(value):
    """A link the site puts in an href: an http(s) URL or a path on this site. Refuses javascript:,
    data: and every other scheme, and "//host" or "/\\host", which browsers read as another site."""
    if value.startswith("/") and value[1:2] not in ("/", "\\"):
        return
    if value.startswith("/"):
        raise ValidationError(LINK_MESSAGE, code="invalid")
    _web_url(value)
