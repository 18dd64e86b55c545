"""Staff access (issue 11, findings 1, 3, 4, 5): wrong second-factor codes are limited per account,
every page of a staff member sits behind the second factor, password guessing locks an account
only from the guessing address (with growing pauses and alerts), and authenticator secrets are
stored encrypted with a key from the environment."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from services.accounts.models import LawyerProfile

from .accounts_builders import PASSWORD, sign_up
from .builders import STAFF_TEST_PASSWORD, enable_totp, login_staff, make_superuser, solve_captcha, totp_code

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PAUSED = "动态码错误次数过多"


def wrong_code(secret):
    """A six-digit code that none of the accepted periods' codes equals."""
    now = time.time()
    accepted = {totp_code(secret, at=now + shift) for shift in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


def password_step(client, user):
    response = client.post("/accounts/login/", {"login": user.username, "password": user.raw_password})
    assert response["Location"] == "/accounts/2fa/authenticate/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the alert e-mails are sent by the task worker
def test_wrong_totp_codes_pause_code_entry_for_the_account_and_alert_administrators(client, run_tasks, settings):
    admin = make_superuser()
    staff = make_superuser("chief", password="Chief#Staff2026")
    secret = enable_totp(staff)
    password_step(client, staff)
    for _ in range(settings.MFA_CODE_FAILURE_LIMIT - 1):
        response = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
        assert response.status_code == 200 and PAUSED not in response.content.decode()
    last = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert PAUSED in last.content.decode()

    # Now even the right code is refused, in this session and in any other (another attacker
    # session, another app server: the count is in the shared cache).
    refused = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert refused.status_code == 200 and PAUSED in refused.content.decode()
    other = Client(REMOTE_ADDR="192.0.2.90")
    password_step(other, staff)
    assert PAUSED in other.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).content.decode()
    assert other.get("/admin/").status_code == 302

    run_tasks()
    alerts = [m for m in mail.outbox if "动态码多次输入错误" in m.subject]
    # Once (not once per code), to every administrator: here the site administrator and the
    # attacked account itself, a superuser too.
    assert sorted(m.to[0] for m in alerts) == sorted([admin.email, staff.email])
    assert "chief" in alerts[0].body and "已经知道该账号的密码" in alerts[0].body


def test_the_reauthentication_code_is_limited_too(client, settings):
    staff = make_superuser()
    login_staff(client, staff)
    secret = enable_totp(staff)
    for _ in range(settings.MFA_CODE_FAILURE_LIMIT):
        response = client.post("/accounts/2fa/reauthenticate/", {"code": wrong_code(secret)})
    assert PAUSED in response.content.decode()
    assert PAUSED in client.post("/accounts/2fa/reauthenticate/", {"code": totp_code(secret)}).content.decode()


def test_a_right_code_clears_the_count_of_wrong_ones(client, settings):
    staff = make_superuser()
    secret = enable_totp(staff)
    password_step(client, staff)
    for _ in range(settings.MFA_CODE_FAILURE_LIMIT - 1):
        client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    client.logout()
    password_step(client, staff)
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong_code(secret)})
    assert PAUSED not in response.content.decode()


def lawyer_with_certificate():
    citizen = Client(REMOTE_ADDR="192.0.2.20")
    user = sign_up(citizen, "13912345678")
    citizen.post("/accounts/me/real-name/", {"real_name": "王律师", "id_number": "11010519491231002X"})
    scan = SimpleUploadedFile("zhizhengzheng.pdf", PDF, content_type="application/pdf")
    citizen.post(
        "/accounts/me/lawyer/",
        {"certificate_no": "13301201910123456", "law_firm": "青山县正义律师事务所", "certificate_scan": scan},
    )
    return LawyerProfile.objects.get(user=user)


def casemgr(**extra):
    from portal.roles import ensure_role_groups

    user = get_user_model().objects.create_user(username="casemgr", password="Case#Mgr2026", **extra)
    user.raw_password = "Case#Mgr2026"
    user.groups.add(ensure_role_groups()["casemgr"])
    return user


