"""Case-query attempt limits, counted in the shared cache (portal.ratelimit)."""

from django.conf import settings

from portal.ratelimit import count_attempt

# (attempts, seconds) per window; CASE_QUERY_RATE_LIMITS in settings overrides these defaults.
# "person" counts one ID number from one address: the tight limit, which strangers elsewhere
# cannot use up to lock the party out; "person_everywhere" counts the ID number from every
# address, a looser ceiling on guessing spread over many addresses.
DEFAULT_LIMITS = {"address": (30, 3600), "person": (10, 3600), "person_everywhere": (50, 3600)}


def limits():
    return {**DEFAULT_LIMITS, **getattr(settings, "CASE_QUERY_RATE_LIMITS", {})}


def allow_attempt(scope, key):
    """Count one attempt for `key` in `scope`; False once the window's allowance is used up."""
    allowed, window = limits()[scope]
    return count_attempt(f"cases:query:{scope}:{key}", window) <= allowed
