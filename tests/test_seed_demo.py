"""`manage.py seed_demo` builds the whole demo site once; running it again changes nothing."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from home.demo.builders import counts
from home.models import ArticlePage, ColumnPage, ServicePage

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
    assert "工作人员账号必须启用双重验证" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {"password": "Demo#2026admin"}, follow=True)
    html = response.content.decode()
    assert "扫描" in html
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
