"""Public accounts: sign-up with captcha and SMS code, login, lockout and unlock, password
reset, real-name profile, lawyer verification, account deletion, and the staff second factor."""

import logging
import os
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal import sms
from portal.pii import pii_hash
from services.accounts import workflow
from services.accounts.models import LawyerProfile, Profile

from .accounts_builders import PASSWORD, last_sms_code, sign_up
from .builders import enable_totp, login_staff, make_superuser, solve_captcha, totp_code

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"  # valid check character
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


MOBILE_NUMBER = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER_PATTERN = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")


class KeepLogs(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


def capture_logs():
    handler = KeepLogs()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    return handler, lambda: (root.removeHandler(handler), root.setLevel(old_level))


@pytest.fixture(scope="module", autouse=True)
def no_mobile_or_id_number_in_any_log_line():
    """Every log line written while this module runs, at every level, is free of anything
    shaped like a mobile or ID number."""
    handler, stop = capture_logs()
    yield
    stop()
    assert handler.lines
    leaks = [line for line in handler.lines if MOBILE_NUMBER.search(line) or ID_NUMBER_PATTERN.search(line)]
    assert not leaks, leaks[:5]


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.outbox.clear()


@pytest.fixture
def all_logs():
    """Every log record emitted while the test runs, formatted (the suite runs -p no:logging)."""
    handler, stop = capture_logs()
    yield handler.lines
    stop()


def casemgr(username="casemgr"):
    from portal.roles import ensure_role_groups

    groups = ensure_role_groups()
    user = get_user_model().objects.create_user(username=username, password="Case#Mgr2026", is_staff=True)
    user.raw_password = "Case#Mgr2026"
    user.groups.add(groups["casemgr"])
    return user


def test_sign_up_needs_the_captcha_and_the_texted_code(client):
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="captcha_1"' in page and "图形验证码：" in page and "换一张" in page
    fields = {"phone": PHONE, "password1": PASSWORD, "password2": PASSWORD}

    wrong = client.post("/accounts/signup/", fields | solve_captcha(page) | {"captcha_1": "999"})
    assert "图形验证码的计算结果不正确" in wrong.content.decode()
    assert not get_user_model().objects.filter(phone=PHONE).exists()

    bad_phone = client.post("/accounts/signup/", fields | {"phone": "1391234"} | solve_captcha(wrong.content.decode()))
    assert "请输入正确的11位手机号码。" in bad_phone.content.decode()

    user = sign_up(client, PHONE)
    assert user.phone_verified
    assert "您的验证码是" in sms.outbox[0].text
    assert client.get("/accounts/me/").status_code == 200


def test_a_wrong_sms_code_does_not_verify_the_phone(client):
    page = client.get("/accounts/signup/").content.decode()
    client.post(
        "/accounts/signup/",
        {"phone": PHONE, "password1": PASSWORD, "password2": PASSWORD} | solve_captcha(page),
    )
    code = last_sms_code(PHONE)
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    response = client.post("/accounts/phone/verify/", {"code": wrong})
    assert response.status_code == 200
    assert not get_user_model().objects.get(phone=PHONE).phone_verified


def test_citizens_sign_in_by_phone_or_email(client):
    sign_up(client, PHONE, email="zhang@example.cn")
    client.logout()
    for login in (PHONE, "+86 139-1234-5678", "zhang@example.cn"):
        response = client.post("/accounts/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302, login
        assert client.get("/accounts/me/").status_code == 200
        client.logout()
    refused = client.post("/accounts/login/", {"login": PHONE, "password": "wrong-password"})
    assert refused.status_code == 200
    assert "不正确" in refused.content.decode()


def fail_login(client, login, times):
    for _ in range(times):
        page = client.get("/accounts/login/").content.decode()
        response = client.post("/accounts/login/", {"login": login, "password": "wrong"} | solve_captcha(page))
    return response


def test_repeated_failures_ask_for_a_captcha_then_lock_the_account_until_staff_unlock_it(client):
    user = sign_up(client, PHONE)
    client.logout()

    assert 'name="captcha_1"' not in client.get("/accounts/login/").content.decode()
    fail_login(client, PHONE, settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER)
    page = client.get("/accounts/login/").content.decode()
    assert 'name="captcha_1"' in page
    no_captcha = client.post("/accounts/login/", {"login": PHONE, "password": PASSWORD})
    assert "请填写图形验证码的计算结果。" in no_captcha.content.decode()

    locked = fail_login(client, PHONE, settings.AXES_FAILURE_LIMIT)
    assert locked.status_code == 429
    assert "登录已被暂时锁定" in locked.content.decode()
    # The right password does not help from this address...
    page = client.get("/accounts/login/").content.decode()
    right = client.post("/accounts/login/", {"login": PHONE, "password": PASSWORD} | solve_captcha(page))
    assert right.status_code == 429
    # ...but the owner elsewhere is only asked for a captcha, not locked out.
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    asked = elsewhere.post("/accounts/login/", {"login": PHONE, "password": PASSWORD}).content.decode()
    assert "请填写图形验证码的计算结果。" in asked  # the account has failed before, whatever the address
    credentials = {"login": PHONE, "password": PASSWORD} | solve_captcha(asked)
    assert elsewhere.post("/accounts/login/", credentials).status_code == 302

    admin_client = login_staff(Client(REMOTE_ADDR="192.0.2.50"), make_superuser())
    listing = admin_client.get("/admin/accounts/lockouts/").content.decode()
    assert user.username in listing and "139****5678" in listing and PHONE not in listing
    for pk in re.findall(r"/admin/accounts/lockouts/(\d+)/unlock/", listing):
        assert admin_client.post(f"/admin/accounts/lockouts/{pk}/unlock/").status_code == 302
    page = client.get("/accounts/login/").content.decode()
    assert (
        client.post("/accounts/login/", {"login": PHONE, "password": PASSWORD} | solve_captcha(page)).status_code == 302
    )
    entry = ModelLogEntry.objects.get(action="accounts.unlock", object_id=str(user.pk))
    assert entry.user.username == "admin"


def test_unlocking_needs_the_permission(client):
    staff = casemgr()
    login_staff(client, staff)
    response = client.get("/admin/accounts/lockouts/", follow=True)
    assert "没有权限" in response.content.decode() or response.status_code == 403
    assert "解除锁定" not in response.content.decode()


def test_password_reset_by_email_code(client):
    sign_up(client, PHONE, email="li@example.cn")
    client.logout()
    page = client.get("/accounts/password/reset/").content.decode()
    assert 'name="captcha_1"' in page
    sent = len(mail.outbox)
    wrong = client.post("/accounts/password/reset/", {"email": "li@example.cn", "captcha_0": "x", "captcha_1": "1"})
    assert wrong.status_code == 200 and len(mail.outbox) == sent

    response = client.post("/accounts/password/reset/", {"email": "li@example.cn"} | solve_captcha(page))
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4,}(?:-[A-Z0-9]+)?)\s*$", mail.outbox[-1].body, re.M).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    new_password = "Qingshan#2027new"
    response = client.post(response["Location"], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    client.logout()
    assert client.post("/accounts/login/", {"login": PHONE, "password": new_password}).status_code == 302


def test_password_reset_by_texted_code_for_a_phone_only_account(client):
    sign_up(client, PHONE)
    client.logout()
    reset_page = client.get("/accounts/password/reset/").content.decode()
    url = re.search(r'href="(/accounts/login/code/\?next=[^"]+)"', reset_page).group(1)
    page = client.get(url).content.decode()
    response = client.post(url, {"phone": PHONE} | solve_captcha(page))
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": last_sms_code(PHONE)})
    assert response["Location"] == "/accounts/me/new-password/"
    new_password = "Qingshan#2027sms"
    response = client.post("/accounts/me/new-password/", {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    client.logout()
    assert client.post("/accounts/login/", {"login": PHONE, "password": new_password}).status_code == 302


def test_a_password_login_cannot_set_a_new_password_without_the_old_one(client):
    sign_up(client, PHONE)
    client.logout()
    client.post("/accounts/login/", {"login": PHONE, "password": PASSWORD})
    response = client.post(
        "/accounts/me/new-password/", {"new_password1": "X#12345678ab", "new_password2": "X#12345678ab"}
    )
    assert response["Location"] == "/accounts/password/change/"
    client.logout()
    assert client.post("/accounts/login/", {"login": PHONE, "password": PASSWORD}).status_code == 302


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("110105194912310021", "身份证号校验位不正确，请核对后重新输入。"),
        ("11010519491231002", "身份证号应为18位。"),
        ("1101051949123100211", "身份证号应为18位。"),
    ],
)
def test_the_real_name_form_explains_a_wrong_id_number(client, id_number, message):
    sign_up(client, PHONE)
    response = client.post("/accounts/me/real-name/", {"real_name": "张三", "id_number": id_number})
    assert message in response.content.decode()
    assert not Profile.objects.exists()


def test_a_valid_id_number_is_kept_only_as_a_keyed_hash_and_a_mask(client):
    user = sign_up(client, PHONE)
    response = client.post("/accounts/me/real-name/", {"real_name": "张三", "id_number": ID_NUMBER.lower()})
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.id_number_hash == pii_hash(ID_NUMBER)
    assert profile.id_number_masked == "11*************02X"


def apply_as_lawyer(client, scan=None):
    client.post("/accounts/me/real-name/", {"real_name": "王律师", "id_number": ID_NUMBER})
    scan = scan or SimpleUploadedFile("zhizhengzheng.pdf", PDF, content_type="application/pdf")
    return client.post(
        "/accounts/me/lawyer/",
        {"certificate_no": "13301201910123456", "law_firm": "青山县正义律师事务所", "certificate_scan": scan},
    )


def test_certificate_uploads_are_checked_and_kept_private(client):
    user = sign_up(client, PHONE)
    fake = SimpleUploadedFile("scan.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    assert "只能上传PDF、JPG或PNG格式的文件。" in apply_as_lawyer(client, fake).content.decode()
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * settings.ACCOUNTS_CERTIFICATE_MAX_BYTES)
    assert "文件不能超过" in apply_as_lawyer(client, big).content.decode()
    assert not LawyerProfile.objects.exists()

    assert apply_as_lawyer(client).status_code == 302
    lawyer = LawyerProfile.objects.get(user=user)
    path = lawyer.certificate_scan.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))
    assert b"".join(client.get(f"/accounts/lawyer/{lawyer.pk}/certificate/").streaming_content) == PDF
    stranger = Client()
    sign_up(stranger, "13700001111")
    assert stranger.get(f"/accounts/lawyer/{lawyer.pk}/certificate/").status_code == 404
    assert Client().get(f"/accounts/lawyer/{lawyer.pk}/certificate/").status_code == 302


