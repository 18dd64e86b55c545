"""The page cache in the production topology (issue 15, acceptance 1): nginx with the repository's
configuration (deploy/nginx/portal.conf, Debian's cache-purge module) in front of gunicorn with
the production settings and the shared Redis. A published change reaches the next anonymous
visitor once the task worker has sent nginx its PURGE; a session cookie bypasses nginx's cache;
a page with a form is never kept."""

import re
import urllib.request

import pytest

from home.models import ArticlePage

from .builders import build_portal, publish
from .test_media_topology import collected_static, free_port, running_topology  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cached_topology(tmp_path, collected_static, settings):  # noqa: F811
    purge_url = f"http://127.0.0.1:{free_port()}"
    with running_topology(
        tmp_path, collected_static, int(purge_url.rsplit(":", 1)[1]), PAGE_CACHE_PURGE_URL=purge_url
    ) as url:
        # This process publishes and runs the task worker: it purges the same nginx.
        settings.WAGTAILADMIN_BASE_URL = url
        settings.WAGTAILFRONTENDCACHE = {
            "nginx": {"BACKEND": "portal.page_cache.NginxPurgeBackend", "LOCATION": purge_url}
        }
        yield url


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (a local http URL)
        return response.headers, response.read().decode()


def test_nginx_keeps_anonymous_pages_until_a_publication_purges_them(cached_topology, run_tasks):
    portal = build_portal()
    run_tasks()  # the purges of building the site are sent; what follows is the publication's
    article, column = cached_topology + portal.article.url, cached_topology + portal.policy.url
    fetch(article)
    headers, html = fetch(article)
    assert headers["X-Cache-Status"] == "HIT"
    assert portal.article.title in html

    ArticlePage.objects.filter(pk=portal.article.pk).update(title="未经发布的标题")
    headers, html = fetch(article)
    assert headers["X-Cache-Status"] == "HIT" and "未经发布的标题" not in html
    # A session cookie (signed in, or any visitor with a session) always reaches Django.
    headers, html = fetch(article, cookie="sessionid=not-a-real-session")
    assert headers["X-Cache-Status"] == "BYPASS" and "未经发布的标题" in html

    fetch(column)
    latest = ArticlePage.objects.get(pk=portal.article.pk)
    latest.title = "青山县人民政府关于调整2026年民生实事项目的通知"
    publish(latest)
    run_tasks()  # the task worker sends the PURGEs
    for url in (article, column):
        headers, html = fetch(url)
        assert headers["X-Cache-Status"] != "HIT", url
        assert "关于调整2026年民生实事项目的通知" in html, url
    assert fetch(article)[0]["X-Cache-Status"] == "HIT"


def test_a_page_with_a_form_is_never_kept_by_nginx(cached_topology):
    build_portal()
    tokens = set()
    for _ in range(2):
        headers, html = fetch(cached_topology + "/letters/write/")
        assert headers["X-Cache-Status"] != "HIT"
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert len(tokens) == 2
