"""Attempt counters in Django's cache, shared by every app server through CACHE_URL (production
refuses a per-process cache, see portal.checks). Keys name what is counted; values expire with
their window."""

from django.core.cache import cache


def count_attempt(key, window):
    """Count one attempt under `key` in a window of `window` seconds; return the count so far."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def attempts(key):
    return cache.get(key, 0)


def forget(key):
    cache.delete(key)
