"""Navigation without dead ends: a crawl of the seeded demo site, served by gunicorn under the
production settings, from the home page over every internal link two levels deep. Every link
answers 200 or is an intended redirect (sign-in, the display-mode switch); no page promises
what does not exist (即将上线) or says 暂无信息 for a column that has sub-columns or services,
and no page shows a name the anonymisation replaces.

Links are followed from <a href>; images (<img src>) are served by whatever serves /media/
in the documented topology and are checked where media serving is tested."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from wagtail.models import Page

from home.models import ColumnPage
from services.cases.demo import ROLE_WORD_NAMES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parent.parent
DEPTH = 2
# Redirects the site means to give: to the sign-in page (services that need an account) and
# back from the display-mode switch (长辈版/标准版) to the page it was chosen on.
SIGN_IN = "/accounts/login/"
MODE_SWITCH = "/display-mode/"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal_links(html, page_url):
    parser = Links()
    parser.feed(html)
    links = set()
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        parts = urlsplit(urljoin(f"http://portal.test{page_url}", href))
        if parts.netloc != "portal.test":
            continue
        links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(static_root):
    database = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": settings.SECRET_KEY,
        "PII_HASH_KEY": settings.PII_HASH_KEY,
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "SEARCH_INDEX_PREFIX": settings.SEARCH_INDEX_PREFIX,
        "TASKS_BACKEND": "database",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
        "LETTERS_PRIVATE_ROOT": str(settings.LETTERS_PRIVATE_ROOT),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
        # What the production start-up checks require; a crawl sends no mail or text messages.
        "CACHE_URL": settings.CACHE_URL,
        "TOTP_ENCRYPTION_KEY": ",".join(settings.TOTP_ENCRYPTION_KEYS),
        "WAGTAILADMIN_BASE_URL": "https://crawl.example.gov.cn",
        "ALLOW_LOCAL_MESSAGE_BACKENDS": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "SMS_BACKEND": "portal.sms.LocmemBackend",
    }


@pytest.fixture
def production_server(tmp_path):
    """gunicorn with portal.settings.production on the test database, after collectstatic
    (the manifest storage refuses to render a page whose static file was not collected)."""
    env = production_environment(tmp_path / "static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text()[-3000:])
            time.sleep(0.5)
        yield port
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        log.close()


class Crawler:
    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, url):
        try:
            self.conn.request("GET", url, headers={"Host": "127.0.0.1"})
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.conn.request("GET", url, headers={"Host": "127.0.0.1"})
            response = self.conn.getresponse()
        body = response.read()
        return response.status, response.getheader("Location"), response.getheader("Content-Type") or "", body

    def crawl(self, start="/", depth=DEPTH):
        """{url: (status, location, content type, body)} of every page reached within `depth` clicks."""
        answers, level = {}, {start}
        for step in range(depth + 1):
            found = set()
            for url in sorted(level - answers.keys()):
                answers[url] = answer = self.get(url)
                status, _location, content_type, body = answer
                if step < depth and status == 200 and content_type.startswith("text/html"):
                    found |= internal_links(body.decode(), url)
            level = found
        return answers


def is_intended_redirect(url, location):
    target = urlsplit(location or "")
    return target.netloc in ("", "127.0.0.1") and (
        target.path == SIGN_IN or (url.startswith(MODE_SWITCH) and target.path.startswith("/"))
    )


def column_lists_something(path):
    """Whether the Wagtail column at `path` has sub-pages or online services to show."""
    page = Page.objects.filter(url_path=f"/home{path}").first()
    column = ColumnPage.objects.filter(pk=page.pk).first() if page else None
    if column is None:
        return True  # not a column: 暂无信息 there means a block that should not be empty
    return column.get_children().live().exists() or bool(column.services())


def build_public_indices():
    """The indices public pages read (site search, letters, legal documents), built from the
    database by the operators' rebuild commands, in bulk. The demo's queued tasks write the
    same entries one at a time, queued among some 1,250 others for what no public page reads
    (Wagtail's reference and admin indices, reviewers' notices): running them all took nearly
    all of this test's time, the crawl itself a few seconds."""
    for command, *options in (("update_index", "--site-only"), ("letters_index", "--rebuild"), ("reindex_cases",)):
        call_command(command, *options, stdout=StringIO())


def test_every_link_of_the_demo_site_two_clicks_deep_answers_under_production_settings(
    production_server, clean_search_indices, demo_site
):
    build_public_indices()
    crawler = Crawler(production_server)
    started = time.monotonic()
    answers = crawler.crawl()
    elapsed = time.monotonic() - started

    broken, redirects, promises, empty, names = [], [], [], [], []
    for url, (status, location, content_type, body) in sorted(answers.items()):
        if status in (301, 302, 303, 307, 308):
            if not is_intended_redirect(url, location):
                broken.append(f"{status} {url} → {location}")
                continue
            redirects.append(url)
            target_status = crawler.get(location)[0]
            if target_status != 200:
                broken.append(f"{url} → {location} answers {target_status}")
            continue
        if status != 200:
            broken.append(f"{status} {url}")
            continue
        if not content_type.startswith("text/html"):
            continue
        text = body.decode()
        if "即将上线" in text:
            promises.append(url)
        if "暂无信息" in text and column_lists_something(urlsplit(url).path):
            empty.append(url)
        names += [f"{name} on {url}" for name in ROLE_WORD_NAMES if name in text]

    summary = f"{len(answers)} URLs crawled in {elapsed:.0f} s, {len(redirects)} intended redirects"
    assert not broken, summary + "\n" + "\n".join(broken)
    assert not promises, f"即将上线 on: {promises}"
    assert not empty, f"暂无信息 on columns that list sub-pages or services: {empty}"
    assert not names, names
    # The crawl reached the journeys the navigation must lead to.
    for url in ("/letters/", "/letters/write/", "/letters/track/", "/cases/query/", "/cases/documents/", "/search/"):
        assert answers.get(url, (None,))[0] == 200, url
    assert any(url.startswith("/zwgk/xxgkml/") for url in answers)
    assert {"/letters/mine/", "/cases/lawyer/"} <= set(redirects)
    assert len(answers) >= 100, summary