@pytest.mark.parametrize("is_staff", [True, False])
def test_staff_permission_views_outside_the_admin_need_the_second_factor(client, is_staff):
    """The certificate scan and the binding letters open only after the TOTP code, for staff and
    for anyone holding a staff permission, whatever the URL."""
    lawyer = lawyer_with_certificate()
    staff = casemgr(is_staff=is_staff)
    assert client.post("/accounts/login/", {"login": "casemgr", "password": staff.raw_password}).status_code == 302
    for url in (f"/accounts/lawyer/{lawyer.pk}/certificate/", "/cases/lawyer/999/letters/letter/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/", url

    # Set up on another device meanwhile: this password-only session is asked for a code.
    secret = enable_totp(staff)
    response = client.get(f"/accounts/lawyer/{lawyer.pk}/certificate/")
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    assert client.post(response["Location"], {"code": totp_code(secret)}).status_code == 302
    certificate = client.get(f"/accounts/lawyer/{lawyer.pk}/certificate/")
    assert certificate.status_code == 200 and b"".join(certificate.streaming_content) == PDF
    assert client.get("/cases/lawyer/999/letters/letter/").status_code == 404


def test_one_staff_permission_given_to_the_account_itself_asks_for_the_second_factor(client):
    """A permission granted straight to an account (not through a role group) makes it staff
    too: the certificate scan opens only after the TOTP code."""
    lawyer = lawyer_with_certificate()
    clerk = get_user_model().objects.create_user(username="clerk", password="Clerk#2026pw")
    assert client.post("/accounts/login/", {"login": "clerk", "password": "Clerk#2026pw"}).status_code == 302
    assert client.get("/accounts/me/").status_code == 200  # no permission yet: a citizen
    clerk.user_permissions.add(Permission.objects.get(codename="change_lawyerprofile"))
    response = client.get(f"/accounts/lawyer/{lawyer.pk}/certificate/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"


def test_citizens_and_lawyers_are_never_asked_for_a_second_factor(client):
    lawyer = lawyer_with_certificate()
    owner = Client(REMOTE_ADDR="192.0.2.20")
    owner.post("/accounts/login/", {"login": "13912345678", "password": PASSWORD})
    assert owner.get(f"/accounts/lawyer/{lawyer.pk}/certificate/").status_code == 200
    assert owner.get("/accounts/me/").status_code == 200


def test_authenticator_secrets_are_stored_encrypted_with_the_key_from_the_environment(client, settings):
    staff = make_superuser()
    client.post("/accounts/login/", {"login": staff.username, "password": staff.raw_password})
    response = client.get("/admin/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get(response["Location"], follow=True)
    if "reauthenticate" in page.request["PATH_INFO"]:
        page = client.post(page.request["PATH_INFO"], {"password": staff.raw_password}, follow=True)
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode()).group(1)
    assert client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}).status_code == 302
    assert client.get("/admin/").status_code == 200

    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator WHERE user_id = %s", [staff.pk])
        stored = " ".join(row[0] for row in cursor.fetchall())
    assert secret not in stored and "gAAAA" in stored

    # Rotation: a new key first, the old one kept after it; codes still work.
    settings.TOTP_ENCRYPTION_KEYS = ["a-new-totp-encryption-key-0123456789abcdef", *settings.TOTP_ENCRYPTION_KEYS]
    assert login_staff(Client(REMOTE_ADDR="192.0.2.33"), staff).get("/admin/").status_code == 200
    # Without the key that encrypted it, the secret cannot be read at all.
    settings.TOTP_ENCRYPTION_KEYS = ["a-new-totp-encryption-key-0123456789abcdef"]
    from services.accounts.second_factor import unseal

    with pytest.raises(Exception, match="TOTP_ENCRYPTION_KEY"):
        unseal(Authenticator.objects.get(user=staff, type="totp").data["secret"])


def fail_from(address, login, times):
    """Wrong passwords from one address, answering the captcha whenever the form asks for one."""
    client = Client(REMOTE_ADDR=address)
    credentials = {"login": login, "password": "wrong-password"}
    for _ in range(times):
        page = client.get("/accounts/login/").content.decode()
        response = client.post("/accounts/login/", credentials | solve_captcha(page))
        if "请填写图形验证码的计算结果。" in response.content.decode():
            response = client.post("/accounts/login/", credentials | solve_captcha(response.content.decode()))
    return response