def test_case_management_staff_verify_a_lawyer(client):
    user = sign_up(client, PHONE)
    apply_as_lawyer(client)
    lawyer = LawyerProfile.objects.get(user=user)
    assert lawyer.status == "pending" and not workflow.is_verified_lawyer(user)
    assert 'href="/cases/lawyer/"' not in client.get("/accounts/me/lawyer/").content.decode()

    staff = Client(REMOTE_ADDR="192.0.2.60")
    login_staff(staff, casemgr())
    assert "13301201910123456" in staff.get("/admin/accounts/lawyers/").content.decode()
    detail = staff.get(f"/admin/accounts/lawyers/{lawyer.pk}/")
    assert detail.status_code == 200
    assert staff.get(f"/accounts/lawyer/{lawyer.pk}/certificate/").status_code == 200
    assert staff.post(f"/admin/accounts/lawyers/{lawyer.pk}/", {"action": "verify"}).status_code == 302

    lawyer.refresh_from_db()
    assert lawyer.status == "verified" and workflow.is_verified_lawyer(user)
    assert user.groups.filter(name="律师").exists()
    assert [e.action for e in lawyer.events.all()] == ["submitted", "verified"]
    page = client.get("/accounts/me/lawyer/").content.decode()
    assert "已认证" in page and 'href="/cases/lawyer/"' in page


