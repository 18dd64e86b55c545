"""Acceptance 3: Elasticsearch stops and the search page still answers, from the database,
with a notice.

The shared Elasticsearch server of this machine serves other test runs, so it is not stopped
here. Instead the portal talks to it through a TCP relay this test starts on a free local port
(ELASTICSEARCH_URL points at the relay for the whole test, indexing included), and the test
stops the relay: from the portal's side the server is gone exactly as if it had stopped —
open connections are cut and new ones refused.
"""

import select
import socket
import socketserver
import threading

import pytest
from django.test import Client, override_settings

from ..builders import build_portal
from .corpus import DOCUMENTS, LETTERS
from .support import case_line, import_case_lines, publish_letter, result_urls

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Relay(socketserver.ThreadingTCPServer):
    """Forwards every connection to the real server until stopped."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, target):
        self.target = target
        self.open_sockets = set()
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), RelayHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def stop(self):
        self.shutdown()
        self.server_close()
        with self.lock:
            for sock in list(self.open_sockets):
                sock.close()


class RelayHandler(socketserver.BaseRequestHandler):
    def handle(self):
        upstream = socket.create_connection(self.server.target)
        with self.server.lock:
            self.server.open_sockets.update((self.request, upstream))
        try:
            while True:
                readable, _, _ = select.select([self.request, upstream], [], [], 30)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (upstream if source is self.request else self.request).sendall(data)
        except OSError:
            return
        finally:
            upstream.close()


@pytest.fixture
def no_page_cache(settings):
    """What the search answers, not a copy kept from before the outage. Set before `relay`, whose
    own override of the settings must be undone first."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def relay(settings):
    host, port = settings.ELASTICSEARCH_URL.split("//", 1)[1].split(",")[0].rstrip("/").split(":")
    relay = Relay((host, int(port)))
    relay.start()
    backends = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": [relay.url]}}
    with override_settings(ELASTICSEARCH_URL=relay.url, WAGTAILSEARCH_BACKENDS=backends):
        yield relay
    relay.stop()


def test_when_elasticsearch_stops_the_search_page_answers_from_the_database(
    clean_search_indices, no_page_cache, relay, run_tasks, refresh_search_index, tmp_path, publisher
):
    from ..letters_support import build_world

    portal = build_portal()
    world = build_world()
    letter_url = publish_letter(world, Client(), LETTERS[0], 0)  # 低保 letter
    import_case_lines(tmp_path, [case_line(DOCUMENTS[0])])  # 赵某危险驾驶案
    from ..cases.builders import approve_pending

    approve_pending(publisher)
    run_tasks()
    refresh_search_index()
    client = Client()
    up = client.get("/search/", {"q": "登记"}).content.decode()
    assert "不动产<mark>登记</mark>办事指南" in up and "数据库检索" not in up

    relay.stop()  # Elasticsearch is gone

    response = client.get("/search/", {"q": "登记"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "当前结果来自数据库检索" in html
    assert portal.guide.url in result_urls(client, "登记")
    assert "不动产<mark>登记</mark>办事指南" in html  # highlighted by the database fallback too
    # Query understanding works without Elasticsearch: the synonym table, folding, numbers.
    assert letter_url in result_urls(client, "低保")  # the letter says 最低生活保障
    assert portal.article.url in result_urls(client, "青政发(2026)3号")
    assert portal.article.url in result_urls(client, "民生實事")
    assert any("/cases/documents/" in url for url in result_urls(client, "赵某"))
    # Searching within a column still keeps to the column.
    assert result_urls(client, "登记", column=portal.policy.pk) == []
    assert portal.guide.url in result_urls(client, "登记", column=portal.services.pk)
    assert client.get("/healthz").json()["search"]["status"] == "down"
