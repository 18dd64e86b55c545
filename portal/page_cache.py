"""Full-page cache of the public site for anonymous visitors, and its exact purge.

Two layers keep the same pages: this middleware in the shared cache (`CACHES["pages"]`, Redis in
production), and nginx's `proxy_cache` in front (deploy/nginx/). Django alone decides what may be
kept: a response is stored, and marked for nginx with `X-Accel-Expires`, only when
- the request is a GET without any cookie but the CSRF and display-mode ones (so never for a
  signed-in person or a visitor with a session) and its path is canonical and not under
  PAGE_CACHE_NEVER (admin, accounts, letter tracking, case query…);
- the view is one of PAGE_CACHE_VIEWS (the Wagtail pages and the public service pages);
- the response is a 200 HTML page that set no cookie, used no CSRF token (so a page with a form
  is always rendered afresh), has no CSP nonce and says nothing against caching
  (`no-store`, `private`, `no-cache`: `never_cache` views and every personal page).
The stored response is the one every middleware had finished, so a hit carries the same
security headers (CSP, Permissions-Policy, nosniff…) as a fresh page.

Purging is exact: `purge(paths)` invalidates each path with all its query strings (a new random
generation token per path; entries are stored under the tokens read before rendering, so a page
rendered while a change was being committed is never served afterwards) at once and again when
the transaction commits, then queues Wagtail's frontend-cache invalidation task, which sends
HTTP PURGE to nginx (`PAGE_CACHE_PURGE_URL`) from the task worker. `purge_everything()` is for
changes shown on every page (the navigation, the footer). What a change makes stale is decided by
each app (home.purging, services.letters.purging, services.cases.purging).
"""

import hashlib
import http.client
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote, unquote, urlsplit

from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from wagtail import hooks
from wagtail.contrib.frontend_cache.backends import HTTPBackend

from .context_processors import DISPLAY_MODE_COOKIE

logger = logging.getLogger(__name__)

EVERYTHING = "*"  # the generation that all entries depend on
HIT_HEADER = "X-Page-Cache"
NOT_FOR_BROWSERS = "no-cache"  # browsers revalidate every time: they cannot be purged
FORBIDDING = ("no-store", "private", "no-cache")
NOT_REPLAYED = {"set-cookie", "x-page-cache", "content-length", "date"}


def pages():
    return caches["pages"]


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def canonical_path(path):
    """Whether a (decoded) path is spelt as nginx's `$uri`, its cache key, spells it: no empty,
    "." or ".." segment. Other spellings are never stored, so none can fill another's entry."""
    *segments, last = path.split("/")[1:]
    return all(segment not in ("", ".", "..") for segment in segments) and last not in (".", "..")


def may_use_cache(request):
    """Whether this request may be answered from the cache (and its response stored)."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    allowed_cookies = {settings.CSRF_COOKIE_NAME, DISPLAY_MODE_COOKIE}
    if not set(request.COOKIES) <= allowed_cookies:
        return False
    path = request.path
    return not path.startswith(tuple(settings.PAGE_CACHE_NEVER)) and canonical_path(path)


def path_key(path):
    """The key of a (decoded) path's generation token."""
    return "gen:" + hashlib.sha1(path.encode()).hexdigest()  # noqa: S324 (a key, not a secret)


def entry_key(request, generations):
    variant = "elder" if request.COOKIES.get(DISPLAY_MODE_COOKIE) == "elder" else "standard"
    parts = (request.scheme, request.get_host(), request.get_full_path(), variant, *generations)
    return "page:" + hashlib.sha1("\n".join(parts).encode()).hexdigest()  # noqa: S324


def new_token():
    return secrets.token_hex(8)


