"""Navigation is built from the page tree and the services registry: a column shows its
sub-columns and the online services of its section, the home page and the footer list every
registered service, and nothing that is not registered is promoted anywhere."""

import re

import pytest
from django.core.checks import Error
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import ColumnPage, ServicePage
from portal.service_registry import HOOK, PublicService, Section, all_services, check_registry

from .builders import add_page, add_section, build_portal, login_staff, make_superuser

pytestmark = pytest.mark.django_db


def hrefs(html):
    return re.findall(r'href="([^"]+)"', html)


def main_of(html):
    return html[html.index("<main") : html.index("</main>")]


def footer_of(html):
    return html[html.index('<footer class="site-footer">') :]


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """These tests change the registry as a deployment does, and count a render's queries; the
    page cache is tested (and purged on deployment) in test_page_cache."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def site(db):
    portal = build_portal()
    interaction = add_section(portal.home, "互动交流", "hdjl", Section.INTERACTION)
    cases = add_section(portal.home, "案件信息公开", "ajxxgk", Section.CASE_INFORMATION)
    rules = add_page(cases, ColumnPage(title="公开规定与须知", slug="flws", kind=ColumnPage.Kind.GENERAL))
    portal.interaction, portal.cases, portal.rules = interaction, cases, rules
    return portal


def parking_permits():
    """A service of an app that is not installed (the contract, not a real app)."""
    return [
        PublicService(
            key="parking.apply",
            title=_("停车证申领"),
            summary=_("申领县城老旧小区居民停车证。"),
            url_name="search",  # any URL of the portal will do for the contract
            sections=(Section.INTERACTION, Section.ONLINE_SERVICES),
            requires_login=True,
            order=20,
        )
    ]


def test_the_interaction_column_leads_to_every_mailbox_service(client, site):
    html = client.get(site.interaction.url).content.decode()
    main = main_of(html)
    for url in ("/letters/write/", "/letters/track/", "/letters/", "/letters/mine/"):
        assert f'href="{url}"' in main
    assert "给县领导写信" in main and "信件选登" in main
    assert "需登录" in main  # 我的信件 asks anonymous visitors to sign in
    assert "暂无信息" not in html and "即将上线" not in html


def test_the_case_column_links_the_query_the_documents_and_the_lawyer_pages(client, site):
    main = main_of(client.get(site.cases.url).content.decode())
    for url in ("/cases/query/", "/cases/documents/", "/cases/lawyer/", "/accounts/me/lawyer/"):
        assert f'href="{url}"' in main
    assert "限认证律师" in main
    assert f'href="{site.rules.url}"' in main  # its sub-column, in the section menu


def test_a_sub_column_shows_its_sections_menu_with_the_current_column_marked(client, site):
    html = main_of(client.get(site.rules.url).content.decode())
    assert f'<a href="{site.rules.url}" aria-current="page">公开规定与须知</a>' in html
    assert f'href="{site.cases.url}"' in html  # back up to 案件信息公开
    assert 'href="/cases/documents/"' in html  # the section's services
    assert "本栏目暂无信息" in html  # a leaf column that holds nothing says so


def test_every_page_links_the_registered_services_in_the_footer(client, site):
    footer = footer_of(client.get(site.article.url).content.decode())
    for service in all_services():
        assert (f'href="{service.url}"' in footer) is not service.lawyers_only
    assert 'href="/letters/"' in footer  # the published letters list
    assert 'href="/cases/lawyer/"' not in footer  # for verified lawyers: in 案件信息公开 only


def test_the_home_page_lists_the_registered_services(client, site):
    main = main_of(client.get("/").content.decode())
    assert set(hrefs(main)) >= {service.url for service in all_services()}


def test_a_service_registered_by_an_app_appears_everywhere_and_nowhere_before(client, site):
    assert "停车证申领" not in client.get("/").content.decode()
    assert "停车证申领" not in client.get(site.interaction.url).content.decode()
    with hooks.register_temporarily(HOOK, parking_permits):
        home = client.get("/").content.decode()
        column = main_of(client.get(site.interaction.url).content.decode())
        cases = main_of(client.get(site.cases.url).content.decode())
    assert "停车证申领" in main_of(home) and "停车证申领" in footer_of(home)
    assert "停车证申领" in column and "申领县城老旧小区居民停车证。" in column
    assert "停车证申领" not in cases  # not in its sections


def test_a_column_lists_the_services_its_guide_pages_describe(client, site):
    column = add_page(site.home, ColumnPage(title="便民服务", slug="bmfw", kind=ColumnPage.Kind.GENERAL))
    guide = add_page(
        column, ServicePage(title="信件查询说明", slug="xjcx", intro="凭编号和密码查询。", service="letters.track")
    )
    main = main_of(client.get(column.url).content.decode())
    assert 'href="/letters/track/"' in main
    assert f'href="{guide.url}"' in main  # 办理说明
    assert "暂无信息" not in main


def test_a_guide_page_leads_to_its_service_and_its_section(client, site):
    page = client.get(ServicePage.objects.get(slug="ldxx").url).content.decode()
    main = main_of(page)
    assert 'href="/letters/write/"' in main
    assert 'href="/letters/track/"' in main and 'href="/letters/"' in main  # related services
    assert "即将上线" not in page


def test_a_guide_page_whose_service_is_not_installed_is_not_served(client, site):
    guide = ServicePage.objects.get(slug="ldxx")
    ServicePage.objects.filter(pk=guide.pk).update(service="parking.apply")
    assert client.get(guide.url).status_code == 404
    with hooks.register_temporarily(HOOK, parking_permits):
        assert client.get(guide.url).status_code == 200


def test_the_admin_offers_only_registered_services_for_a_guide_page(client, site):
    login_staff(client, make_superuser())
    url = f"/admin/pages/add/home/servicepage/{site.interaction.pk}/"
    form = client.get(url).content.decode()
    options = re.findall(r'<option value="([^"]*)"', form[form.index('name="service"') :].split("</select>")[0])
    assert options == ["", *(service.key for service in all_services())]
    data = {"title": "停车证申领", "slug": "tczsl", "service": "parking.apply", "intro": "预约办事。"}
    response = client.post(url, nested_form_data({**data, "body": rich_text(""), "comments": inline_formset([])}))
    assert response.status_code == 200
    errors = response.context["form"].errors["service"]
    assert errors == ["选择一个有效的选项。 parking.apply 不在可用的选项中。"]
    assert not ServicePage.objects.filter(slug="zxyy").exists()


def test_the_system_check_refuses_broken_registrations(settings):
    def broken():
        return [
            PublicService("letters.write", "重复", "", "letters:write", (Section.INTERACTION,)),
            PublicService("x.unknown", "未知分组", "", "letters:list", ("elsewhere",)),
            PublicService("x.nourl", "无地址", "", "nowhere:page", (Section.INTERACTION,)),
        ]

    assert check_registry(None) == []
    with hooks.register_temporarily(HOOK, broken):
        errors = check_registry(None)
    assert all(isinstance(error, Error) for error in errors)
    assert sorted(error.id for error in errors) == ["portal.E101", "portal.E102", "portal.E103"]


def test_menus_cost_the_same_queries_however_many_columns_and_services(client, site):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    client.get(site.rules.url)  # warm the site and settings caches
    before = queries(site.rules.url), queries(site.interaction.url), queries("/")
    for number in range(6):
        sub = add_page(site.cases, ColumnPage(title=f"子栏目{number}", slug=f"sub{number}"))
        add_page(sub, ColumnPage(title=f"下级栏目{number}", slug=f"leaf{number}"))
        add_page(site.home, ColumnPage(title=f"顶级栏目{number}", slug=f"top{number}", show_in_menus=True))
    with hooks.register_temporarily(HOOK, parking_permits):
        after = queries(site.rules.url), queries(site.interaction.url), queries("/")
    assert after == before
