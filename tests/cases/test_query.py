"""案件程序性信息查询 (acceptance 2, party path): a party with the right case number, name and
ID number sees the timeline; every mismatch gets the same generic answer; restricted cases
are never shown; attempts are rate-limited; PostgreSQL answers when Elasticsearch is down."""

import re

import pytest
from django.test import override_settings

from services.cases.models import Case

from ..builders import solve_captcha
from .builders import OTHER_ID, SUSPECT_ID, VICTIM_ID, case_record, id_number

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NUMBER = "青山检刑受〔2026〕12号"
JUVENILE_NUMBER = "青山检未受〔2026〕2号"
JUVENILE_ID = id_number("99000020100101002")
NOT_FOUND = "未查询到相关案件"


@pytest.fixture
def cases(import_file, indexed):
    import_file(
        case_record(NUMBER),
        case_record(
            JUVENILE_NUMBER,
            juvenile=True,
            parties=[{"name": "钱小明", "role": "犯罪嫌疑人", "id_number": JUVENILE_ID}],
        ),
    )
    indexed()


def ask(client, number=NUMBER, name="李建国", id_no=SUSPECT_ID, captcha=None, **extra):
    """Fill in the query form as a person does, reading the captcha the page shows."""
    answer = solve_captcha(client.get("/cases/query/").content.decode())
    if captcha is not None:
        answer["captcha_1"] = captcha
    data = {"case_number": number, "party_name": name, "id_number": id_no, **answer}
    return client.post("/cases/query/", data, **extra)


def result_block(response):
    """The answer region of the page (the form around it carries a fresh captcha each time)."""
    html = response.content.decode()
    return re.search(
        r'<div id="case-query-result".*?</div>\s*(?=<p class="case-query-again">|<form)', html, re.S
    ).group(0)


def status_section(block):
    return re.search(r'<section class="case-status".*?</section>', block, re.S).group(0)


def test_the_query_page_offers_the_form_with_a_captcha(client):
    response = client.get("/cases/query/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "案件程序性信息查询" in html
    for field in ("case_number", "party_name", "id_number", "captcha_1"):
        assert f'name="{field}"' in html
    assert "/captcha/image/" in html


def test_a_party_with_the_right_data_sees_the_timeline_from_elasticsearch(client, cases):
    response = ask(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert NOT_FOUND not in html
    assert "数据库直接查询" not in html  # answered by Elasticsearch
    block = result_block(response)
    for text in ("盗窃罪", "2026年3月2日", "2026年4月1日", "第一检察部", "审查起诉", "取保候审", "受理", "审查"):
        assert text in block
    assert block.index("2026-03-02") < block.index("2026-03-03")
    # No party data on the page, not even the ID number just typed in.
    assert SUSPECT_ID not in html and "王秀英" not in html


def test_the_case_number_may_be_typed_with_other_brackets_and_spaces(client, cases):
    for typed in ("青山检刑受[2026]12号", "青山检刑受（2026）12号", " 青山检刑受 〔2026〕 12号 "):
        assert "盗窃罪" in result_block(ask(client, number=typed))


def test_the_victim_may_query_but_a_witness_may_not(client, cases):
    assert "盗窃罪" in result_block(ask(client, name="王秀英", id_no=VICTIM_ID))
    assert NOT_FOUND in result_block(ask(client, name="陈证", id_no=OTHER_ID))


def test_every_mismatch_gives_the_identical_generic_answer(client, cases):
    answers = [
        ask(client, name="李建军"),  # wrong name
        ask(client, id_no=VICTIM_ID),  # wrong ID number (someone else's, valid)
        ask(client, number="青山检刑受〔2026〕99号"),  # unknown number
        ask(client, number=JUVENILE_NUMBER, name="钱小明", id_no=JUVENILE_ID),  # restricted case, right data
    ]
    blocks = {result_block(response) for response in answers}
    assert len(blocks) == 1
    assert NOT_FOUND in blocks.pop()
    assert {response.status_code for response in answers} == {200}


def test_a_juvenile_case_is_never_shown_even_from_the_database(client, cases):
    assert Case.objects.filter(case_number=JUVENILE_NUMBER).exists()
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = ask(client, number=JUVENILE_NUMBER, name="钱小明", id_no=JUVENILE_ID)
    assert NOT_FOUND in result_block(response)


def test_the_query_falls_back_to_postgresql_when_elasticsearch_is_down(client, cases):
    expected = result_block(ask(client))
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = ask(client)
        wrong = ask(client, name="李建军")
    assert response.status_code == 200
    degraded = result_block(response)
    assert "数据库直接查询" in degraded
    assert status_section(degraded) == status_section(expected)  # same answer, field for field
    assert NOT_FOUND in result_block(wrong)


def test_a_wrong_captcha_or_malformed_id_number_is_refused_before_any_lookup(client, cases):
    wrong_captcha = ask(client, captcha="WRONG").content.decode()
    assert "图形验证码的计算结果不正确" in wrong_captcha and "盗窃罪" not in wrong_captcha
    malformed = ask(client, id_no="12345").content.decode()
    assert "身份证号应为18位" in malformed and "盗窃罪" not in malformed


@override_settings(CASE_QUERY_RATE_LIMITS={"person": (3, 3600), "address": (100, 3600)})
def test_attempts_are_limited_per_person(client, cases):
    for _ in range(3):
        assert ask(client, name="李建军").status_code == 200
    limited = ask(client)  # even the right data, once the person's attempts are used up
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode() and "盗窃罪" not in limited.content.decode()
    # Another person from the same address is not affected.
    assert "盗窃罪" in result_block(ask(client, name="王秀英", id_no=VICTIM_ID))


@override_settings(CASE_QUERY_RATE_LIMITS={"person": (2, 3600), "person_everywhere": (5, 3600)})
def test_strangers_elsewhere_cannot_lock_the_party_out_but_spread_guessing_is_capped(client, cases):
    for address in ("10.0.0.1", "10.0.0.2"):
        for _ in range(2):
            assert ask(client, number="青山检刑受〔2026〕99号", REMOTE_ADDR=address).status_code == 200
    assert ask(client, number="青山检刑受〔2026〕99号", REMOTE_ADDR="10.0.0.1").status_code == 429
    # The party, from their own address, still gets the answer.
    assert "盗窃罪" in result_block(ask(client, REMOTE_ADDR="10.0.0.3"))
    # Guessing spread over ever new addresses meets the ceiling for the ID number.
    assert ask(client, number="青山检刑受〔2026〕98号", REMOTE_ADDR="10.0.0.4").status_code == 429


@override_settings(CASE_QUERY_RATE_LIMITS={"person": (100, 3600), "address": (2, 3600)})
def test_attempts_are_limited_per_address(client, cases):
    assert ask(client, name="李建军", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert ask(client, name="王秀英", id_no=VICTIM_ID, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert ask(client, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert "盗窃罪" in result_block(ask(client, REMOTE_ADDR="10.0.0.2"))


@override_settings(CASE_QUERY_RATE_LIMITS={"person": (100, 3600), "address": (1, 3600)}, TRUSTED_PROXY_COUNT=1)
def test_behind_the_reverse_proxy_the_forwarded_address_is_limited(client, cases):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert ask(client, HTTP_X_FORWARDED_FOR="10.0.0.1", **proxy).status_code == 200
    # A client cannot escape its limit by writing its own X-Forwarded-For entry.
    assert ask(client, HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.1", **proxy).status_code == 429
    assert "盗窃罪" in result_block(ask(client, HTTP_X_FORWARDED_FOR="10.0.0.2", **proxy))
