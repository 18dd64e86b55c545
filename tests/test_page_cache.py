"""The anonymous full-page cache (portal.page_cache) over HTTP: pages are served from the shared
cache, and every change a visitor could see purges exactly what it makes stale, whichever door it
came through. A change written straight to the database (a queryset update, which no purge sees)
proves that a page is really kept; the product's own doors prove that it is purged."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page, PageViewRestriction, Site

from home.models import ArticlePage, ColumnPage, NewMediaAccount, PortalSettings
from portal.context_processors import DISPLAY_MODE_COOKIE

from .builders import add_page, login_staff, make_superuser, publish
from .review_builders import build_review_site
from .test_portal_parts import make_image

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def visit(path):
    """An anonymous visitor in a fresh browser."""
    return Client().get(path)


def text(path):
    response = visit(path)
    assert response.status_code == 200, path
    return response.content.decode()


def retitle_behind_the_cache(page, title):
    """A change no purge sees: the page cache keeps serving what it has."""
    ArticlePage.objects.filter(pk=page.pk).update(title=title)


def test_anonymous_pages_are_kept_and_a_published_change_is_shown_at_once(portal):
    article = portal.article
    column = portal.policy
    for path in ("/", column.url, article.url):
        assert article.title in text(path)

    retitle_behind_the_cache(article, "未经发布的标题")
    for path in ("/", column.url, article.url):
        html = text(path)
        assert article.title in html, f"{path} was rendered again instead of served from the cache"
        assert "未经发布的标题" not in html

    latest = ArticlePage.objects.get(pk=article.pk)
    latest.title = "青山县人民政府关于调整2026年民生实事项目的通知"
    publish(latest)
    for path in ("/", column.url, article.url):
        html = text(path)
        assert "关于调整2026年民生实事项目的通知" in html, path
        assert "关于印发2026年民生实事项目的通知" not in html, path


def test_a_column_and_the_home_page_show_a_new_article_at_once(portal):
    news = portal.news
    assert "乡村振兴" not in text(news.url)
    assert "乡村振兴" not in text("/")
    untouched = text(portal.guide.url)

    add_page(
        news,
        ArticlePage(
            title="县政府召开乡村振兴工作推进会",
            slug="xczx",
            summary="部署下一阶段乡村振兴重点任务。",
            body="<p>会议听取各乡镇工作汇报。</p>",
            source="县融媒体中心",
            collector="赵敏",
        ),
    )
    assert "县政府召开乡村振兴工作推进会" in text(news.url)
    assert "县政府召开乡村振兴工作推进会" in text("/")
    # A page in another section that does not list news keeps its entry.
    retitle_behind_the_cache(portal.guide, "别处的改动")
    assert text(portal.guide.url) == untouched


def test_unpublishing_in_the_admin_removes_the_page_and_its_listing(client):
    site = build_review_site()
    portal, article = site.portal, site.portal.article
    assert article.title in text(portal.policy.url)
    assert visit(article.url).status_code == 200

    login_staff(client, site.users["chief"])  # only the 网站总编 withdraws (issue 10)
    response = client.post(f"/admin/pages/{article.pk}/unpublish/", {"include_descendants": "", "reason": "政策已废止"})
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=article.pk).live

    assert visit(article.url).status_code == 404
    assert article.title not in text(portal.policy.url)
    assert article.title not in text("/")


def test_moving_a_column_in_the_admin_purges_its_old_and_new_addresses(client, portal):
    services = portal.services
    old_url, guide_old_url = services.url, portal.guide.url
    assert visit(old_url).status_code == 200
    assert visit(guide_old_url).status_code == 200
    section = ColumnPage.objects.get(slug="zwgk")
    assert "在线办事" in text(section.url)

    login_staff(client, make_superuser())
    response = client.post(f"/admin/pages/{services.pk}/move/{section.pk}/confirm/")
    assert response.status_code == 302
    services.refresh_from_db()
    assert services.url != old_url

    # Wagtail's redirects app sends the old addresses on; the kept pages are gone.
    for old, page in ((old_url, services), (guide_old_url, portal.guide)):
        response = visit(old)
        assert response.status_code in (301, 302), old
        assert response["Location"].endswith(Page.objects.get(pk=page.pk).url), old
    assert portal.guide.title in text(ArticlePage.objects.get(pk=portal.guide.pk).url)
    # The section lists it now, and the main navigation of every page no longer does.
    assert "在线办事" in text(section.url)
    assert f'href="{old_url}"' not in text("/")


def test_deleting_a_page_in_the_admin_purges_it_and_the_navigation(client, portal):
    column = add_page(portal.home, ColumnPage(title="专题活动", slug="ztzl", show_in_menus=True))
    url = column.url
    assert visit(url).status_code == 200
    assert f'href="{url}"' in text("/")

    login_staff(client, make_superuser())
    response = client.post(f"/admin/pages/{column.pk}/delete/")
    assert response.status_code == 302
    assert not ColumnPage.objects.filter(pk=column.pk).exists()

    assert visit(url).status_code == 404
    assert f'href="{url}"' not in text("/")


def test_a_deployment_clears_the_cache_of_every_page(portal):
    """What every page shows can change with the code (a new online service in the menus), so
    `migrate`, which every deployment runs, drops all kept pages."""
    assert portal.article.title in text("/")
    retitle_behind_the_cache(portal.article, "部署之后的标题")
    assert "部署之后的标题" not in text("/")

    call_command("migrate", verbosity=0)
    assert "部署之后的标题" in text("/")


def test_a_signed_in_user_never_receives_a_cached_page_nor_leaves_one(client, portal):
    assert "登录" in text("/")  # an anonymous copy is now kept

    login_staff(client, make_superuser())
    for _ in range(2):
        response = client.get("/")
        html = response.content.decode()
        assert "我的账号" in html and "退出" in html
        assert response.get("X-Page-Cache") != "hit"
        assert "private" in response.get("Cache-Control", "") or "no-cache" in response.get("Cache-Control", "")

    html = text(portal.article.url)
    assert "我的账号" not in html and "退出" not in html


@pytest.mark.parametrize("path", ["/letters/write/", "/cases/query/"])
def test_a_page_with_a_form_always_gets_a_fresh_csrf_token(portal, path):
    browser = Client(enforce_csrf_checks=True)
    first = browser.get(path)
    second = browser.get(path)
    assert first.status_code == second.status_code == 200
    tokens = [CSRF_INPUT.search(response.content.decode()).group(1) for response in (first, second)]
    assert tokens[0] != tokens[1]
    assert first.get("X-Page-Cache") is None and second.get("X-Page-Cache") is None
    other = Client(enforce_csrf_checks=True).get(path)
    assert CSRF_INPUT.search(other.content.decode()).group(1) not in tokens


def test_a_hit_carries_the_same_security_headers_and_answers_revalidation(portal):
    fresh = visit(portal.article.url)
    hit = visit(portal.article.url)
    assert hit.get("X-Page-Cache") == "hit"
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "ETag"):
        assert hit.get(header) == fresh.get(header), header
    assert "Set-Cookie" not in hit.headers
    not_modified = Client().get(portal.article.url, headers={"if-none-match": hit["ETag"]})
    assert not_modified.status_code == 304


def test_elder_mode_and_query_strings_are_kept_apart(portal):
    standard = text(portal.news.url)
    elder = Client()
    elder.cookies[DISPLAY_MODE_COOKIE] = "elder"
    assert elder.get(portal.news.url).content.decode() != standard
    assert text(portal.news.url) == standard
    # The mode switch links back to the address as asked, query string included.
    assert "page%3D1" in text(f"{portal.news.url}?page=1")
    assert "page%3D1" not in text(portal.news.url)


def test_making_a_section_private_in_the_admin_stops_serving_its_kept_pages(client, portal):
    column, article = portal.policy, portal.article
    for page in (column, article):
        assert article.title in text(page.url)
        assert visit(page.url).get("X-Page-Cache") == "hit"

    login_staff(client, make_superuser())
    response = client.post(f"/admin/pages/{column.pk}/privacy/", {"restriction_type": "login"})
    assert response.status_code == 200 and PageViewRestriction.objects.filter(page=column).exists()
    for page in (column, article):
        kept = visit(page.url)
        assert kept.status_code == 302 and kept["Location"].startswith("/accounts/login/?next="), page.url

    client.post(f"/admin/pages/{column.pk}/privacy/", {"restriction_type": "none"})
    assert not PageViewRestriction.objects.exists()
    for page in (column, article):
        assert article.title in text(page.url)


def test_a_new_media_account_changed_in_the_admin_shows_on_every_page_at_once(client, portal):
    account = NewMediaAccount.objects.create(platform="wechat", name="青山发布", qr_code=make_image("二维码"))
    PortalSettings.for_site(Site.objects.get(is_default_site=True)).save()  # shown from now on
    for path in ("/", portal.article.url):
        assert "青山发布" in text(path)

    login_staff(client, make_superuser())
    form = {"platform": "weibo", "name": "青山微政务", "qr_code": account.qr_code_id, "url": "", "sort_order": 1}
    response = client.post(f"/admin/snippets/home/newmediaaccount/edit/{account.pk}/", form)
    assert response.status_code == 302
    for path in ("/", portal.article.url):
        html = text(path)
        assert "青山微政务" in html and "青山发布" not in html, path

    response = client.post(f"/admin/snippets/home/newmediaaccount/delete/{account.pk}/")
    assert response.status_code == 302 and not NewMediaAccount.objects.exists()
    assert "青山微政务" not in text("/") and "政务新媒体" not in text("/")


def test_signed_in_pages_reuse_the_kept_footer_and_navigation_until_a_change_purges_them(client, portal):
    """Pages for a signed-in person are rendered afresh, but their site chrome (portal.chrome)
    comes from the shared store: changes behind it are not shown, changes through the product are."""
    login_staff(client, make_superuser())
    footer = client.get(portal.article.url).content.decode().split('class="site-footer"')[1]
    assert 'href="tel:12345"' in footer and portal.services.title in footer

    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    PortalSettings.objects.filter(pk=settings.pk).update(hotline="0571-1234567")
    ColumnPage.objects.filter(pk=portal.services.pk).update(title="未发布的栏目名")
    html = client.get(portal.news.url).content.decode()
    assert 'href="tel:12345"' in html and "未发布的栏目名" not in html, "the chrome was built again"

    settings.refresh_from_db()
    settings.save()
    html = client.get(portal.news.url).content.decode()
    assert 'href="tel:0571-1234567"' in html and "未发布的栏目名" in html
