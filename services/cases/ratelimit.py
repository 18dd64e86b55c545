"""Attempt counters in Django's cache (shared between app servers through CACHE_URL)."""

from django.conf import settings
from django.core.cache import cache

# (attempts, seconds) per window; CASE_QUERY_RATE_LIMITS in settings overrides these defaults.
DEFAULT_LIMITS = {"address": (30, 3600), "person": (10, 3600)}


def limits():
    return {**DEFAULT_LIMITS, **getattr(settings, "CASE_QUERY_RATE_LIMITS", {})}


def allow_attempt(scope, key):
    """Count one attempt for `key` in `scope`; False once the window's allowance is used up."""
    allowed, window = limits()[scope]
    cache_key = f"cases:query:{scope}:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        attempts = 1
    return attempts <= allowed
