"""Build test data through the product's own paths: Wagtail's page tree API and
publishing through revisions, exactly as an editor's save-and-publish does."""

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from home.models import ArticlePage, ColumnPage, HomePage, ServicePage


@dataclass
class Portal:
    home: HomePage
    news: ColumnPage
    policy: ColumnPage
    services: ColumnPage
    article: ArticlePage
    guide: ArticlePage


def publish(page, user=None):
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()
    return page


def add_page(parent, page, user=None):
    parent.add_child(instance=page)
    return publish(page, user)


def build_portal():
    """A small county site: home, a news column, a disclosure column, a service column."""
    # Transactional tests flush the tables that Wagtail's migrations filled; put them back.
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    for child in root.get_children():
        child.delete()
    home = add_page(root, HomePage(title="青山县人民政府", slug="home"))
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="青山县人民政府")

    section = add_page(
        home, ColumnPage(title="政务公开", slug="zwgk", kind=ColumnPage.Kind.SECTION, show_in_menus=True)
    )
    policy = add_page(
        section,
        ColumnPage(title="政策文件", slug="zcwj", kind=ColumnPage.Kind.POLICY, is_disclosure=True, is_sensitive=True),
    )
    news = add_page(home, ColumnPage(title="政务动态", slug="zwdt", kind=ColumnPage.Kind.NEWS, show_in_menus=True))
    services = add_page(
        home, ColumnPage(title="在线办事", slug="zxbs", kind=ColumnPage.Kind.GENERAL, show_in_menus=True)
    )
    add_page(
        home,
        ServicePage(title="领导信箱", slug="ldxx", intro="给县长写信，反映问题、提出建议。", service="letters.write"),
    )

    article = add_page(
        policy,
        ArticlePage(
            title="青山县人民政府关于印发2026年民生实事项目的通知",
            slug="minsheng-2026",
            summary="确定2026年十件民生实事项目。",
            body="<p>各乡镇人民政府，县政府各部门：现将2026年民生实事项目印发给你们，请认真组织实施。</p>",
            source="县政府办公室",
            collector="李晓明",
            document_no="青政发〔2026〕3号",
            issuing_body="青山县人民政府",
            topic="general",
        ),
    )
    guide = add_page(
        services,
        ArticlePage(
            title="不动产登记办事指南",
            slug="bdcdj",
            summary="不动产首次登记、转移登记的办理条件、材料和流程。",
            body="<p>申请人持身份证明、不动产权属来源证明材料到县政务服务中心不动产窗口办理。</p>",
            source="县自然资源和规划局",
            collector="王芳",
        ),
    )
    add_page(
        news,
        ArticlePage(
            title="县委常委会召开会议研究部署秋冬季森林防火工作",
            slug="senlin-fanghuo",
            summary="会议要求压实责任，严防森林火灾。",
            body="<p>会议强调，各乡镇要落实网格化管理，加强野外用火管控。</p>",
            source="县融媒体中心",
            collector="赵敏",
        ),
    )
    return Portal(home=home, news=news, policy=policy, services=services, article=article, guide=guide)


def migrate(targets):
    """Bring the test database to these migrations (the leaf nodes: all of them); returns the
    historical apps registry of that state, as a migration sees it."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def add_section(home, title, slug, services_section):
    """A top-level column in the menu that lists the online services of `services_section`."""
    column = ColumnPage(
        title=title, slug=slug, kind=ColumnPage.Kind.SECTION, services_section=services_section, show_in_menus=True
    )
    return add_page(home, column)


def add_catalogue(portal):
    """The 信息公开目录 column, beside 政策文件 under 政务公开."""
    section = portal.policy.get_parent().specific
    column = ColumnPage(title="信息公开目录", slug="xxgkml", kind=ColumnPage.Kind.CATALOGUE, is_disclosure=True)
    return add_page(section, column)


def make_superuser(username="admin", password="Test#Admin2026"):
    user = get_user_model().objects.create_superuser(
        username=username, email=f"{username}@example.gov.cn", password=password
    )
    user.raw_password = password
    return user


STAFF_TEST_PASSWORD = "Test#Staff2026"  # noqa: S105


def solve_captcha(html):
    """Read the captcha a page shows, as a person reads the picture: its answer is stored
    server-side under the hash key in the form."""
    from captcha.models import CaptchaStore

    match = re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="captcha_0"', html)
    if not match:
        return {}
    hashkey = match.group(1) or match.group(2)
    return {"captcha_0": hashkey, "captcha_1": CaptchaStore.objects.get(hashkey=hashkey).response}


def totp_code(secret, at=None):
    """The 6-digit code an authenticator app shows for `secret` now."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(at or time.time()) // app_settings.TOTP_PERIOD))


def enable_totp(user):
    """Give `user` an authenticator app (allauth's own activation API); returns its secret."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return get_adapter().decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


# Staff sessions opened by login_staff in the running test (cleared between tests).
_staff_sessions = {}


def forget_staff_sessions():
    _staff_sessions.clear()


def login_staff(client, user):
    """Sign a staff member in for admin views the way staff do: the login form (answering the
    captcha if it asks for one), then the TOTP code of their authenticator app. Every test that
    acts in the admin goes through here, so the way staff authenticate can change in one place."""
    # Whoever was signed in on this client before: as if in a fresh browser.
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    session_key = _staff_sessions.get(user.pk)
    if session_key and Session.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).exists():
        # Already signed in during this test: a second tab of the same browser session.
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        return client
    password = getattr(user, "raw_password", None)
    if password is None:
        user.set_password(STAFF_TEST_PASSWORD)
        user.save(update_fields=["password"])
        password = user.raw_password = STAFF_TEST_PASSWORD
    secret = enable_totp(user)
    credentials = {"login": user.get_username(), "password": password}
    page = client.get("/accounts/login/")
    response = client.post("/accounts/login/", credentials | solve_captcha(page.content.decode()))
    if response.status_code == 200 and solve_captcha(response.content.decode()):
        # The account failed to sign in before: the form asks for a captcha once it knows the login.
        response = client.post("/accounts/login/", credentials | solve_captcha(response.content.decode()))
    assert response.status_code == 302, f"login refused for {user.get_username()}"
    # A code is accepted once. The codes of the neighbouring periods are accepted too
    # (MFA_TOTP_TOLERANCE), so repeated sign-ins in one test rarely wait for a new period.
    for attempt, offset in enumerate((0, 30, -30, 30)):
        if attempt == 3:  # all three neighbouring codes used: the next period brings a new one
            time.sleep(seconds_to_next_totp_code() + 0.1)
        at = time.time() + offset
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret, at=at)})
        if response.status_code == 302:
            _staff_sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
            return client
    raise AssertionError(f"TOTP step refused for {user.get_username()}")


def seconds_to_next_totp_code():
    from allauth.mfa import app_settings

    return app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
