"""Accounts reveal nothing about other people (issue 11, finding 12): sign-up does not say that an
e-mail address is registered, and the real-name form does not say that an ID number is; an ID
number claimed by several accounts goes to staff, who confirm the owner's claim."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from portal import sms
from portal.roles import ensure_role_groups
from services.accounts.models import Profile

from .accounts_builders import PASSWORD, sign_up
from .builders import login_staff, make_superuser, solve_captcha

ID_NUMBER = "11010519491231002X"
OWNER_PHONE, SQUATTER_PHONE = "13912345678", "13700001111"


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()


def signup_answer(client, phone, email):
    page = client.get("/accounts/signup/").content.decode()
    fields = {"phone": phone, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post("/accounts/signup/", fields | solve_captcha(page))


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # the notice to the address's owner is sent by the task worker
def test_sign_up_does_not_reveal_that_an_address_is_registered(run_tasks):
    staff = make_superuser("managing")
    fresh = signup_answer(Client(REMOTE_ADDR="192.0.2.40"), "13600000001", "new-person@example.cn")
    taken = signup_answer(Client(REMOTE_ADDR="192.0.2.41"), "13600000002", staff.email)
    assert (
        (taken.status_code, taken["Location"])
        == (fresh.status_code, fresh["Location"])
        == (302, "/accounts/phone/verify/")
    )

    newcomer = get_user_model().objects.get(phone="13600000002")
    assert newcomer.email == "" and not newcomer.emailaddress_set.exists()
    staff.refresh_from_db()
    assert staff.email == "managing@example.gov.cn"
    run_tasks()
    notice = [m for m in mail.outbox if m.to == [staff.email]]
    assert len(notice) == 1 and "有人尝试用您的邮箱注册账号" in notice[0].subject


@pytest.mark.django_db
def test_adding_a_registered_address_answers_as_for_any_address(client):
    staff = make_superuser("managing")
    sign_up(client, OWNER_PHONE)
    fresh = client.post("/accounts/email/", {"action_add": "", "email": "mine@example.cn"}, follow=True)
    taken = client.post("/accounts/email/", {"action_add": "", "email": staff.email}, follow=True)
    assert taken.status_code == fresh.status_code == 200
    for html in (fresh.content.decode(), taken.content.decode()):
        assert "已被" not in html and "already" not in html.lower()


def claim(client, name="张三", number=ID_NUMBER):
    return client.post("/accounts/me/real-name/", {"real_name": name, "id_number": number})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_id_number_claimed_first_by_someone_else_goes_to_staff_who_confirm_the_owner(run_tasks):
    resolver = get_user_model().objects.create_user(
        username="service", password="Service#2026x", email="service@example.gov.cn", is_staff=True
    )
    resolver.groups.add(ensure_role_groups()["service"])
    squatter, owner = Client(REMOTE_ADDR="192.0.2.50"), Client(REMOTE_ADDR="192.0.2.51")
    squatter_user = sign_up(squatter, SQUATTER_PHONE)
    owner_user = sign_up(owner, OWNER_PHONE)
    first = claim(squatter)
    second = claim(owner)  # the real owner comes second: same answer, nothing revealed
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    for person in (squatter, owner):
        facts = person.get("/accounts/me/").content.decode()
        assert "11*************02X" in facts and "已登记" in facts and "待核实" not in facts
    assert set(Profile.objects.values_list("status", flat=True)) == {"disputed"}

    run_tasks()
    assert [m.subject for m in mail.outbox if m.to == [resolver.email]] == ["【待核实】有身份证号被多个账号实名登记"]
    staff = login_staff(Client(REMOTE_ADDR="192.0.2.52"), resolver)
    listing = staff.get("/admin/accounts/real-names/").content.decode()
    assert squatter_user.username in listing and owner_user.username in listing and ID_NUMBER not in listing
    owner_claim = Profile.objects.get(user=owner_user)
    refused = staff.post(
        f"/admin/accounts/real-names/{owner_claim.pk}/", {"action": "confirm", "reason": ""}, follow=True
    )
    assert "请填写核实情况。" in refused.content.decode()
    staff.post(
        f"/admin/accounts/real-names/{owner_claim.pk}/",
        {"action": "confirm", "reason": "本人携带身份证到政务服务中心核验。"},
    )
    assert list(Profile.objects.values_list("user", "status")) == [(owner_user.pk, "confirmed")]
    assert "已核实" in owner.get("/accounts/me/").content.decode()
    assert "尚未实名登记" in squatter.get("/accounts/me/").content.decode()
    run_tasks()
    told = [m.text for m in sms.outbox if m.phone == SQUATTER_PHONE]
    assert any("已被撤销" in text and "本人携带身份证到政务服务中心核验。" in text for text in told)


@pytest.mark.django_db
def test_only_resolvers_see_the_disputes(client):
    editor = get_user_model().objects.create_user(username="editor", is_staff=True)
    editor.groups.add(ensure_role_groups()["editor"])
    login_staff(client, editor)
    response = client.get("/admin/accounts/real-names/", follow=True)
    assert response.status_code == 403 or "没有权限" in response.content.decode()


@pytest.mark.django_db
def test_id_numbers_cannot_be_tried_in_bulk(client, settings):
    sign_up(client, OWNER_PHONE)
    numbers = ["11010519491231002X", "110105194912310038", "110105194912310046", "110105194912310054"]
    numbers += ["110105194912310062", "110105194912310011"]
    answers = [claim(client, number=number) for number in numbers[: settings.ACCOUNTS_REAL_NAME_SAVES_PER_DAY + 1]]
    assert all(answer.status_code == 302 for answer in answers[:-1])
    assert "今天修改实名信息的次数已达上限" in answers[-1].content.decode()
    assert "11*************062" in client.get("/accounts/me/").content.decode()  # the last one saved
