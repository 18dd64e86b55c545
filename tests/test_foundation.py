"""The foundation: real PostgreSQL, the public site skeleton, health checks, deployment settings."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from home.models import ArticlePage

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_overrides):
    skip = {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db
def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def test_home_page_shows_every_top_level_column(client, portal):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("政务公开", "政务动态", "在线办事"):
        assert title in html
    assert portal.article.title in html  # policy block lists the newest policy document


def test_column_page_lists_its_articles_and_article_shows_disclosure_metadata(client, portal):
    column = client.get(portal.policy.url)
    assert column.status_code == 200
    assert portal.article.title in column.content.decode()

    article = client.get(portal.article.url)
    html = article.content.decode()
    assert article.status_code == 200
    assert "青政发〔2026〕3号" in html
    assert portal.article.index_no and portal.article.index_no in html
    assert "县政府办公室" in html  # 信息来源 is public
    assert "李晓明" not in html  # 采集人 is an internal editorial record


def test_pages_carry_breadcrumb_navigation_and_footer_identity(client, portal):
    html = client.get(portal.article.url).content.decode()
    assert 'aria-label="面包屑导航"' in html or "breadcrumb" in html
    assert "网站标识码" in html
    assert "无障碍" in html


def test_disclosed_article_gets_one_system_index_number_kept_across_revisions(portal):
    article = ArticlePage.objects.get(pk=portal.article.pk)
    first = article.index_no
    assert first.endswith("-00001")
    article.title = "青山县人民政府关于印发2026年民生实事项目的通知（修订）"
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.index_no == first
    old_revision = article.revisions.order_by("created_at").first()
    old_revision.publish()
    article.refresh_from_db()
    assert article.index_no == first
    assert ArticlePage.objects.get(pk=portal.guide.pk).index_no == ""  # not a disclosure column


def test_unknown_address_gets_a_chinese_404_page(client, portal):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_age_friendly_mode_switches_without_javascript(client, portal):
    response = client.get("/display-mode/", {"mode": "elder", "next": portal.news.url})
    assert response.status_code == 302 and response["Location"] == portal.news.url
    assert 'class="elder-mode' in client.get(portal.news.url).content.decode()
    client.get("/display-mode/", {"mode": "standard", "next": "https://evil.example/"})
    assert 'class="elder-mode' not in client.get(portal.news.url).content.decode()


@pytest.mark.django_db
def test_healthz_reports_database_and_elasticsearch(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["search"]["backend"] == "elasticsearch"
    assert body["search"]["status"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable():
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(r.status_code, json.dumps(r.json()))"
    )
    env = {k: v for k, v in os.environ.items()}
    env.update(DATABASE_URL="postgres://nobody:wrong@127.0.0.1:1/none", DJANGO_SETTINGS_MODULE="portal.settings.test")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    status, _, body = result.stdout.strip().partition(" ")
    assert status == "503", result.stderr
    assert '"database": {"status": "down"' in body


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"DJANGO_SETTINGS_MODULE": "portal.settings.production"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_server_errors_get_a_standalone_chinese_page(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'lang="zh-CN"' in html and "系统" in html
