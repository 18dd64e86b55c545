"""The site search page where a test changes what is indexed: highlighted, safely escaped
snippets of a new item; pinned results while their page is public; rebuilding the index.
Each test builds its own corpus (the tests that only read it share one, in
test_site_search_reading.py)."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.models import ArticlePage
from portal.roles import ensure_role_groups

from ..builders import add_page, login_staff
from ..letters_support import make_user, restore_flushed_basics
from .support import build_search_site, result_urls, text_of

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def site(clean_search_indices, run_tasks, refresh_search_index):
    return build_search_site(run_tasks, refresh_search_index)


def test_snippets_mark_the_match_and_escape_everything_else(site):
    add_page(
        site["columns"]["notices"],
        ArticlePage(
            title="关于<script>alert(1)</script>低保资金的说明",
            slug="xss",
            body="<p>最低生活保障资金&lt;b&gt;按月发放&lt;/b&gt;，<em>专款专用</em>。</p>",
            source="县民政局",
        ),
    )
    site["index"]()
    html = Client().get("/search/", {"q": "低保资金"}).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>按月发放" not in html and "&lt;b&gt;按月发放" in html
    assert "<mark>资金</mark>" in html
    assert "“低保”同时搜索了“最低生活保障”" in text_of(html)


def test_a_pinned_result_comes_first_and_only_while_it_is_public(site, client):
    guide = site["pages"]["dibao_guide"]
    editor = make_user("managing", "managing")
    login_staff(client, editor)
    response = client.post(
        reverse("wagtailsearchpromotions:add"),
        {
            "query_string": "低保",
            "editors_picks-TOTAL_FORMS": "1",
            "editors_picks-INITIAL_FORMS": "0",
            "editors_picks-MIN_NUM_FORMS": "0",
            "editors_picks-MAX_NUM_FORMS": "1000",
            "editors_picks-0-page": str(guide.pk),
            "editors_picks-0-description": "申请最低生活保障请先看这里",
            "editors_picks-0-ORDER": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SearchPromotion.objects.filter(query=Query.get("低保"), page=guide).exists()
    html = Client().get("/search/", {"q": "低保"}).content.decode()
    pins = html.split('class="search-pins"')[1].split("</section>")[0]
    assert guide.url in pins
    assert guide.url not in result_urls(Client(), "低保")  # not listed twice
    guide.unpublish()
    site["index"]()
    assert 'class="search-pins"' not in Client().get("/search/", {"q": "低保"}).content.decode()


def test_roles_that_maintain_the_site_search_hold_its_permissions(db):
    restore_flushed_basics()
    groups = ensure_role_groups()
    for code in ("managing", "chief"):
        codenames = set(groups[code].permissions.values_list("codename", flat=True))
        assert {"add_synonym", "change_synonym", "add_searchpromotion", "view_searchtermday"} <= codenames
    assert not groups["editor"].permissions.filter(codename="view_searchtermday").exists()


def test_update_index_rebuilds_the_site_index_from_the_database(site):
    from django.core.management import call_command

    from search.connection import get_client
    from search.site_index import alias_name, aliased_indices

    old = aliased_indices()
    get_client().delete(index=alias_name(), id=f"page-{site['pages']['dibao_guide'].pk}", refresh=True)
    assert site["pages"]["dibao_guide"].url not in result_urls(Client(), "低保")
    call_command("update_index", site_only=True, verbosity=0)
    assert aliased_indices() != old and len(aliased_indices()) == 1  # a new version behind the alias
    assert site["pages"]["dibao_guide"].url in result_urls(Client(), "低保")