@dataclass
class Entry:
    status: int
    headers: list
    content: bytes

    @property
    def etag(self):
        return dict(self.headers).get("ETag")

    def response(self, request):
        response = HttpResponse(b"" if request.method == "HEAD" else self.content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        response[HIT_HEADER] = "hit"
        conditional = get_conditional_response(request, etag=self.etag, response=response)
        return conditional or response


def storable(request, response):
    """Whether a response of a view on PAGE_CACHE_VIEWS is the same for every anonymous visitor."""
    match = request.resolver_match
    if match is None or match.view_name not in settings.PAGE_CACHE_VIEWS:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if any(word in response.get("Cache-Control", "") for word in FORBIDDING) or response.get("Vary") == "*":
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
        return False
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    return not (user is not None and user.is_authenticated) and not (session is not None and session.modified)


class PageCacheMiddleware:
    """First in MIDDLEWARE: a hit is answered before anything else runs, with the headers the
    other middleware gave the page when it was rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_use_cache(request):
            return self.get_response(request)
        tokens = pages().get_many([path_key(EVERYTHING), path_key(request.path)])
        generations = (tokens.get(path_key(EVERYTHING)), tokens.get(path_key(request.path)))
        if None not in generations:
            entry = pages().get(entry_key(request, generations))
            if entry is not None:
                return entry.response(request)
        response = self.get_response(request)
        if request.method == "GET" and storable(request, response):
            self.store(request, response, generations)
        return response

    def store(self, request, response, generations):
        generations = settle_generations(request.path, generations)
        if generations is None:
            return
        response.headers.setdefault("Cache-Control", NOT_FOR_BROWSERS)
        response["ETag"] = f'"{hashlib.sha1(response.content).hexdigest()}"'  # noqa: S324
        # nginx keeps it as long (its cache key has no query string: it skips those requests).
        response["X-Accel-Expires"] = str(settings.PAGE_CACHE_SECONDS)
        headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_REPLAYED]
        entry = Entry(response.status_code, headers, response.content)
        pages().set(entry_key(request, generations), entry, settings.PAGE_CACHE_SECONDS)
        response[HIT_HEADER] = "miss"


def settle_generations(path, generations):
    """The generation tokens to store under: those read before rendering. A missing one is
    created now, unless a purge created it in the meantime (then the page may be stale: not
    stored)."""
    settled = []
    for name, token in zip((EVERYTHING, path), generations, strict=True):
        if token is None:
            token = new_token()
            if not pages().add(path_key(name), token, generation_seconds()):
                return None
        settled.append(token)
    return tuple(settled)


def generation_seconds():
    # Outlives the entries stored under it; a lost token only makes entries unreachable.
    return 2 * settings.PAGE_CACHE_SECONDS


# --- Purging ----------------------------------------------------------------------------------


def invalidate(paths):
    """Every cached variant (query strings, display modes) of each path, at once."""
    if enabled() and paths:
        pages().set_many({path_key(path): new_token() for path in paths}, generation_seconds())


def decoded_path(url):
    """The path of a URL or path as Django's `request.path` has it (Wagtail's page URLs are
    percent-encoded)."""
    return unquote(urlsplit(url).path)


_pending = Local()


def purge(paths, proxy_paths=None):
    """Invalidate `paths` in this app's cache now and once the transaction commits, and have the
    task worker send PURGE for `proxy_paths` (default: the same) to nginx after the commit.
    Purges within one transaction are sent together when it commits."""
    paths = {decoded_path(path) for path in paths}
    proxy_paths = paths if proxy_paths is None else {decoded_path(path) for path in proxy_paths}
    invalidate(paths)
    if not hasattr(_pending, "paths"):
        _pending.paths, _pending.proxy_paths = set(), set()
    _pending.paths.update(paths)
    _pending.proxy_paths.update(proxy_paths)
    transaction.on_commit(_send_pending)


def _send_pending():
    """The purges of the transaction that committed (and of any rolled back before it, which
    only purges a little more). Each purge registers this; the first call after a commit sends."""
    paths = getattr(_pending, "paths", None)
    if not paths:
        return
    proxy_paths = _pending.proxy_paths
    del _pending.paths, _pending.proxy_paths
    invalidate(paths)
    purge_proxy(proxy_paths)


def purge_everything():
    """A change every page shows (the navigation, the footer): all of this app's cache at once,
    and at nginx every address it may hold, as the apps list them (hook
    `page_cache_public_paths`: a callable returning paths)."""
    proxy_paths = set()
    if proxy_configured():
        for public_paths in hooks.get_hooks("page_cache_public_paths"):
            proxy_paths.update(public_paths())
    purge({EVERYTHING}, proxy_paths)


def proxy_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_proxy(paths):
    """Queue Wagtail's frontend-cache invalidation for the paths (nothing without a proxy), and
    once more a little later for a page that was being rendered while the change committed."""
    if not paths or not proxy_configured():
        return
    from django_tasks import default_task_backend
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    origin = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    urls = sorted(origin + quote(path) for path in paths if path != EVERYTHING)
    purge_urls_from_cache_task.enqueue(urls)
    if default_task_backend.supports_defer:
        later = timezone.now() + timedelta(seconds=settings.PAGE_CACHE_REPURGE_SECONDS)
        purge_urls_from_cache_task.using(run_after=later).enqueue(urls)


class NginxPurgeBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend over one kept-alive connection per batch: purging every page
    of the site is thousands of requests."""

    def purge_batch(self, urls):
        connection = None
        try:
            for url in urls:
                connection = connection or http.client.HTTPConnection(self.cache_netloc, timeout=10)
                parts = urlsplit(url)
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                try:
                    connection.request("PURGE", path, headers={"Host": parts.netloc})
                    connection.getresponse().read()
                except (OSError, http.client.HTTPException) as error:
                    logger.error("Couldn't purge '%s' from the page cache: %s", url, error)
                    connection.close()
                    connection = None
        finally:
            if connection is not None:
                connection.close()
