"""Chinese wording of the account pages: the project's catalogue overrides machine-translated
package strings, and one word names one concept (图形验证码 is the picture, 短信验证码 the text)."""

import gettext
import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from .accounts_builders import PASSWORD, sign_up
from .builders import solve_captcha
from .letters_support import build_world, letter_form

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
MACHINE_WORDING = ["代码", "你的密码", "电话验证", "登出", "Email", "token", "请求码", ">或电子邮箱<"]


def po_entries(domain="django"):
    """(context, msgid, msgstr) of every entry of the project's .po file of `domain`."""
    text = (CATALOGUE / f"{domain}.po").read_text(encoding="utf-8")

    def joined(block, key):
        match = re.search(rf'^{key} ((?:".*"\n?)+)', block, re.M)
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))) if match else None

    for block in text.split("\n\n"):
        msgid = joined(block, "msgid")
        if msgid:
            msgstr = joined(block, "msgstr") or joined(block, r"msgstr\[0\]")
            yield joined(block, "msgctxt"), msgid, msgstr


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_file_matches_the_po_file(domain):
    with (CATALOGUE / f"{domain}.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = list(po_entries(domain))
    assert len(entries) > 20
    for context, msgid, msgstr in entries:
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
        found = catalogue.pgettext(context, unescaped) if context else catalogue.gettext(unescaped)
        assert found == expected, f"{domain}.mo is stale for {msgid!r}: run msgfmt (see README)"


@pytest.mark.parametrize(
    "url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/login/code/"]
)
def test_account_pages_read_as_written_in_chinese(client, url):
    html = client.get(url).content.decode()
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
    for phrase in MACHINE_WORDING:
        assert phrase not in (html if phrase.startswith(">") else text), phrase
    if 'name="captcha_1"' in html:
        assert '<label for="id_captcha_1">图形验证码' in html


def test_the_signed_in_pages_and_messages_use_the_same_words(client):
    sign_up(client, "13912345678")
    for url in ("/accounts/me/", "/accounts/phone/change/", "/accounts/password/change/", "/accounts/2fa/"):
        html = client.get(url, follow=True).content.decode()
        text = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
        for phrase in MACHINE_WORDING:
            assert phrase not in (html if phrase.startswith(">") else text), (url, phrase)


def test_every_password_rule_is_explained_in_chinese(client):
    page = client.get("/accounts/signup/").content.decode()
    for password, message in [
        ("Ab1#", "密码太短，至少需要 10 个字符。"),
        ("1234567890", "密码不能全是数字"),
        ("password123", "这个密码太常见"),
    ]:
        fields = {"phone": "13912345678", "password1": password, "password2": password}
        html = client.post("/accounts/signup/", fields | solve_captcha(page)).content.decode()
        errors = " ".join(re.findall(r'class="field-error"[^>]*>(.*?)</div>', html, re.S))
        assert message in errors, (password, errors)
        assert not re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", "", errors)), errors
        page = html


def field_errors(html):
    return " ".join(
        re.sub(r"<[^>]+>", "", error) for error in re.findall(r'class="field-error"[^>]*>(.*?)</div>', html, re.S)
    )


def test_the_letter_form_explains_a_stray_character_and_an_overlong_answer_in_plain_chinese(client):
    world = build_world()
    fields = letter_form(world.county, writer_name="张三\x00丰", address="青石镇" * 106)
    html = client.post("/letters/write/", fields).content.decode()
    errors = field_errors(html)
    assert "填写的内容含有不允许的字符" in errors, errors
    assert "最多填写100个字，目前318个字。" in errors, errors
    assert "空字符串" not in html and "确保该变量" not in html


def test_sign_up_asks_for_a_valid_e_mail_address_in_plain_chinese(client):
    page = client.get("/accounts/signup/").content.decode()
    fields = {"phone": "13912345678", "email": "li-at-example.cn", "password1": PASSWORD, "password2": PASSWORD}
    html = client.post("/accounts/signup/", fields | solve_captcha(page)).content.decode()
    assert "请输入有效的电子邮箱地址。" in field_errors(html)
    assert "Email" not in html


def test_a_wrong_current_password_is_called_wrong(client):
    sign_up(client, "13912345678")
    html = client.post(
        "/accounts/password/change/",
        {"oldpassword": "Wrong#2026pass", "password1": "New#Pass2026x", "password2": "New#Pass2026x"},
    ).content.decode()
    assert "当前密码不正确" in field_errors(html)
    assert "请输入您的当前密码" not in html


def test_a_tampered_booking_form_names_its_hidden_field_in_chinese(client):
    from .appointments.support import at, book_through_page, signed_in
    from .appointments.support import build_world as build_appointments

    with time_machine.travel(at("2026-09-29 08:00")):
        world = build_appointments()
        response = book_through_page(
            signed_in(client, world.citizen), "bdcdj", "202609300900", idempotency_key="x" * 65
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Idempotency" not in html and "idempotency_key" not in re.sub(r"<[^>]+>", "", html)
    assert "页面信息已失效" in html
