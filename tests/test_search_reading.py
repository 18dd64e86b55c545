"""Searching what is in Elasticsearch, on one small portal the module builds and indexes once
(tests.shared_corpus) and every test only reads: a two-character query, several terms, the
admin's page search, the fallback to the database while the server is unreachable. The tests
that change what is indexed are in test_search.py, each on its own portal."""

import pytest
from django.test import override_settings

from .builders import build_portal, login_staff, make_superuser
from .conftest import refresh_test_indices, run_queued_tasks
from .shared_corpus import committed_for_module
from .test_search import es_titles, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def indexed_portal(django_db_setup, django_db_blocker):
    with committed_for_module(django_db_blocker):
        portal = build_portal()
        run_queued_tasks()
        refresh_test_indices()
        yield portal


def test_a_published_page_is_found_in_elasticsearch_with_a_two_character_query(indexed_portal, client):
    assert "不动产登记办事指南" in es_titles("登记")
    response = client.get("/search/", {"q": "登记"})
    html = page_text(response)
    assert "不动产登记办事指南" in html
    assert "数据库检索" not in html  # answered by Elasticsearch, not the fallback
    assert "no-store" not in response.get("Cache-Control", "")  # a public answer: browsers may keep it


def test_several_terms_each_match_on_their_own(indexed_portal, client):
    html = page_text(client.get("/search/", {"q": "民生实事 十件"}))
    assert indexed_portal.article.title in html
    assert "不动产登记办事指南" not in html


def test_an_editor_searching_the_admin_for_登记_finds_the_registration_guide(indexed_portal, client):
    login_staff(client, make_superuser())
    response = client.get("/admin/pages/search/", {"q": "登记"})
    assert response.status_code == 200
    assert "不动产登记办事指南" in response.content.decode()


def test_search_falls_back_to_the_database_with_a_notice_when_elasticsearch_is_down(indexed_portal, client, settings):
    dead = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": ["http://127.0.0.1:9"], "TIMEOUT": 1}}
    with override_settings(WAGTAILSEARCH_BACKENDS=dead, ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = client.get("/search/", {"q": "登记"})
        health = client.get("/healthz")
        several_terms = page_text(client.get("/search/", {"q": "民生实事 十件"}))
    assert response.status_code == 200
    html = page_text(response)
    assert "不动产登记办事指南" in html
    assert "数据库检索" in html
    assert "no-store" in response.get("Cache-Control", "")  # nobody keeps the fallback once the index is back
    assert indexed_portal.article.title in several_terms
    assert health.status_code == 200 and health.json()["search"]["status"] == "down"