def test_a_rejected_lawyer_sees_the_reason_and_may_apply_again(client):
    user = sign_up(client, PHONE)
    apply_as_lawyer(client)
    lawyer = LawyerProfile.objects.get(user=user)
    staff = Client(REMOTE_ADDR="192.0.2.61")
    login_staff(staff, casemgr())

    staff.post(f"/admin/accounts/lawyers/{lawyer.pk}/", {"action": "reject", "reason": ""})
    lawyer.refresh_from_db()
    assert lawyer.status == "pending"
    staff.post(f"/admin/accounts/lawyers/{lawyer.pk}/", {"action": "reject", "reason": "扫描件不清晰，请重新上传。"})
    lawyer.refresh_from_db()
    assert lawyer.status == "rejected" and not workflow.is_verified_lawyer(user)

    page = client.get("/accounts/me/lawyer/").content.decode()
    assert "未通过" in page and "扫描件不清晰，请重新上传。" in page and "重新提交认证申请" in page
    assert apply_as_lawyer(client).status_code == 302
    lawyer.refresh_from_db()
    assert lawyer.status == "pending"


def test_only_case_management_may_review_lawyers(client):
    user = sign_up(client, PHONE)
    apply_as_lawyer(client)
    lawyer = LawyerProfile.objects.get(user=user)
    editor = get_user_model().objects.create_user(username="editor", is_staff=True)
    staff = Client(REMOTE_ADDR="192.0.2.62")
    login_staff(staff, editor)
    assert staff.post(f"/admin/accounts/lawyers/{lawyer.pk}/", {"action": "verify"}).status_code in (302, 403)
    assert staff.get(f"/accounts/lawyer/{lawyer.pk}/certificate/").status_code == 404
    lawyer.refresh_from_db()
    assert lawyer.status == "pending"


