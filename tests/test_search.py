"""Search runs on the real Elasticsearch server, through the product's own indexing path:
publishing queues a background task after commit; the task writes the index."""

import datetime
import re

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from home.models import ArticlePage
from search.analysis import analysis_settings
from search.connection import get_client, index_name

from .builders import add_page, build_portal, login_staff, make_superuser

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PAGE_INDEX = index_name("wagtail_wagtailcore_page")


@pytest.fixture
def indexed_portal(clean_search_indices, run_tasks, refresh_search_index):
    portal = build_portal()
    run_tasks()
    refresh_search_index()
    return portal


def page_text(response):
    """What a reader sees: the page without its tags (result titles carry <mark> highlights)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def es_titles(query):
    response = get_client().search(
        index=PAGE_INDEX,
        query={"multi_match": {"query": query, "fields": ["title", "_all_text"], "operator": "and"}},
    )
    return [hit["_source"]["title"] for hit in response["hits"]["hits"]]


def test_a_published_page_is_found_in_elasticsearch_with_a_two_character_query(indexed_portal, client):
    assert "不动产登记办事指南" in es_titles("登记")
    response = client.get("/search/", {"q": "登记"})
    html = page_text(response)
    assert "不动产登记办事指南" in html
    assert "数据库检索" not in html  # answered by Elasticsearch, not the fallback
    assert "no-store" not in response.get("Cache-Control", "")  # a public answer: browsers may keep it


def test_a_two_character_query_needs_the_word_not_just_its_characters(
    indexed_portal, run_tasks, refresh_search_index, client
):
    add_page(
        indexed_portal.news,
        ArticlePage(
            title="记者走进青山登山步道", slug="dengshan", body="<p>登上山顶，记下美景。</p>", source="融媒体中心"
        ),
    )
    run_tasks()
    refresh_search_index()
    assert es_titles("登记") == ["不动产登记办事指南"]
    html = page_text(client.get("/search/", {"q": "登山"}))
    assert "记者走进青山登山步道" in html and "不动产登记办事指南" not in html


def test_several_terms_each_match_on_their_own(indexed_portal, client):
    html = page_text(client.get("/search/", {"q": "民生实事 十件"}))
    assert indexed_portal.article.title in html
    assert "不动产登记办事指南" not in html


def test_drafts_never_appear_in_search_results(indexed_portal, run_tasks, refresh_search_index, client):
    draft = ArticlePage(title="尚未发布的登记通知草稿", slug="draft-notice", body="<p>草稿</p>", live=False)
    indexed_portal.news.add_child(instance=draft)
    draft.save_revision()
    run_tasks()
    refresh_search_index()
    assert "尚未发布的登记通知草稿" not in page_text(client.get("/search/", {"q": "登记"}))


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


def test_a_page_published_while_elasticsearch_is_down_becomes_searchable_once_it_is_back(
    indexed_portal, run_tasks, refresh_search_index, client, settings
):
    dead = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": ["http://127.0.0.1:9"], "TIMEOUT": 1}}
    with override_settings(WAGTAILSEARCH_BACKENDS=dead):
        page = add_page(
            indexed_portal.news,
            ArticlePage(title="停电期间发布的防汛通知", slug="flood", body="<p>防汛抗旱</p>", source="应急管理局"),
        )
        run_tasks()  # modelsearch's own task meets the outage and hands the page to a retry
    # One retry per save the outage swallowed (creating and publishing save the page more than once).
    retries = DBTaskResult.objects.filter(task_path="search.tasks.index_again")
    assert retries and {(r.status, *r.args_kwargs["args"][2:]) for r in retries} == {("READY", str(page.pk), 2)}
    assert all(r.run_after >= timezone.now() + datetime.timedelta(seconds=50) for r in retries)
    assert "停电期间发布的防汛通知" not in es_titles("防汛")

    retries.update(run_after=timezone.now())  # the delay has passed
    run_tasks()
    refresh_search_index()
    assert {r.status for r in retries.all()} == {"SUCCESSFUL"}
    assert "停电期间发布的防汛通知" in es_titles("防汛")
    assert "停电期间发布的防汛通知" in page_text(client.get("/search/", {"q": "防汛"}))


def test_a_page_deleted_while_elasticsearch_is_down_leaves_the_index_once_it_is_back(
    indexed_portal, run_tasks, refresh_search_index, settings
):
    assert "不动产登记办事指南" in es_titles("登记")
    dead = {"default": {**settings.WAGTAILSEARCH_BACKENDS["default"], "URLS": ["http://127.0.0.1:9"], "TIMEOUT": 1}}
    with override_settings(WAGTAILSEARCH_BACKENDS=dead):
        ArticlePage.objects.get(title="不动产登记办事指南").delete()
    refresh_search_index()
    assert "不动产登记办事指南" in es_titles("登记")  # the outage kept the delete from the index
    DBTaskResult.objects.filter(task_path="search.tasks.index_again").update(run_after=timezone.now())
    run_tasks()
    refresh_search_index()
    assert "不动产登记办事指南" not in es_titles("登记")


def test_overlong_queries_get_a_chinese_message(client, portal):
    response = client.get("/search/", {"q": "登" * 101})
    assert response.status_code == 200
    assert "搜索词过长" in response.content.decode()


def test_index_settings_use_only_analysis_built_into_every_distribution():
    settings_block = analysis_settings("shingle")
    filters = {f for a in settings_block["analyzer"].values() for f in a["filter"]}
    custom = set(settings_block["filter"])
    assert filters - custom <= {"lowercase"}
    assert {f["type"] for f in settings_block["filter"].values()} == {"shingle"}
    assert {a["tokenizer"] for a in settings_block["analyzer"].values()} == {"standard"}
