"""Validators shared by the models of every app."""

import unicodedata

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


# Characters that change how the text around them is displayed without being seen: the bidi
# overrides and isolates (「‮」 turns 「举报某局」 around on the public list), zero-width
# and other format characters, and control characters other than line breaks and tabs.
_INVISIBLE_ALLOWED = {"\n", "\r", "\t"}


def _refuse_invisible(value, allowed, message):
    for character in value:
        if character not in allowed and unicodedata.category(character) in ("Cc", "Cf"):
            raise ValidationError(message, code="invisible")


def validate_visible_text(value):
    """Refuses text carrying invisible formatting or control characters (pasted from other
    documents or put there to disguise what a public page shows)."""
    message = _("填写的内容含有不可见的控制字符（如从其他文档复制带入的格式符号），请删除后重新填写。")
    _refuse_invisible(value, _INVISIBLE_ALLOWED, message)


def validate_one_line(value):
    """A one-line entry (a name): no line breaks or tabs, and no invisible characters either, so
    that what is typed is what a desk reads, a list shows and a calendar file carries."""
    _refuse_invisible(value, (), _("此处只能填写一行可见的文字，不能含有换行或不可见的控制字符，请删除后重新填写。"))
