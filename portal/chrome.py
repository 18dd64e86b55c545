"""What every public page carries around its content: the site's name, the main navigation and the
footer (site settings, identity pages, 政务新媒体 QR codes, the online services). Building them
costs about ten queries and the footer's image renditions on every page, signed-in or not, so
they are kept in the page cache's store (`CACHES["pages"]`, shared by all app servers) under the
site-wide generation token of `portal.page_cache`. Every change they show already purges
everything (home.purging: top-level pages, identity pages, site settings, 政务新媒体 accounts,
sites, each deployment's `migrate`), which gives them a new token; the token is read before the
parts are built, so parts built while a change was committing are stored under the old token and
never served. Without a page cache (PAGE_CACHE_SECONDS = 0) nothing is kept."""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Site

from . import page_cache


@dataclass(frozen=True)
class NavItem:
    """A page of the main navigation, as the templates use it."""

    pk: int
    path: str
    title: str
    url: str


def chrome_key(request):
    """The key prefix of this request's site chrome, or None when it may not be kept. Read once
    per request, before anything is built."""
    if not hasattr(request, "_chrome_key"):
        request._chrome_key = _current_key(request)
    return request._chrome_key


def _current_key(request):
    if not page_cache.enabled():
        return None
    store, name = page_cache.pages(), page_cache.path_key(page_cache.EVERYTHING)
    token = store.get(name)
    if token is None:
        token = page_cache.new_token()
        if not store.add(name, token, page_cache.generation_seconds()):
            return None  # a purge made one meanwhile: build afresh, keep nothing
    parts = (request.get_host(), get_language() or "", token)
    return "chrome:" + hashlib.sha1("\n".join(parts).encode()).hexdigest()  # noqa: S324 (a key)


def kept(request, part, build):
    """`part` of the chrome from the store, or built by `build()` (and kept when allowed)."""
    key = chrome_key(request) if request is not None else None
    if key is None:
        return build()
    value = page_cache.pages().get(f"{key}:{part}")
    if value is None:
        value = build()
        page_cache.pages().set(f"{key}:{part}", value, settings.PAGE_CACHE_SECONDS)
    return value


def site_parts(request):
    """{"name": the home page's title, "nav": the main navigation} of the request's site."""
    return kept(request, "site", lambda: _build_site_parts(request))


def _build_site_parts(request):
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {"name": "", "nav": []}
    root = site.root_page
    nav = [
        NavItem(item.pk, item.path, item.title, item.get_url(request)) for item in root.get_children().live().in_menu()
    ]
    return {"name": root.title, "nav": nav}
