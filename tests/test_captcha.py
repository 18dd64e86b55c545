"""The 图形验证码 every public form shares (portal/captcha.py): what it draws is what it expects,
a blind person can hear it, 「换一张」 and every error keep what was typed, an expired picture
is told apart from a wrong answer."""

import datetime
import io
import re
import wave
from array import array
from collections import Counter

import pytest
from captcha.models import CaptchaStore
from django.utils import timezone
from PIL import Image

from portal.captcha import spoken_challenge
from services.cases.forms import CaseQueryForm

from .accounts_builders import PASSWORD, sign_up
from .builders import captcha_answer, solve_captcha
from .captcha_reading import read_challenge
from .letters_support import build_world, letter_form

pytestmark = pytest.mark.django_db

HASHKEY = re.compile(r'name="captcha_0"[^>]*value="([0-9a-f]+)"')


def hashkey(html):
    return HASHKEY.search(html).group(1)


def test_five_hundred_pictures_each_expect_the_answer_to_the_sum_they_show():
    """Through the site's own configuration (the case-query form's field and the settings'
    challenge function): the text drawn, worked out by a person, is the stored answer."""
    seen = Counter()
    for _ in range(500):
        key = hashkey(str(CaseQueryForm()["captcha"]))
        store = CaptchaStore.objects.get(hashkey=key)
        answer = captcha_answer(store.challenge)  # what the picture shows, worked out
        assert answer == store.response, store.challenge
        assert 0 <= int(answer) <= 18
        seen["+" if "+" in store.challenge else "-"] += 1
    assert seen["+"] > 150 and seen["-"] > 150  # both kinds of sum are drawn


def test_the_picture_draws_the_challenge_clearly_enough_for_a_machine_to_read_it(client):
    """The image view draws exactly the stored challenge, clean enough that OCR reads nearly
    all of them (scripts/captcha_reading.py measures the rate over many more)."""
    read = 0
    for _ in range(30):
        key = hashkey(client.get("/cases/query/").content.decode())
        response = client.get(f"/captcha/image/{key}/")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(response.content)).size == (200, 64)
        read += read_challenge(response.content) == CaptchaStore.objects.get(hashkey=key).response
    assert read >= 26, read


def test_the_picture_has_a_chinese_alternative_that_states_the_task(client):
    html = client.get("/cases/query/").content.decode()
    alt = re.search(r'<img class="captcha-image"[^>]*alt="([^"]+)"', html).group(1)
    assert "图形验证码" in alt and "算式" in alt and "计算" in alt
    assert "captcha" not in alt.lower() and "字符" not in alt
    assert '<label for="id_captcha_1">图形验证码' in html


def test_the_audio_version_says_the_sum_in_words():
    assert spoken_challenge("12-5=?") == "十二减五等于几"
    assert spoken_challenge("7+9=?") == "七加九等于几"
    assert spoken_challenge("10-1=?") == "十减一等于几"


