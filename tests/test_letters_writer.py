"""The letter writer's side: a signed-in person finds their details filled in, and a lost
查询密码 is texted again only to the verified phone the letter was written with, without the
page telling anyone whether a letter exists or whether a message was sent."""

import re

import pytest
from django.test import Client

from portal import sms
from services.accounts.workflow import save_real_name
from services.letters.models import LetterEvent

from .accounts_builders import sign_up
from .builders import solve_captcha
from .letters_support import build_world, write_letter

pytestmark = pytest.mark.django_db

SENT = "如果信件编号和手机号码与来信时填写的一致，且这个手机号码是来信人登录后验证过的"


def test_a_signed_in_writer_finds_name_and_contact_filled_in(client):
    build_world()
    user = sign_up(client, "13912345678", email="wang@example.cn")
    save_real_name(user, "王小明", "11010519491231002X")
    html = client.get("/letters/write/").content.decode()
    assert re.search(r'name="writer_name" value="王小明"', html)
    assert re.search(r'name="phone" value="13912345678"', html)
    assert re.search(r'name="email" value="wang@example.cn"', html)
    assert 'name="id_number" value' not in html  # never echoed, only typed
    assert 'name="writer_name" value' not in Client().get("/letters/write/").content.decode()


def ask_again(client, tracking_no, phone):
    page = client.get("/letters/password/").content.decode()
    return client.post("/letters/password/", {"tracking_no": tracking_no, "phone": phone} | solve_captcha(page))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the task worker commits
def test_a_lost_query_password_is_texted_again_to_the_writers_verified_phone(run_tasks):
    world = build_world()
    writer = Client()
    sign_up(writer, "13812345678")
    letter, tracking_no, old_password = write_letter(writer, world.county, phone="13812345678")
    run_tasks()
    sms.outbox.clear()
    assert "/letters/password/" in Client().get("/letters/track/").content.decode()
    assert "已验证的手机号码" in Client().get("/letters/password/").content.decode()

    response = ask_again(Client(), tracking_no, "13812345678")
    assert SENT in response.content.decode()
    run_tasks()
    [text] = [m.text for m in sms.outbox if m.phone == "13812345678"]
    new_password = re.search(r"新查询密码是([A-Z0-9]{8})", text).group(1)
    assert new_password not in response.content.decode()

    tracker = Client()
    refused = tracker.post("/letters/track/", {"tracking_no": tracking_no, "password": old_password})
    assert refused.status_code == 200 and "letters/track/" not in refused.get("Location", "")
    assert tracker.post("/letters/track/", {"tracking_no": tracking_no, "password": new_password}).status_code == 302
    event = LetterEvent.objects.get(letter=letter, action="password_reissued")
    assert "138****5678" in event.comment and "13812345678" not in event.comment


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the task worker commits
def test_a_phone_nobody_verified_is_never_sent_a_password_and_the_old_one_stays(run_tasks):
    world = build_world()
    letter, tracking_no, old_password = write_letter(Client(), world.county, phone="13800138000")
    stranger = Client()
    sign_up(stranger, "13900139000")
    _other, other_no, other_password = write_letter(stranger, world.county, phone="13800138001")
    run_tasks()
    sms.outbox.clear()
    verified = Client()
    sign_up(verified, "13700137000")
    _mine, my_no, _my_password = write_letter(verified, world.county, phone="13700137000")
    run_tasks()
    sms.outbox.clear()

    answers = [
        ask_again(Client(), number, phone).content.decode()
        for number, phone in [(tracking_no, "13800138000"), (other_no, "13800138001"), (my_no, "13700137000")]
    ]
    run_tasks()
    assert [m.phone for m in sms.outbox] == ["13700137000"]
    assert answers[0] == answers[1] == answers[2]
    assert not LetterEvent.objects.filter(letter=letter, action="password_reissued").exists()
    for number, password in [(tracking_no, old_password), (other_no, other_password)]:
        assert Client().post("/letters/track/", {"tracking_no": number, "password": password}).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the task worker commits
def test_a_wrong_phone_or_number_gets_the_same_answer_and_texts_nobody(run_tasks):
    world = build_world()
    _letter, tracking_no, _password = write_letter(Client(), world.county, phone="13812345678")
    run_tasks()
    sms.outbox.clear()
    for number, phone in [(tracking_no, "13900000000"), ("2099010199999", "13812345678")]:
        assert SENT in ask_again(Client(), number, phone).content.decode()
    run_tasks()
    assert sms.outbox == []


def test_asking_again_is_limited_per_letter(run_tasks, settings):
    settings.LETTERS_REISSUE_PER_LETTER = 2
    world = build_world()
    _letter, tracking_no, _password = write_letter(Client(), world.county, phone="13812345678")
    for _ in range(2):
        assert ask_again(Client(), tracking_no, "13812345678").status_code == 200
    limited = ask_again(Client(), tracking_no, "13812345678")
    assert limited.status_code == 429 and "次数已用完" in limited.content.decode()


def test_the_form_keeps_what_was_typed_and_explains_mistakes(client):
    build_world()
    page = client.get("/letters/password/").content.decode()
    html = client.post("/letters/password/", {"tracking_no": "2026", "phone": "1381"} | solve_captcha(page))
    html = html.content.decode()
    assert "请输入正确的11位手机号码。" in html and 'value="2026"' in html and 'value="1381"' in html
