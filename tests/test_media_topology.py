"""Public media in the production topology (issue 10, with issue 12 item 3): nginx with the
repository's configuration (deploy/nginx/) in front of gunicorn running the production settings.
A live article's picture and attachment answer 200 with long cache headers, sent by nginx after
Django's check; an unpublished upload answers 404; static files come from nginx."""

import contextlib
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from home.models import ArticleAttachment, ArticlePage
from home.review import submit_for_review

from .builders import login_staff
from .review_builders import build_review_site

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(settings.BASE_DIR)
NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
NGINX_PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"  # Debian's package
PRODUCTION_STATIC = ROOT / "var" / f"test-static-production{os.environ.get('PYTEST_XDIST_WORKER', '')}"
PRODUCTION_SECRET_KEY = "topology-test-secret-key"
ATTACHMENT = b"%PDF-1.4\n% the notice as reviewed\n%%EOF\n"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(**extra):
    db = connection.settings_dict
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": PRODUCTION_SECRET_KEY,
        "PII_HASH_KEY": "topology-test-pii-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "ELASTICSEARCH_URL": settings.ELASTICSEARCH_URL,
        "SEARCH_INDEX_PREFIX": settings.SEARCH_INDEX_PREFIX,
        "TASKS_BACKEND": "database",
        "TRUSTED_PROXY_COUNT": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "STATIC_ROOT": str(PRODUCTION_STATIC),
        "MEDIA_ACCEL_REDIRECT_PREFIX": "/_media/",
        # What production refuses to start without (portal.checks): a shared cache, keeping to
        # this run's keys, and real delivery settings (nothing is sent by these tests).
        "CACHE_URL": settings.CACHE_URL,
        "PAGE_CACHE_KEY_PREFIX": settings.CACHES["pages"].get("KEY_PREFIX", ""),
        "TOTP_ENCRYPTION_KEY": "topology-test-totp-key-0123456789",
        "WAGTAILADMIN_BASE_URL": "https://www.example.gov.cn",
        "EMAIL_HOST": "smtp.example.gov.cn",
        "SMS_API_URL": "https://sms.example.gov.cn/send",
        "SMS_API_TOKEN": "topology-test-token",
    }
    return {**env, **extra}


@pytest.fixture(scope="module")
def collected_static():
    """`collectstatic` as the README's production steps run it (hashed, compressed names)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=production_env(DATABASE_URL=""),
        check=True,
    )
    return PRODUCTION_STATIC


def nginx_config(directory, port, app_port, static_root, purge_port=None):
    """The repository's configuration, moved to test paths and ports: plain HTTP on one port (TLS
    and the port-80 redirect are left out), MEDIA_ROOT and STATIC_ROOT of this run, the page cache
    in the test directory and its purge listener on `purge_port`."""
    media = (ROOT / "deploy/nginx/portal-media.conf").read_text()
    media = media.replace("/srv/portal/var/media/", f"{settings.MEDIA_ROOT}/")
    media = media.replace("/srv/portal/var/static/", f"{static_root}/")
    (directory / "portal-media.conf").write_text(media)
    site = (ROOT / "deploy/nginx/portal.conf").read_text()
    site = re.sub(r"server \{[^{}]*return 301[^{}]*\}", "", site)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{port};", site)
    site = re.sub(r"\n\s*(listen \[::\]:443[^\n]*|ssl_[^\n]*)", "", site)
    site = site.replace("include snippets/portal-media.conf;", f"include {directory}/portal-media.conf;")
    site = site.replace("/var/cache/nginx/portal ", f"{directory}/pages ")
    site = site.replace("listen 127.0.0.1:8081;", f"listen 127.0.0.1:{purge_port or free_port()};")
    (directory / "portal.conf").write_text(site)
    temp = {name: directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read MEDIA_ROOT (files 0640)
    (directory / "nginx.conf").write_text(
        f"load_module {NGINX_PURGE_MODULE};\n"
        f"{user}daemon off;\npid {directory}/nginx.pid;\nerror_log {directory}/error.log;\n"
        "events {}\n"
        "http {\n"
        "  include /etc/nginx/mime.types;\n"
        f"  access_log {directory}/access.log;\n"
        f"  client_body_temp_path {temp['body']}; proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']}; uwsgi_temp_path {temp['uwsgi']}; scgi_temp_path {temp['scgi']};\n"
        f"  include {directory}/portal.conf;\n"
        "}\n"
    )
    return directory / "nginx.conf"


def wait_for(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{process.args[0]} exited with {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=10):  # noqa: S310 (a local http URL)
                return
        except (urllib.error.URLError, OSError):  # not listening yet, or its workers still booting
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def get(url, **headers):
    """(status, headers, body) of a GET, errors included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:  # noqa: S310 (a local http URL)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextlib.contextmanager