def test_the_audio_version_speaks_the_challenge(client):
    html = client.get("/cases/query/").content.decode()
    key = hashkey(html)
    html_audio = f"/captcha/audio/{key}.wav"
    assert f'<audio controls preload="none" src="{html_audio}"' in html
    response = client.get(html_audio)
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as sound:
        frames = sound.readframes(sound.getnframes())
        assert sound.getsampwidth() == 2 and sound.getnchannels() == 1
        assert len(frames) == sound.getnframes() * 2  # the header tells the real length
        seconds = sound.getnframes() / sound.getframerate()
    samples = array("h", frames)
    loud = sum(1 for sample in samples if abs(sample) > 1000)
    assert 4 < seconds < 20  # the question, the instruction and the question again
    assert loud > len(samples) / 10  # speech, not silence
    CaptchaStore.objects.filter(hashkey=key).update(expiration=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(html_audio).status_code == 410


# Every public form that asks for the 图形验证码: address, the typed fields, a check that they
# were kept in the page that comes back.
def letter_fields():
    world = build_world()
    fields = letter_form(world.county)
    fields.pop("captcha_0"), fields.pop("captcha_1")
    return fields


DOORS = {
    "letters": ("/letters/write/", letter_fields, "关于青石镇中心小学校车接送时间的咨询"),
    "case query": (
        "/cases/query/",
        lambda: {"case_number": "青山检刑受〔2026〕8号", "party_name": "李建国", "id_number": "990000198506120030"},
        "青山检刑受〔2026〕8号",
    ),
    "sign-up": (
        "/accounts/signup/",
        lambda: {"phone": "13912345678", "email": "li@example.cn", "password1": PASSWORD, "password2": PASSWORD},
        "li@example.cn",
    ),
    "password reset": ("/accounts/password/reset/", lambda: {"email": "li@example.cn"}, "li@example.cn"),
    "login by code": ("/accounts/login/code/", lambda: {"phone": "13912345678"}, "13912345678"),
}


@pytest.mark.parametrize("door", DOORS)
def test_refresh_without_javascript_keeps_what_was_typed_and_shows_no_error(client, door):
    url, fields, typed = DOORS[door]
    data = fields()
    page = client.get(url).content.decode()
    old_key = hashkey(page)
    assert 'name="captcha_refresh"' in page and "换一张" in page

    response = client.post(url, data | {"captcha_0": old_key, "captcha_1": "", "captcha_refresh": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert typed in html
    assert hashkey(html) != old_key
    assert "aria-invalid" not in html and "请填写" not in html and "不正确" not in html


def test_sign_up_keeps_the_passwords_when_only_the_captcha_was_wrong(client):
    page = client.get("/accounts/signup/").content.decode()
    answer = solve_captcha(page) | {"captcha_1": "99"}
    fields = {"phone": "13912345678", "password1": PASSWORD, "password2": PASSWORD}
    html = client.post("/accounts/signup/", fields | answer).content.decode()
    assert html.count(f'value="{PASSWORD}"') == 2
    mismatch = client.post("/accounts/signup/", fields | {"password2": "Other#2026x"} | solve_captcha(html))
    assert PASSWORD not in mismatch.content.decode() and "Other#2026x" not in mismatch.content.decode()


@pytest.mark.parametrize("door", DOORS)
def test_a_wrong_answer_is_refused_with_a_new_picture_and_the_typed_input_kept(client, door):
    url, fields, typed = DOORS[door]
    page = client.get(url).content.decode()
    answer = solve_captcha(page)
    answer["captcha_1"] = str(int(answer["captcha_1"]) + 1)
    html = client.post(url, fields() | answer).content.decode()
    assert "图形验证码的计算结果不正确，已换一张新的" in html
    assert typed in html
    assert hashkey(html) != answer["captcha_0"]


@pytest.mark.parametrize("door", DOORS)
def test_an_expired_picture_says_so_and_is_replaced(client, door):
    url, fields, typed = DOORS[door]
    answer = solve_captcha(client.get(url).content.decode())
    CaptchaStore.objects.filter(hashkey=answer["captcha_0"]).update(
        expiration=timezone.now() - datetime.timedelta(seconds=1)
    )
    html = client.post(url, fields() | answer).content.decode()
    assert "图形验证码已过期" in html and "已换一张新的" in html
    assert "计算结果不正确" not in html
    assert typed in html
    assert hashkey(html) != answer["captcha_0"]


def test_each_picture_answers_once(client):
    world = build_world()
    fields = letter_form(world.county)
    first = client.post("/letters/write/", fields)
    assert first.status_code == 302
    again = client.post("/letters/write/", fields).content.decode()
    assert "图形验证码已失效（已使用或超过30分钟未提交），已换一张新的" in again
    assert "图形验证码已过期" not in again


def test_refresh_without_javascript_voids_the_picture_it_replaces(client):
    world = build_world()
    fields = letter_form(world.county)
    refreshed = client.post("/letters/write/", fields | {"captcha_refresh": "1"}).content.decode()
    assert hashkey(refreshed) != fields["captcha_0"]
    again = client.post("/letters/write/", fields)
    assert again.status_code == 200
    assert "图形验证码已失效" in again.content.decode()


def test_refresh_by_script_voids_the_picture_it_replaces(client):
    world = build_world()
    fields = letter_form(world.county)
    fresh = client.get("/captcha/refresh/", {"replaces": fields["captcha_0"]}).json()
    assert fresh["key"] != fields["captcha_0"]
    again = client.post("/letters/write/", fields)
    assert again.status_code == 200
    assert "图形验证码已失效" in again.content.decode()


def test_the_login_form_refreshes_its_captcha_without_counting_a_failure(client, settings):
    sign_up(client, "13912345678")
    client.logout()
    for _ in range(settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER):
        client.post("/accounts/login/", {"login": "13912345678", "password": "wrong"})
    page = client.get("/accounts/login/").content.decode()
    key = hashkey(page)
    refreshed = client.post(
        "/accounts/login/",
        {"login": "13912345678", "password": PASSWORD, "captcha_0": key, "captcha_1": "", "captcha_refresh": "1"},
    ).content.decode()
    assert "13912345678" in refreshed and hashkey(refreshed) != key and "不正确" not in refreshed
    response = client.post(
        "/accounts/login/", {"login": "13912345678", "password": PASSWORD} | solve_captcha(refreshed)
    )
    assert response.status_code == 302


def test_the_refresh_address_hands_out_a_new_picture_and_its_audio(client):
    fresh = client.get("/captcha/refresh/").json()
    store = CaptchaStore.objects.get(hashkey=fresh["key"])
    assert fresh["image_url"] == f"/captcha/image/{store.hashkey}/"
    assert fresh["audio_url"] == f"/captcha/audio/{store.hashkey}.wav"
    assert client.get(fresh["image_url"]).status_code == 200
