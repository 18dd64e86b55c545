"""`manage.py seed_demo` builds the whole demo site once; running it again changes nothing."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from home.demo.builders import counts
from home.models import ArticlePage, ColumnPage, DepartmentPage, InterpretationPage, LeaderPage, ServicePage, TopicPage

from .builders import totp_code

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_a_full_county_site_and_is_idempotent(client):
    first_output = seed()
    first = counts()
    assert seed() and counts() == first

    assert ColumnPage.objects.live().count() >= 8
    assert ArticlePage.objects.live().count() >= 60
    assert ArticlePage.objects.filter(cover_image__isnull=False).count() >= 10
    assert ArticlePage.objects.filter(attachments__isnull=False).distinct().count() >= 10
    assert "Demo#2026" not in first_output  # passwords appear only when DEBUG is on

    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    for column in ("政务公开", "政务动态", "互动交流", "在线办事", "案件信息公开"):
        assert column in html
    case_query = ServicePage.objects.get(slug="ajcx")
    assert 'href="/cases/query/"' in client.get(case_query.url).content.decode()
    assert not ServicePage.objects.filter(slug="zxyy").exists()  # nothing promised before it exists
    amended = ArticlePage.objects.live().filter(validity="amended").get()
    assert amended.current_version is not None and amended.current_version.validity == "valid"
    assert f'href="{amended.current_version.url}"' in client.get(amended.url).content.decode()

    # Issue 16: 解读 linked both ways in each form, the parts a county portal carries, footer marks.
    interpretations = InterpretationPage.objects.live()
    assert {page.form for page in interpretations} == {"text", "graphic", "qa"}
    for page in interpretations:
        assert page.index_no and page.policy.live
        assert f'href="{page.policy.url}"' in client.get(page.url).content.decode()
        assert f'href="{page.url}"' in client.get(page.policy.url).content.decode()
    for model, least in ((LeaderPage, 4), (DepartmentPage, 8), (TopicPage, 2)):
        assert model.objects.live().count() >= least
    response_column = ColumnPage.objects.get(kind="response")
    assert ArticlePage.objects.child_of(response_column).live().count() >= 2
    footer = html.split('class="site-footer"')[1]
    for label in ("网站地图", "网站声明", "隐私政策", "我为政府网站找错", "政务新媒体", "12345", "党政机关网站标识"):
        assert label in footer, label

    article = ArticlePage.objects.live().filter(attachments__isnull=False).first()
    page = client.get(article.url)
    assert page.status_code == 200
    assert article.attachments.first().document.url in page.content.decode()


def test_the_demo_administrator_can_sign_in_to_the_admin(client):
    """The first admin visit asks the demo administrator to set up TOTP, then lets them in."""
    seed()
    assert client.get("/admin/login/?next=/admin/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    response = client.post("/accounts/login/?next=/admin/", {"login": "admin", "password": "Demo#2026admin"})
    assert response.status_code == 302

    # Adding an authenticator asks for the password once more (allauth's reauthentication).
    response = client.get("/admin/", follow=True)
    assert [url for url, _status in response.redirect_chain] == [
        "/accounts/2fa/totp/activate/",
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    ]
    assert "工作人员进入管理后台必须启用双重验证" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": "Demo#2026admin"}, follow=True)
    html = response.content.decode()
    assert "扫描" in html
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