def test_wrong_passwords_from_many_addresses_do_not_lock_the_owner_out(client, settings):
    """The attack in the issue: 5 wrong passwords from 5 addresses locked any account, staff too."""
    staff = make_superuser("managing", password="Managing#2026")
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail_from(f"198.51.100.{n + 1}", "managing", 1)
    login_staff(Client(REMOTE_ADDR="192.0.2.44"), staff)  # password (with captcha) and TOTP


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the alert e-mails are sent by the task worker
def test_one_address_is_paused_with_growing_delays_and_administrators_are_alerted(client, settings, run_tasks):
    admin = make_superuser()
    user = sign_up(Client(REMOTE_ADDR="192.0.2.21"), "13912345678")
    attacker = "198.51.100.7"
    locked = fail_from(attacker, "13912345678", settings.AXES_FAILURE_LIMIT)
    assert locked.status_code == 429
    assert f"请{settings.ACCOUNTS_LOCKOUT_MINUTES}分钟后再试" in locked.content.decode()
    again = fail_from(attacker, "13912345678", 1)
    assert f"请{settings.ACCOUNTS_LOCKOUT_MINUTES * 2}分钟后再试" in again.content.decode()
    again = fail_from(attacker, "13912345678", 1)
    assert f"请{settings.ACCOUNTS_LOCKOUT_MINUTES * 4}分钟后再试" in again.content.decode()
    # The right password from the attacker's address is refused too...
    blocked = Client(REMOTE_ADDR=attacker)
    page = blocked.get("/accounts/login/").content.decode()
    assert (
        blocked.post(
            "/accounts/login/", {"login": "13912345678", "password": PASSWORD} | solve_captcha(page)
        ).status_code
        == 429
    )
    # ...while the owner at home signs in (after a captcha).
    owner = Client(REMOTE_ADDR="192.0.2.21")
    page = owner.post("/accounts/login/", {"login": "13912345678", "password": PASSWORD}).content.decode()
    assert "请填写图形验证码的计算结果。" in page
    response = owner.post("/accounts/login/", {"login": "13912345678", "password": PASSWORD} | solve_captcha(page))
    assert response.status_code == 302

    run_tasks()
    alerts = [m for m in mail.outbox if "多次登录失败" in m.subject]
    assert len(alerts) == 1, [m.subject for m in mail.outbox]  # once, not once per failure
    assert alerts[0].to == [admin.email]
    assert attacker in alerts[0].body and "139****5678" in alerts[0].body and "13912345678" not in alerts[0].body
    assert user.username in alerts[0].subject


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the alert e-mails are sent by the task worker
def test_failures_against_one_account_from_many_addresses_alert_administrators(client, settings, run_tasks):
    admin = make_superuser()
    sign_up(Client(REMOTE_ADDR="192.0.2.22"), "13912345678")
    for n in range(settings.ACCOUNTS_ALERT_AFTER_FAILURES):
        fail_from(f"203.0.113.{n + 1}", "13912345678", 1)
    run_tasks()
    alerts = [m for m in mail.outbox if "被多次尝试登录" in m.subject]
    assert len(alerts) == 1 and alerts[0].to == [admin.email]
    assert f"来自 {settings.ACCOUNTS_ALERT_AFTER_FAILURES} 个网络地址" in alerts[0].body


def test_a_permission_granted_directly_also_counts_as_staff(client):
    user = get_user_model().objects.create_user(username="auditor", password="Auditor#2026x")
    user.user_permissions.add(Permission.objects.get(codename="verify_lawyer"))
    client.post("/accounts/login/", {"login": "auditor", "password": "Auditor#2026x"})
    assert client.get("/accounts/me/")["Location"] == "/accounts/2fa/totp/activate/"


def test_wagtail_s_own_sign_in_for_private_pages_is_no_second_door(client):
    """`/_util/login/` (Wagtail's password form for private pages) would sign staff in with a
    password alone, past the captcha and the second factor: it leads to the public sign-in."""
    response = client.get("/_util/login/?next=/zwgk/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fzwgk%2F"
    elsewhere = client.get("/_util/login/?next=https://evil.example/")
    assert elsewhere["Location"] == "/accounts/login/?next=%2F"
    user = make_superuser()
    response = client.post("/_util/login/", {"username": user.username, "password": STAFF_TEST_PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
