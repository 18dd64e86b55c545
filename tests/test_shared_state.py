"""State that must hold across app servers (issue 11, finding 2) and request bodies refused
before they are read (finding 14), shown against two real gunicorn processes over HTTP."""

import re
import socket
import time

import pytest
from captcha.models import CaptchaStore

from .app_servers import AppServer, Browser
from .builders import enable_totp, make_superuser, totp_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ID_NUMBER = "11010519491231002X"


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    started = [AppServer(), AppServer()]
    try:
        yield [server.wait_until_ready() for server in started]
    finally:
        for server in started:
            server.stop()


def sign_in_with_code(browser, server, user, code):
    """Password, then the authenticator code; returns the code step's response."""
    response = browser.submit(server, "/accounts/login/", {"login": user.username, "password": user.raw_password})
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/2fa/authenticate/"
    return browser.submit(server, "/accounts/2fa/authenticate/", {"code": code})


def test_a_totp_code_is_accepted_once_whichever_server_receives_it(servers):
    first, second = servers
    staff = make_superuser()
    secret = enable_totp(staff)
    # Not the code right at a period's end: both sign-ins must fall in its accepted window.
    if 30 - time.time() % 30 < 5:
        time.sleep(6)
    code = totp_code(secret)

    owner = Browser()
    assert sign_in_with_code(owner, first, staff, code).status_code == 302
    assert owner.get(first, "/accounts/me/").status_code == 200

    # Someone who watched the code being typed replays it at the other server.
    replay = Browser()
    refused = sign_in_with_code(replay, second, staff, code)
    assert refused.status_code == 200
    assert replay.get(second, "/accounts/me/").status_code == 302


def query(browser, server):
    page = browser.get(server, "/cases/query/").text
    hashkey = re.search(r'name="captcha_0"[^>]*value="([0-9a-f]+)"|value="([0-9a-f]+)"[^>]*name="captcha_0"', page)
    hashkey = hashkey.group(1) or hashkey.group(2)
    answer = CaptchaStore.objects.get(hashkey=hashkey).response
    fields = {"case_number": "青山检刑受〔2026〕12号", "party_name": "李建国", "id_number": ID_NUMBER}
    return browser.post_form(server, "/cases/query/", page, fields | {"captcha_0": hashkey, "captcha_1": answer})


def test_the_case_query_limit_per_id_number_counts_on_every_server(servers):
    first, second = servers
    allowed = 10  # CASE_QUERY_RATE_LIMITS default: 10 per ID number and hour
    for attempt in range(allowed):
        server = first if attempt % 2 else second
        assert query(Browser(), server).status_code == 200
    assert query(Browser(), first).status_code == 429
    assert query(Browser(), second).status_code == 429


def test_an_oversized_upload_is_refused_before_its_body_is_sent(servers):
    """A 60 MB letter: the answer comes after the headers, without the server reading the body."""
    server = servers[0]
    size = 60 * 1024 * 1024
    head = (
        "POST /letters/write/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head.encode() + b"--x\r\n" + b"0" * 65536)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    answer = received.decode("utf-8", "replace")
    assert re.match(r"HTTP/1\.[01] 413 ", answer), answer[:200]
    assert "提交的内容（含附件）合计不能超过" in answer
