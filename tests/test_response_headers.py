"""Response headers over every public URL pattern (issue 11, findings 11 and 15, acceptance 3).

The patterns are read from the URL resolver, so pages added later are covered without touching
this file: path() routes get sample arguments from their converters; a regex route with groups
needs an entry in SAMPLES (the test says so). For each URL, as an anonymous visitor, a signed-in
citizen and a visitor half-way through signing in:
- a Content-Security-Policy without 'unsafe-inline' or 'unsafe-eval' for scripts, and the
  HTML it serves needs neither (no inline script, event-handler attribute, javascript: URL or
  inline style), and a Permissions-Policy;
- `Cache-Control: no-store` on every response that can show personal data: everything a
  signed-in person or a visitor with a session (a sign-in in progress, a letter they may read)
  is shown.
"""

import re

import pytest
from captcha.models import CaptchaStore
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .accounts_builders import sign_up
from .builders import enable_totp, make_superuser

pytestmark = pytest.mark.django_db

# Sample arguments for regex routes with groups (path() routes are filled from their converters).
SAMPLES = {
    "account_confirm_email": lambda: {"key": "unknown-key"},
    "captcha-image": lambda: {"key": CaptchaStore.generate_key()},
    "captcha-image-2x": lambda: {"key": CaptchaStore.generate_key()},
    "captcha-audio": lambda: {"key": CaptchaStore.generate_key()},
    "wagtaildocs_serve": lambda: ("999", "missing.pdf"),
}
CONVERTER_SAMPLES = {
    "int": "999",
    "string": "unknown",
    "slug": "unknown",
    "path": "unknown",
    "trackingnumber": "202611300000001",
}
ADMIN = "admin/"


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern, f"{namespace}{pattern.name}" if pattern.name else None


def sample_url(route, pattern, name):
    """A URL for the pattern: its sample, or its converters filled in."""
    if name in SAMPLES:
        sample = SAMPLES[name]()
        return reverse(name, args=sample) if isinstance(sample, tuple) else reverse(name, kwargs=sample)
    if pattern.pattern.regex.groups:
        converters = getattr(pattern.pattern, "converters", {})
        if not converters:
            pytest.fail(f"URL pattern {name or route!r} takes arguments: add a sample to SAMPLES")
        kwargs = {}
        for key, converter in converters.items():
            kind = type(converter).__name__.removesuffix("Converter").lower()
            kwargs[key] = CONVERTER_SAMPLES.get(kind) or pytest.fail(f"no sample for converter {kind}")
        return reverse(name, kwargs=kwargs)
    return "/" + route.replace("^", "").replace("$", "")


def public_urls(portal):
    urls = {"/", portal.news.url, portal.article.url, portal.guide.url}
    for route, pattern, name in walk(get_resolver().url_patterns):
        if route.startswith(ADMIN):
            continue
        if name == "wagtail_serve":
            continue  # the pages themselves are listed above
        urls.add(sample_url(route, pattern, name))
    return sorted(urls)


def directives(header):
    policy = {}
    for part in header.split(";"):
        name, *values = part.split()
        policy[name] = values
    return policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=|<style[\s>]", re.I)


def check_public_policy(url, response):
    assert "Permissions-Policy" in response, url
    policy = directives(response["Content-Security-Policy"])
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, url
    assert "'unsafe-inline'" not in policy.get("style-src", policy["default-src"]), url
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"], url
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
        assert not EVENT_HANDLER.search(html), (url, EVENT_HANDLER.search(html).group(0))
        assert not INLINE_STYLE.search(html), (url, INLINE_STYLE.search(html).group(0))
        assert "javascript:" not in html.lower(), url


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


def test_every_public_url_has_a_strict_policy_and_personal_pages_are_not_stored(portal):
    urls = public_urls(portal)
    assert len(urls) > 50

    anonymous = Client()
    citizen = Client(REMOTE_ADDR="192.0.2.30")
    sign_up(citizen, "13912345678")
    half_signed_in = Client(REMOTE_ADDR="192.0.2.31")
    staff = make_superuser()
    enable_totp(staff)
    half_signed_in.post("/accounts/login/", {"login": staff.username, "password": staff.raw_password})

    for url in urls:
        response = anonymous.get(url)
        check_public_policy(url, response)
        for visitor in (citizen, half_signed_in):
            response = visitor.get(url)
            check_public_policy(url, response)
            assert no_store(response), (url, response.status_code, response.get("Cache-Control"))


def test_public_pages_without_a_session_stay_cacheable(portal):
    """no-store is for personal pages only: the public site can still be cached."""
    for url in ("/", portal.article.url, "/letters/", "/cases/documents/"):
        response = Client().get(url)
        assert response.status_code == 200 and not no_store(response), url


def test_the_case_query_answer_is_not_stored_even_without_a_session(client):
    assert no_store(client.post("/cases/query/", {"case_number": "x"}))


def test_the_admin_gets_its_own_policy_and_public_pages_never_do(client, portal):
    from .builders import login_staff

    login_staff(client, make_superuser())
    admin = directives(client.get("/admin/")["Content-Security-Policy"])
    assert "'unsafe-inline'" in admin["script-src"] and admin["frame-src"] == ["'self'"]
    public = directives(client.get(portal.article.url)["Content-Security-Policy"])
    assert public["script-src"] == ["'self'"]