def test_no_page_and_no_log_line_shows_a_full_id_number_or_phone(client, all_logs):
    user = sign_up(client, PHONE, email="zhao@example.cn")
    apply_as_lawyer(client)
    fail_login(Client(), PHONE, 2)
    lawyer = LawyerProfile.objects.get(user=user)
    pages = [
        "/accounts/me/",
        "/accounts/me/real-name/",
        "/accounts/me/lawyer/",
        "/accounts/me/delete/",
        "/accounts/email/",
        "/accounts/phone/change/",
        "/accounts/password/change/",
        "/accounts/2fa/",
    ]
    seen = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        seen.append(response.content.decode())
    assert "139****5678" in seen[0] and "11*************02X" in seen[0]

    staff = Client(REMOTE_ADDR="192.0.2.63")
    login_staff(staff, casemgr())
    for url in ("/admin/accounts/lawyers/", f"/admin/accounts/lawyers/{lawyer.pk}/"):
        response = staff.get(url)
        assert response.status_code == 200, url
        seen.append(response.content.decode())
    admin = Client(REMOTE_ADDR="192.0.2.64")
    login_staff(admin, make_superuser())
    for url in (reverse("wagtailusers_users:edit", args=[user.pk]), "/admin/users/", "/admin/accounts/lockouts/"):
        response = admin.get(url)
        assert response.status_code == 200, url
        seen.append(response.content.decode())

    for html in seen:
        assert PHONE not in html and ID_NUMBER not in html
    from axes.models import AccessAttempt, AccessLog

    kept_by_axes = [str(row) for model in (AccessAttempt, AccessLog) for row in model.objects.values()]
    assert kept_by_axes and not any(PHONE in row for row in kept_by_axes)
    assert all_logs, "the log capture saw nothing"
    for line in all_logs:
        assert PHONE not in line and ID_NUMBER not in line, line


