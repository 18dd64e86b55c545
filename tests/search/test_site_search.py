"""The site search page as a citizen and an editor use it: highlighted, safely escaped
snippets; the real type and column of each result; 已修订/已废止 marks; filters with counts;
sorting; searching within a column; suggestions when nothing is found; the editors' synonym
table and pinned results; weekly search-term figures without personal data."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.models import ArticlePage
from portal.roles import ensure_role_groups
from search.models import SearchTermDay, Synonym
from search.statistics import mask_personal_numbers

from ..builders import add_page, login_staff
from ..letters_support import make_user, restore_flushed_basics
from .corpus import ARTICLES
from .support import add_article, build_columns, result_urls

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

KEYS = [
    "dibao_2026",
    "dibao_2024",
    "dibao_standard",
    "dibao_guide",
    "dibao_jiedu",
    "sbk_guide",
    "sbk_loss",
    "funeral_2015",
    "funeral_2025",
    "flood_2025",
    "flood_2026",
    "ebike_register",
]


@pytest.fixture
def site(clean_search_indices, run_tasks, refresh_search_index):
    restore_flushed_basics()
    home, columns = build_columns()
    items = {article.key: article for article in ARTICLES}
    pages = {key: add_article(columns[items[key].column], items[key]) for key in KEYS}

    def index():
        run_tasks()
        refresh_search_index()

    index()
    return {"home": home, "columns": columns, "pages": pages, "index": index}


def text_of(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


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


def test_each_result_shows_its_type_column_document_number_and_validity(site):
    html = Client().get("/search/", {"q": "最低生活保障实施办法"}).content.decode()
    first = html.split('<li class="result result-page">')[1]
    assert "政策文件" in first and 'href="/zwgk/zcwj/"' in first and "青政发〔2026〕3号" in text_of(first)
    superseded = next(part for part in html.split('<li class="result result-page">') if "/dibao-2024/" in part)
    assert "已修订" in superseded and "已修订" not in first
    repealed = Client().get("/search/", {"q": "殡葬"}).content.decode()
    assert "已废止" in repealed
    urls = result_urls(Client(), "殡葬")
    assert urls.index(site["pages"]["funeral_2025"].url) < urls.index(site["pages"]["funeral_2015"].url)
    guide = Client().get("/search/", {"q": "社保卡"}).content.decode()
    assert "综合信息" in guide and "办事指南" in guide and '<span class="tag">信息</span>' not in guide


def test_filters_show_counts_and_keep_the_other_filters_counts(site):
    response = Client().get("/search/", {"q": "最低生活保障"})
    facets = {facet.name: {o.label: o.count for o in facet.options} for facet in response.context["outcome"].facets}
    assert facets["type"] == {"政策文件": 2, "通知公告": 1, "综合信息": 2}
    assert facets["column"] == {"政策文件": 2, "通知公告": 1, "政策解读": 1, "办事指南": 1}
    narrowed = Client().get("/search/", {"q": "最低生活保障", "type": "notices"})
    outcome = narrowed.context["outcome"]
    assert [r.url for r in outcome.page_obj] == [site["pages"]["dibao_standard"].url]
    assert {o.label: o.count for o in outcome.facets[0].options}["政策文件"] == 2  # still offered
    department = Client().get("/search/", {"q": "最低生活保障", "department": "青山县民政局"}).context["outcome"]
    assert {r.department for r in department.page_obj} == {"青山县民政局"}
    dated = Client().get("/search/", {"q": "防汛抗旱", "from": "2026-01-01", "to": "2026-12-31"}).context["outcome"]
    assert [r.url for r in dated.page_obj] == [site["pages"]["flood_2026"].url]
    bad = Client().get("/search/", {"q": "防汛抗旱", "from": "2026-13-01"}).content.decode()
    assert "起始日期格式不正确" in bad and site["pages"]["flood_2025"].url in bad  # the search still runs
    reversed_range = Client().get("/search/", {"q": "防汛", "from": "2026-12-01", "to": "2026-01-01"})
    assert "起始日期不能晚于截止日期" in reversed_range.content.decode()


def test_results_sort_by_relevance_or_by_date(site):
    by_relevance = Client().get("/search/", {"q": "最低生活保障"}).context["outcome"].page_obj
    by_date = Client().get("/search/", {"q": "最低生活保障", "sort": "date"}).context["outcome"].page_obj
    assert sorted(r.url for r in by_relevance) == sorted(r.url for r in by_date)
    assert [r.date for r in by_date] == sorted((r.date for r in by_date), reverse=True)
    assert [r.url for r in by_relevance] != [r.url for r in by_date]


def test_a_column_page_searches_within_its_column(site):
    policy = site["columns"]["policy"]
    page = Client().get(policy.url).content.decode()
    assert f'name="column" value="{policy.pk}"' in page and "在“政策文件”中搜索" in page
    inside = result_urls(Client(), "最低生活保障", column=policy.pk)
    assert inside and all(url.startswith(policy.url) for url in inside)
    section = site["columns"]["zwgk"]  # the section holds policy, notices, interpretations
    assert len(result_urls(Client(), "最低生活保障", column=section.pk)) > len(inside)
    html = Client().get("/search/", {"q": "驾照", "column": policy.pk}).content.decode()
    assert "“政策文件”栏目中未找到" in html and "取消筛选条件，在全站搜索" in html


def test_a_search_that_finds_nothing_suggests_related_words_and_popular_searches(site):
    for _ in range(3):
        Client().get("/search/", {"q": "社保卡"})
    html = Client().get("/search/", {"q": "医保报销"}).content.decode()
    assert "未找到与“医保报销”相关的结果" in html
    assert "医疗保障" in html  # a word from the synonym group
    popular = html.split('class="search-popular"')[1]
    assert "社保卡" in popular


def test_relaxed_match_is_marked_as_partial(site):
    html = Client().get("/search/", {"q": "社保卡 挂失 火星"}).content.decode()
    assert "部分匹配" in html and site["pages"]["sbk_loss"].url in html


def test_an_editor_adds_a_synonym_in_the_admin_and_search_uses_it_at_once(site, client):
    assert result_urls(Client(), "电瓶车") == []
    editor = make_user("managing", "managing")
    login_staff(client, editor)
    response = client.post(
        reverse("wagtailsnippets_portal_search_synonym:add"),
        {"term": "电瓶车", "synonyms": "电动自行车", "note": "群众常用说法"},
    )
    assert response.status_code == 302 and Synonym.objects.filter(term="电瓶车").exists()
    assert site["pages"]["ebike_register"].url in result_urls(Client(), "电瓶车")
    assert site["pages"]["ebike_register"].url in result_urls(Client(), "dianpingche")


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


def test_search_terms_are_counted_per_week_without_personal_data(site, client):
    Client().get("/search/", {"q": "低保"})
    Client().get("/search/", {"q": "低保"})
    Client().get("/search/", {"q": "登机"})
    Client().get("/search/", {"q": "身份证 110101199003070014 13812345678"})
    Client().get("/search/", {"q": "低保", "page": "2"})  # paging is not a new search
    today = timezone.localdate()
    rows = {row.query: (row.searches, row.zero_results) for row in SearchTermDay.objects.filter(day=today)}
    assert rows["低保"] == (2, 0) and rows["登机"] == (1, 1)
    logged = [query for query in rows if query.startswith("身份证")]
    assert logged == ["身份证 11*************014 138****5678"]
    assert "110101199003070014" not in str(rows) and "13812345678" not in str(rows)

    citizen_staff = make_user("someeditor", "editor")
    login_staff(client, citizen_staff)
    refused = client.get(reverse("search_terms_report"))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "permission denied"
    login_staff(client, make_user("chief", "chief"))
    report = client.get(reverse("search_terms_report")).content.decode()
    top, zero = report.split("无结果搜索词")[0], report.split("无结果搜索词")[1]
    assert "低保" in top and "登机" in zero and "低保" not in zero
    last_week = (today - datetime.timedelta(days=7)).isoformat()
    assert "本周没有搜索记录" in client.get(reverse("search_terms_report"), {"week": last_week}).content.decode()


def test_numbers_that_could_identify_a_person_are_masked():
    assert mask_personal_numbers("11010119900307001x 社保") == "11*************01X 社保"
    assert mask_personal_numbers("电话13812345678") == "电话138****5678"
    assert mask_personal_numbers("卡号6222020200112233445") == "卡号***************3445"
    assert mask_personal_numbers("青政发〔2026〕3号 12345") == "青政发〔2026〕3号 12345"


def test_the_number_of_database_queries_does_not_grow_with_the_results(site):
    Client().get("/search/", {"q": "低保"})  # warm the synonym cache
    with CaptureQueriesContext(connection) as one:
        Client().get("/search/", {"q": "殡葬管理暂行规定"})
    with CaptureQueriesContext(connection) as many:
        Client().get("/search/", {"q": "青山县"})
    assert len(many.captured_queries) == len(one.captured_queries)


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
