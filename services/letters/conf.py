"""The letters' defaults (DOMAIN.md, "Letters to the mailbox"), each overridable in settings."""

from django.conf import settings

# Working days per letter type: `accept` = decision to accept (信访工作条例), counted from
# submission; `reply` = answer, counted from acceptance when `accept` is set, else from
# submission; `extension` = the one extension an official may approve.
DEFAULT_DEADLINES = {
    "consult": {"reply": 5, "extension": 5},
    "suggest": {"reply": 15, "extension": 15},
    "complaint": {"accept": 15, "reply": 60, "extension": 30},
    "help": {"accept": 15, "reply": 60, "extension": 30},
    "report": {"accept": 15, "reply": 60, "extension": 30},
    "other": {"reply": 15, "extension": 15},
}

DEFAULTS = {
    "LETTERS_DEADLINES": DEFAULT_DEADLINES,
    "LETTERS_ANONYMOUS_TYPES": ("consult", "suggest"),
    "LETTERS_DUE_SOON_WORKDAYS": 3,
    "LETTERS_RED_FLAG_MONTHS": 3,
    "LETTERS_REOPEN_WINDOW_DAYS": 30,
    "LETTERS_REOPEN_REPLY_WORKDAYS": 30,
    "LETTERS_TITLE_MAX": 50,
    "LETTERS_CONTENT_MAX": 3000,
    "LETTERS_ATTACHMENT_MAX_COUNT": 3,
    "LETTERS_ATTACHMENT_MAX_BYTES": 5 * 1024 * 1024,
    # Detected from the file's content, never from its name.
    "LETTERS_ATTACHMENT_TYPES": {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"},
    # Failed tracking lookups: per client address and tracking number (so that nobody else can
    # lock a writer out of their letter), and per client address over all numbers.
    "LETTERS_LOOKUP_MAX_FAILURES": 5,
    "LETTERS_LOOKUP_ADDRESS_MAX_FAILURES": 20,
    "LETTERS_LOOKUP_WINDOW_MINUTES": 15,
    # Letters written: (letters, seconds) per client address and per phone number given.
    "LETTERS_WRITE_LIMITS": {"address": (20, 3600), "phone": (5, 24 * 3600)},
    # A tracking-number lookup opens the letter for this long after the last page viewed,
    # and never beyond the browser session.
    "LETTERS_ACCESS_IDLE_MINUTES": 30,
    "LETTERS_GROUP_WINDOW_DAYS": 7,
    "LETTERS_GROUP_THRESHOLD": 5,
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])


def deadlines(letter_type):
    return setting("LETTERS_DEADLINES")[letter_type]