def test_a_person_can_delete_their_account(client, django_capture_on_commit_callbacks):
    user = sign_up(client, PHONE, email="qian@example.cn")
    apply_as_lawyer(client)
    scan_path = LawyerProfile.objects.get(user=user).certificate_scan.path
    assert "密码不正确。" in client.post("/accounts/me/delete/", {"password": "nope"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/me/delete/", {"password": PASSWORD}).status_code == 302

    user.refresh_from_db()
    assert not user.is_active and user.phone is None and user.email == "" and user.username == f"deleted-{user.pk}"
    assert not Profile.objects.filter(user=user).exists() and not LawyerProfile.objects.filter(user=user).exists()
    assert not os.path.exists(scan_path)
    assert client.post("/accounts/login/", {"login": PHONE, "password": PASSWORD}).status_code == 200


def test_staff_reach_the_admin_only_with_a_second_factor(client):
    staff = make_superuser()
    assert client.post("/accounts/login/", {"login": staff.username, "password": staff.raw_password}).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"

    secret = enable_totp(staff)
    response = client.get("/admin/pages/")
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    response = client.post(response["Location"], {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_signing_in_with_totp_set_up_asks_for_the_code(client):
    staff = make_superuser()
    secret = enable_totp(staff)
    response = client.post("/accounts/login/?next=/admin/", {"login": staff.username, "password": staff.raw_password})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not signed in yet
    assert (
        client.post(
            "/accounts/2fa/authenticate/", {"code": "000000" if totp_code(secret) != "000000" else "111111"}
        ).status_code
        == 200
    )
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_citizens_are_not_asked_for_a_second_factor(client):
    sign_up(client, PHONE)
    assert client.get("/accounts/me/").status_code == 200
    assert client.get("/admin/").status_code == 302


def test_sms_codes_are_rate_limited(client):
    page = client.get("/accounts/signup/").content.decode()
    client.post(
        "/accounts/signup/", {"phone": PHONE, "password1": PASSWORD, "password2": PASSWORD} | solve_captcha(page)
    )
    assert len(sms.outbox) == 1
    response = client.post("/accounts/phone/verify/", {"action": "resend"})
    assert len(sms.outbox) == 1
    assert response.status_code in (200, 302, 429)


def test_a_citizen_changes_their_phone_number_with_a_texted_code(client):
    user = sign_up(client, PHONE)
    new_phone = "18600001234"
    response = client.post("/accounts/phone/change/", {"phone": new_phone})
    assert response.status_code == 302
    response = client.post(response["Location"], {"code": last_sms_code(new_phone)})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.phone == new_phone and user.phone_verified
    assert "186****1234" in client.get("/accounts/me/").content.decode()


def test_signing_up_with_a_taken_phone_creates_no_second_account(client):
    sign_up(client, PHONE)
    cache.clear()  # a minute later: the number may be texted again
    other = Client(REMOTE_ADDR="192.0.2.70")
    fields = {"phone": PHONE, "password1": PASSWORD, "password2": PASSWORD}
    page = other.get("/accounts/signup/").content.decode()
    other.post("/accounts/signup/", fields | solve_captcha(page))
    assert get_user_model().objects.filter(phone=PHONE).count() == 1
    assert "该号码已注册" in sms.outbox[-1].text

    # Within the minute, the number is not texted again; the form comes back with what was
    # typed and says when to try again.
    third = Client(REMOTE_ADDR="192.0.2.71")
    page = third.get("/accounts/signup/").content.decode()
    response = third.post("/accounts/signup/", fields | {"email": "li@example.cn"} | solve_captcha(page))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"该手机号码刚收到过短信验证码，为防止骚扰，请在\d+秒后重新提交", html)
    assert f'value="{PHONE}"' in html and 'value="li@example.cn"' in html
    assert len([m for m in sms.outbox if m.phone == PHONE]) == 2


def test_only_verified_lawyers_pass_the_lawyer_guard(client, rf):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.http import HttpResponse

    from services.accounts.decorators import verified_lawyer_required

    view = verified_lawyer_required(lambda request: HttpResponse("ok"))
    user = sign_up(client, PHONE)
    apply_as_lawyer(client)

    def call():
        request = rf.get("/cases/bind/")
        request.user = user
        request.session = client.session
        request._messages = FallbackStorage(request)
        return view(request)

    assert call()["Location"] == "/accounts/me/lawyer/"
    workflow.verify_lawyer(LawyerProfile.objects.get(user=user), make_superuser())
    assert call().content == b"ok"


def test_a_forged_forwarded_address_does_not_dodge_the_address_limit(client, settings):
    settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT = 5
    for number in range(settings.ACCOUNTS_ADDRESS_FAILURE_LIMIT):
        page = client.get("/accounts/login/").content.decode()
        client.post(
            "/accounts/login/",
            {"login": f"nobody{number}@example.cn", "password": "wrong"} | solve_captcha(page),
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}",
        )
    page = client.get("/accounts/login/").content.decode()
    response = client.post(
        "/accounts/login/",
        {"login": "someone-else@example.cn", "password": "wrong"} | solve_captcha(page),
        HTTP_X_FORWARDED_FOR="1.2.3.99",
    )
    assert "您所在网络地址的登录失败次数过多，已暂停登录" in response.content.decode()


def test_too_many_sign_ups_from_one_address_keep_what_was_typed_and_say_when_to_retry(client, settings):
    settings.ACCOUNTS_SIGNUP_RATE_LIMIT = "1/m/ip"
    page = client.get("/accounts/signup/").content.decode()
    fields = {"phone": PHONE, "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/signup/", fields | solve_captcha(page)).status_code == 302
    client.logout()

    other = {"phone": "18600001234", "email": "wang@example.cn", "password1": PASSWORD, "password2": PASSWORD}
    page = client.get("/accounts/signup/").content.decode()
    response = client.post("/accounts/signup/", other | solve_captcha(page))
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"本网络提交注册的次数过多，请在\d+秒后重新提交", html)
    assert 'value="18600001234"' in html and 'value="wang@example.cn"' in html
    assert not get_user_model().objects.filter(phone="18600001234").exists()
