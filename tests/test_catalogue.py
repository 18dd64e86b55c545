"""The 信息公开目录 is a real catalogue: every disclosed article of the site, filtered by topic,
issuing body, dates, validity, title and document or index number (brackets of any kind),
paged, with validity marks that link to the version in force; amended documents link to
their current version, a relation editors maintain through review."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import ArticlePage, ColumnPage

from .builders import add_catalogue, add_page, build_portal, login_staff
from .review_builders import act, build_review_site, current_task_state, edit_article

pytestmark = pytest.mark.django_db


def article(column, slug, **fields):
    values = {
        "title": f"青山县文件{slug}",
        "slug": slug,
        "summary": "摘要。",
        "body": "<p>正文。</p>",
        "source": "县政府办公室",
        "collector": "李晓明",
        "collected_on": datetime.date(2026, 3, 4),
        "issuing_body": "青山县人民政府",
        "topic": "general",
        "written_on": datetime.date(2026, 3, 1),
        "date": datetime.date(2026, 3, 5),
    }
    values.update(fields)
    return add_page(column, ArticlePage(**values))


@pytest.fixture
def site(db):
    portal = build_portal()
    section = portal.policy.get_parent().specific
    portal.catalogue = add_catalogue(portal)
    portal.notices = add_page(
        section, ColumnPage(title="通知公告", slug="tzgg", kind=ColumnPage.Kind.NOTICES, is_disclosure=True)
    )
    portal.notice = article(
        portal.notices,
        "notice-1",
        title="关于开展安全生产大检查的通知",
        document_no="青安委办[2025]23号",
        issuing_body="青山县安全生产委员会办公室",
        topic="market",
        written_on=datetime.date(2025, 10, 8),
        date=datetime.date(2025, 10, 10),
    )
    portal.basic = article(
        portal.catalogue,
        "basic",
        title="主动公开基本目录",
        issuing_body="青山县人民政府办公室",
        written_on=datetime.date(2026, 1, 2),
        date=datetime.date(2026, 1, 5),
    )
    return portal


def catalogue(client, site, **params):
    response = client.get(site.catalogue.url, params)
    assert response.status_code == 200
    return response.content.decode()


def listed_titles(html):
    return re.findall(r'<td role="cell" class="col-title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def test_the_catalogue_lists_every_disclosed_article_of_the_site(client, site):
    html = catalogue(client, site)
    assert sorted(listed_titles(html)) == sorted([site.article.title, site.notice.title, site.basic.title])
    assert site.guide.title not in html  # 在线办事 is not a disclosure column
    assert html.count("信息公开目录信息公开目录") == 0
    assert '<caption id="catalogue-caption">信息公开目录</caption>' in html
    for heading in ("索引号", "发布机构", "文号", "成文日期", "发布日期", "有效性"):
        assert f">{heading}</th>" in html
    assert site.notice.index_no and site.notice.index_no in html


@pytest.mark.parametrize(
    "typed",
    [
        "青政发〔2026〕3号",
        "青政发[2026]3号",
        "青政发(2026)3号",
        "青政发（2026）3号",
        "青政发［2026］3号",
        "青政发【2026】3号",
        "青政发（２０２６）３号",
        " 青政发 〔2026〕 3号 ",
        "〔2026〕3号",
    ],
)
def test_a_document_number_is_found_whatever_brackets_are_typed(client, site, typed):
    assert listed_titles(catalogue(client, site, number=typed)) == [site.article.title]


def test_a_number_stored_with_square_brackets_is_found_with_the_official_ones(client, site):
    assert listed_titles(catalogue(client, site, number="青安委办〔2025〕23号")) == [site.notice.title]


def test_an_index_number_or_a_part_of_it_finds_the_article(client, site):
    assert listed_titles(catalogue(client, site, number=site.basic.index_no)) == [site.basic.title]
    year_and_sequence = site.basic.index_no.split("/")[-1]
    assert site.basic.title in listed_titles(catalogue(client, site, number=year_and_sequence))


def test_filters_by_topic_issuing_body_validity_title_and_dates(client, site):
    assert listed_titles(catalogue(client, site, topic="market")) == [site.notice.title]
    html = catalogue(client, site)
    bodies = re.findall(r'<option value="([^"]+)"', html[html.index('name="issuing_body"') :].split("</select>")[0])
    assert bodies == ["青山县人民政府", "青山县人民政府办公室", "青山县安全生产委员会办公室"]
    assert listed_titles(catalogue(client, site, issuing_body="青山县人民政府办公室")) == [site.basic.title]
    assert listed_titles(catalogue(client, site, title="安全生产")) == [site.notice.title]
    assert listed_titles(catalogue(client, site, written_from="2026-01-01", written_to="2026-01-31")) == [
        site.basic.title
    ]
    assert listed_titles(catalogue(client, site, published_to="2025-12-31")) == [site.notice.title]
    ArticlePage.objects.filter(pk=site.notice.pk).update(validity="repealed")
    assert listed_titles(catalogue(client, site, validity="repealed")) == [site.notice.title]
    assert site.notice.title not in listed_titles(catalogue(client, site, validity="valid"))
    html = catalogue(client, site, topic="general", issuing_body="青山县安全生产委员会办公室")
    assert listed_titles(html) == [] and "没有符合条件的信息。" in html


def test_bad_filters_are_reported_in_chinese_and_the_good_ones_still_apply(client, site):
    html = catalogue(client, site, written_from="2026-13-45", topic="market")
    assert 'role="alert"' in html and "成文日期（起）" in html and "输入一个有效的日期。" in html
    assert listed_titles(html) == [site.notice.title]
    assert 'value="2026-13-45"' in html  # what was typed stays in the field
    html = catalogue(client, site, published_from="2026-02-01", published_to="2026-01-01")
    assert "截止日期不能早于起始日期。" in html
    assert 'id="id_published_to_error"' in html and 'aria-describedby="id_published_to_error"' in html
    html = catalogue(client, site, issuing_body="不存在的机构")
    assert "不存在的机构 不在可用的选项中" in html


def test_pages_keep_the_filters(client, site):
    for number in range(25):
        article(site.catalogue, f"a{number:02d}", title=f"补充公开文件{number:02d}", topic="labour")
    html = catalogue(client, site, topic="labour")
    assert "共 25 条信息" in html and len(listed_titles(html)) == 20
    assert 'href="?topic=labour&amp;page=2"' in html
    assert len(listed_titles(catalogue(client, site, topic="labour", page=2))) == 5


def supersede(old, new, validity="amended"):
    old.validity = validity
    old.superseded_by = new
    old.save_revision().publish()
    old.refresh_from_db()
    return old


def test_amended_documents_link_to_the_version_in_force_through_the_whole_chain(client, site):
    first = article(site.catalogue, "v1", title="最低生活保障实施办法（2024年）", document_no="青政发〔2024〕11号")
    second = article(site.catalogue, "v2", title="最低生活保障实施办法（2025年修订）", document_no="青政发〔2025〕4号")
    third = article(site.catalogue, "v3", title="最低生活保障实施办法（2026年修订）", document_no="青政发〔2026〕15号")
    supersede(second, third)
    supersede(first, second)

    html = catalogue(client, site, title="最低生活保障")
    row = html[html.index(first.title) :].split("</tr>")[0]
    assert "已修订" in row and f'<a class="current-version" href="{third.url}">现行版本' in row

    page = client.get(first.url).content.decode()
    assert "本文件已修订" in page and f'<a href="{third.url}">{third.title}</a>（青政发〔2026〕15号）' in page
    newest = client.get(third.url).content.decode()
    assert "本文件修订或替代了：" in newest and f'href="{second.url}"' in newest

    third.unpublish()  # a successor that is not live is never linked: the last live one is
    page = client.get(first.url).content.decode()
    assert f'<a href="{second.url}">{second.title}</a>' in page and third.url not in page


def test_a_repealed_document_names_the_document_that_replaced_it(client, site):
    new = article(site.catalogue, "new", title="城区道路与公共空间管理办法")
    old = supersede(article(site.catalogue, "old", title="城区临时占道经营管理暂行办法"), new, validity="repealed")
    page = client.get(old.url).content.decode()
    assert "本文件已废止" in page and "替代文件：" in page and f'href="{new.url}"' in page


def test_the_current_version_relation_refuses_valid_documents_and_cycles(site):
    first = article(site.catalogue, "c1")
    second = article(site.catalogue, "c2")
    first.superseded_by = second
    with pytest.raises(ValidationError, match="有效的文件没有现行版本"):
        first.full_clean()
    supersede(first, second)
    second.validity, second.superseded_by = "amended", first
    with pytest.raises(ValidationError, match="现行版本不能是本文件"):
        second.full_clean()
    second.superseded_by = second
    with pytest.raises(ValidationError, match="现行版本不能是本文件"):
        second.full_clean()


def test_the_catalogue_costs_the_same_queries_for_three_or_twenty_rows(client, site):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            catalogue(client, site, topic="general")
        return len(captured)

    previous = supersede(article(site.catalogue, "q-first"), article(site.catalogue, "q-second"))
    catalogue(client, site)
    few = queries()
    for number in range(16):
        current = article(site.catalogue, f"q{number:02d}", issuing_body=f"机构{number}")
        if previous is not None:
            supersede(previous, current)
        previous = current
    assert queries() == few


def test_editors_link_the_current_version_through_review(client):
    site = build_review_site()
    users = site.users
    section = site.portal.policy.get_parent().specific
    notices = add_page(
        section, ColumnPage(title="通知公告", slug="tzgg", kind=ColumnPage.Kind.NOTICES, is_disclosure=True)
    )
    old = article(notices, "old-rules", title="城区停车管理办法（2024年）", document_no="青政办发〔2024〕2号")
    new = article(notices, "new-rules", title="城区停车管理办法（2026年）", document_no="青政办发〔2026〕9号")

    login_staff(client, users["editor"])
    response = edit_article(client, old, action="action-submit", validity="amended")
    assert response.status_code == 200
    assert "已修订的文件须选择现行版本（修订后的文件）。" in response.content.decode()
    response = edit_article(client, old, action="action-submit", validity="amended", superseded_by=new.pk)
    assert response.status_code == 302, response.context["form"].errors
    assert ArticlePage.objects.get(pk=old.pk).superseded_by_id is None  # not live before review
    assert "本文件已修订" not in client.get(old.url).content.decode()

    for reviewer in (users["managing"], users["chief"]):
        login_staff(client, reviewer)
        assert current_task_state(old) is not None
        assert act(client, old, "approve") == 200
    live = ArticlePage.objects.get(pk=old.pk)
    assert live.validity == "amended" and live.superseded_by_id == new.pk
    page = client.get(old.url).content.decode()
    assert "本文件已修订" in page and f'href="{new.url}"' in page
