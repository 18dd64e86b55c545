"""Highlighted snippets that nothing in a text can turn into markup.

Elasticsearch marks matches with two private-use characters (which indexed text never
contains, see site_index.clean_text); the fragment is HTML-escaped, and only then are the
two characters turned into <mark>. The database fallback marks its matches the same way.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

MARK_START, MARK_END = "\ue000", "\ue001"
FRAGMENT_SIZE = 80


def marked(fragment):
    """A text fragment with MARK_START/MARK_END around matches → safe HTML with <mark>."""
    return mark_safe(escape(fragment).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


def highlight_options():
    return {"pre_tags": [MARK_START], "post_tags": [MARK_END], "encoder": "default"}


def mark_words(text, words):
    """`text` with every occurrence of any of `words` marked (for the database fallback)."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return text
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    return pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", text)


def database_snippet(text, words, size=FRAGMENT_SIZE):
    """The stretch of `text` around the first of `words`, marked, as safe HTML."""
    words = [w for w in words if w]
    first = None
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
        first = pattern.search(text)
    start = max(0, first.start() - size // 3) if first else 0
    fragment = text[start : start + size]
    prefix = "…" if start else ""
    suffix = "…" if start + size < len(text) else ""
    return marked(prefix + mark_words(fragment, words) + suffix)