def running_topology(directory, static_root, purge_port=None, **env):
    """gunicorn (production settings, `env` added) behind nginx; yields nginx's base URL."""
    assert Path(NGINX).exists(), f"nginx missing at {NGINX} (scripts/services.sh nginx installs it)"
    app_port, port = free_port(), free_port()
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "portal.wsgi",
            *("--bind", f"127.0.0.1:{app_port}", "--workers", "2", "--graceful-timeout", "5"),
            "--no-control-socket",  # gunicorn's default control socket is one per machine
        ],
        cwd=ROOT,
        env=production_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=(directory / "gunicorn.log").open("w"),
    )
    config = nginx_config(directory, port, app_port, static_root, purge_port)
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(directory)], stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz", gunicorn)
        wait_for(f"http://127.0.0.1:{port}/healthz", nginx)
        yield f"http://127.0.0.1:{port}"
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(directory / "proxy", ignore_errors=True)


@pytest.fixture
def topology(tmp_path, collected_static):
    with running_topology(tmp_path, collected_static) as url:
        yield url


def picture(title, colour):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (400, 240), colour).save(buffer, "PNG")
    image = get_image_model()(title=title, collection=Collection.get_first_root_node())
    image.file = ImageFile(ContentFile(buffer.getvalue()), name="topology.png")
    image._set_image_file_metadata()
    image.save()
    return image


def published_article(site, image, document):
    """An article with a cover picture and an attachment, through the three levels of review."""
    article = ArticlePage(
        title="县政府关于做好冬季供暖工作的通知",
        slug="winter-heating",
        body="<p>各乡镇、各部门要做好冬季供暖保障工作。</p>",
        source="县政府办公室",
        collector="李晓明",
        collected_on=timezone.localdate(),
        cover_image=image,
        live=False,
    )
    article.attachments = [ArticleAttachment(document=document, title="通知正文")]
    site.portal.news.add_child(instance=article)
    submit_for_review(article, site.users["editor"])
    for reviewer in ("managing", "chief"):
        state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
        state.task.specific.on_action(state, site.users[reviewer], "approve", comment="同意")
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    return article


def test_a_live_articles_picture_and_attachment_are_served_by_nginx_and_nothing_else_is(topology):
    site = build_review_site()
    document = get_document_model()(title="冬季供暖通知正文", collection=Collection.get_first_root_node())
    document.file = ContentFile(ATTACHMENT, name="heating.pdf")
    document._set_document_file_metadata()
    document.save()
    article = published_article(site, picture("供暖现场", "#1d4e89"), document)
    unpublished = picture("未发布的照片", "#aa0000")

    status, _headers, page = get(topology + article.url)
    assert status == 200
    html = page.decode()
    [src] = re.findall(r'<img[^>]*src="(/media/[^"]+)"', html)
    status, headers, body = get(topology + src)
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert headers["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_MAX_AGE}"
    assert "X-Accel-Redirect" not in headers
    assert body == (Path(settings.MEDIA_ROOT) / src.removeprefix("/media/")).read_bytes()

    status, headers, body = get(topology + document.url)
    assert status == 200 and body == ATTACHMENT
    assert document.filename in headers["Content-Disposition"]
    assert headers["Cache-Control"] == f"public, max-age={settings.MEDIA_CACHE_MAX_AGE}"

    for url in (
        unpublished.file.url,
        unpublished.get_rendition("max-165x165").url,
        document.file.url,  # documents only through /documents/
        "/_media/" + unpublished.file.name,  # the internal location is not reachable from outside
    ):
        assert get(topology + url)[0] == 404, url

    [stylesheet] = re.findall(r'<link[^>]*href="(/static/[^"]+\.css)"', html)[:1]
    status, headers, _body = get(topology + stylesheet)
    assert status == 200 and headers["Cache-Control"] == "max-age=31536000"


def test_staff_see_the_pictures_of_the_admin_s_image_library_before_any_page_shows_them(topology):
    """Under the production settings, behind nginx, the admin's image library shows its thumbnails
    to the staff member signed in (password + authenticator), and to nobody else."""
    site = build_review_site()
    picture("未发布的照片", "#aa0000")
    with override_settings(SECRET_KEY=PRODUCTION_SECRET_KEY):  # the session is the production server's
        client = login_staff(Client(), site.users["editor"])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    status, _headers, listing = get(topology + "/admin/images/", Cookie=cookie)
    assert status == 200
    thumbnails = re.findall(r'<img[^>]*src="(/media/images/[^"]+)"', listing.decode())
    assert thumbnails
    for src in thumbnails:
        status, headers, body = get(topology + src, Cookie=cookie)
        assert status == 200 and headers["Content-Type"] == "image/png", src
        assert headers["Cache-Control"] == "private, no-store"
        assert body == (Path(settings.MEDIA_ROOT) / src.removeprefix("/media/")).read_bytes()
        assert get(topology + src)[0] == 404, src
