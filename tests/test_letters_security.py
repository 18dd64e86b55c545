"""领导信箱 against an attacker (issue 11, findings 6–11): the writer's identity stays where the
rules allow it, only the handling role handles, the tracking door and the writing form give
nothing away and cannot be turned against writers or phone owners, and personal pages are
neither kept by the browser nor by the kiosk's next user."""

import io

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from openpyxl import load_workbook

from portal.models import Department
from services.letters.models import Letter, Mailbox, Status

from .accounts_builders import sign_up
from .builders import make_superuser
from .letters_support import act, build_world, letter_form, make_user, staff, write_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


def draft(user, letter, text="经核实，已妥善处理。"):
    assignment = letter.assignments.get(current=True)
    return staff(user).post(f"/admin/letters/{letter.pk}/draft/{assignment.pk}/", {"text": text}, follow=True)


def signed_in_writer(client, phone="13911112222", name="张明"):
    user = sign_up(client, phone)
    user.display_name, user.username = name, f"writer{phone}"
    user.save(update_fields=["display_name", "username"])
    return user


# --- 6. The writer's identity --------------------------------------------------------------


def test_the_writer_of_a_report_or_anonymous_letter_is_named_on_no_staff_screen_or_export(world):
    writer_client = Client()
    writer = signed_in_writer(writer_client)
    report, tracking_no, _password = write_letter(
        writer_client,
        world.county,
        letter_type="report",
        topic="safety",
        title="举报派出所违规收费",
        content="某派出所在办理户籍时违规收取费用，请予查处。",
        accused_department=world.police.pk,
        writer_name="张明",
        phone="13911112222",
    )
    anonymous, *_ = write_letter(writer_client, world.county, is_anonymous="on", title="匿名咨询低保政策")
    assert report.user == writer and anonymous.user == writer
    for letter in (report, anonymous):
        act(world.official, letter, "accept")
        act(world.official, letter, "route", departments=[world.civil.pk])
        draft(world.civil_handler, letter)
        act(world.official, letter, "approve")
    # The writer's own steps (rating, asking for re-handling) come into the timeline too.
    writer_client.post(f"/letters/track/{tracking_no}/rate/", {"rating": "dissatisfied"})
    writer_client.post(f"/letters/track/{tracking_no}/reopen/", {"reason": "问题没有解决。"})
    report.refresh_from_db()
    assert report.status == Status.REOPENED

    names = ("张明", writer.username, "13911112222", "139****2222")
    handler_page = staff(world.civil_handler).get(f"/admin/letters/{report.pk}/").content.decode()
    assert "举报派出所违规收费" in handler_page and "来信人" in handler_page
    assert not [name for name in names if name in handler_page]
    for user in (world.official, world.civil_handler):
        page = staff(user).get(f"/admin/letters/{anonymous.pk}/").content.decode()
        assert "匿名咨询低保政策" in page and not [name for name in names if name in page]
    # The mailbox official may know who reported (the rules allow it), masked in the writer field
    # and in full only through the logged 查看完整联系方式.
    official_page = staff(world.official).get(f"/admin/letters/{report.pk}/").content.decode()
    assert "139****2222" in official_page and "13911112222" not in official_page
    assert writer.username not in official_page and "查看完整联系方式" in official_page

    for user in (world.official, world.civil_handler):
        response = staff(user).get("/admin/letters/export/", {"period": "month", "year": 2026, "number": 11})
        cells = [c.value for row in load_workbook(io.BytesIO(response.content)).active.iter_rows() for c in row]
        assert not [name for name in names if any(name in str(cell) for cell in cells)]


# --- 7. Who handles ------------------------------------------------------------------------


def test_only_the_handling_role_of_a_department_handles_its_letters(world, client):
    clerk = make_user("civilclerk", "editor", world.civil)  # same department, not a handler
    letter, *_ = write_letter(client, world.county, title="低保申请进度咨询")
    act(world.official, letter, "accept")
    act(world.official, letter, "route", departments=[world.civil.pk])
    assignment = letter.assignments.get()

    # Not letters staff at all: the admin turns them away (to its home page) from every door.
    for response in (
        staff(clerk).get("/admin/letters/"),
        staff(clerk).get(f"/admin/letters/{letter.pk}/"),
        staff(clerk).post(f"/admin/letters/{letter.pk}/draft/{assignment.pk}/", {"text": "越权"}),
        staff(clerk).post(f"/admin/letters/{letter.pk}/request_extension/", {"reason": "越权"}),
    ):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "/admin/letters/" not in staff(clerk).get("/admin/").content.decode()
    letter.refresh_from_db()
    assert letter.status == Status.ROUTED and not letter.extension_state

    assert "低保申请进度咨询" in staff(world.civil_handler).get("/admin/letters/").content.decode()
    draft(world.civil_handler, letter)
    letter.refresh_from_db()
    assert letter.status == Status.DRAFTED


def test_a_report_against_a_mailboxs_own_office_goes_to_the_independent_mailbox(world, client):
    discipline = Department.objects.create(name="县纪委监委", code="jw", sort_order=9)
    discipline_official = make_user("jwofficial", "mailadmin", discipline)
    box = Mailbox.objects.create(name="纪检监察信箱", slug="jw", department=discipline, sort_order=9)
    box.officials.add(discipline_official)
    # The administrator names the independent mailbox under 设置 → 信箱设置.
    admin = staff(make_superuser())
    form = {
        "name": box.name,
        "slug": box.slug,
        "department": discipline.pk,
        "description": "",
        "officials": [discipline_official.pk],
        "is_active": "on",
        "sort_order": 9,
        "is_report_mailbox": "on",
    }
    response = admin.post(f"/admin/snippets/letters/mailbox/edit/{box.pk}/", form)
    assert response.status_code == 302, response.content.decode()[:3000]
    box.refresh_from_db()
    assert box.is_report_mailbox
    # Only one mailbox can be the independent one.
    second = {**form, "name": "第二信箱", "slug": "second", "officials": []}
    page = admin.post("/admin/snippets/letters/mailbox/add/", second).content.decode()
    assert "只能指定一个独立受理举报的信箱。" in page and not Mailbox.objects.filter(slug="second").exists()

    # An official of the accused office, named on another mailbox, never sees the report either.
    world.education_box.officials.add(make_user("officeclerk", "mailadmin", world.office))
    letter, *_ = write_letter(
        client,
        world.county,
        letter_type="report",
        topic="government",
        title="举报县政府办公室违规公车私用",
        content="县政府办公室工作人员多次在周末使用公车办私事，请予查处。",
        accused_department=world.office.pk,
        writer_name="王举报",
    )
    assert letter.mailbox == box
    for outsider in (world.official, world.education_official):
        assert staff(outsider).get(f"/admin/letters/{letter.pk}/").status_code == 404
        assert "公车私用" not in staff(outsider).get("/admin/letters/").content.decode()
    page = staff(discipline_official).get(f"/admin/letters/{letter.pk}/").content.decode()
    assert "公车私用" in page and "王某" in page and "王举报" not in page

    # A report against the independent mailbox's own body goes to another body's mailbox.
    letter, *_ = write_letter(
        client,
        box,
        letter_type="report",
        topic="government",
        title="举报纪委工作人员",
        content="纪委某工作人员收受礼品，请予查处。",
        accused_department=discipline.pk,
    )
    assert letter.mailbox == world.county


def test_an_official_of_the_accused_body_never_sees_the_report_in_another_mailbox(world, client):
    education_clerk = make_user("educlerk", "mailadmin", world.education)
    world.county.officials.add(education_clerk)
    letter, *_ = write_letter(
        client,
        world.county,
        letter_type="report",
        title="举报学校乱收费",
        content="某中学以补课名义向学生收取费用，请查处。",
        accused_department=world.education.pk,
    )
    assert letter.mailbox == world.county
    assert staff(education_clerk).get(f"/admin/letters/{letter.pk}/").status_code == 404
    assert staff(education_clerk).post(f"/admin/letters/{letter.pk}/accept/").status_code == 404
    assert staff(world.official).get(f"/admin/letters/{letter.pk}/").status_code == 200


# --- 9. Tracking -----------------------------------------------------------------------------


def test_the_query_password_is_hashed_whether_or_not_the_tracking_number_exists(world, client, monkeypatch):
    letter, tracking_no, _password = write_letter(client, world.county)
    verified = []
    original = MD5PasswordHasher.verify

    def counting_verify(self, password, encoded):
        verified.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting_verify)
    unknown = f"{int(tracking_no) + 1}"
    for number in (tracking_no, unknown):
        response = Client().post("/letters/track/", {"tracking_no": number, "password": "WRONGPW1"})
        assert "信件编号或查询密码不正确。" in response.content.decode()
    assert verified == ["WRONGPW1", "WRONGPW1"]
    # Nor does the letter's page tell an existing number from an unknown one.
    for number in (tracking_no, unknown):
        for response in (
            Client().get(f"/letters/track/{number}/"),
            Client().post(f"/letters/track/{number}/rate/", {"rating": "satisfied"}),
            Client().post(f"/letters/track/{number}/reopen/", {"reason": "不满意"}),
        ):
            assert response.status_code == 302 and response["Location"] == "/letters/track/"


def test_failed_lookups_by_others_never_lock_the_writer_out(world):
    _letter, tracking_no, password = write_letter(Client(), world.county)
    # Two app servers behind one proxy: the same attacker's requests land on either.
    attacker_a, attacker_b = Client(REMOTE_ADDR="10.0.0.8"), Client(REMOTE_ADDR="10.0.0.8")
    for attempt in range(5):
        attacker = (attacker_a, attacker_b)[attempt % 2]
        response = attacker.post("/letters/track/", {"tracking_no": tracking_no, "password": "WRONGPW1"})
        assert "信件编号或查询密码不正确。" in response.content.decode()
    for attacker in (attacker_a, attacker_b):
        response = attacker.post("/letters/track/", {"tracking_no": tracking_no, "password": password})
        assert response.status_code == 429 and "查询失败次数过多，请15分钟后再试。" in response.content.decode()
    # The writer, elsewhere, still gets in with the right password.
    writer = Client(REMOTE_ADDR="10.0.0.9")
    response = writer.post("/letters/track/", {"tracking_no": tracking_no, "password": password}, follow=True)
    assert "来信内容" in response.content.decode()

    # Guessing across many tracking numbers from one address is limited too.
    scanner = Client(REMOTE_ADDR="10.0.0.10")
    day = tracking_no[:8]
    answers = [
        scanner.post("/letters/track/", {"tracking_no": f"{day}{n:04d}", "password": "WRONGPW1"}).status_code
        for n in range(100, 121)
    ]
    assert answers[:20] == [200] * 20 and answers[20] == 429
    assert (
        Client(REMOTE_ADDR="10.0.0.10")
        .post("/letters/track/", {"tracking_no": tracking_no, "password": password})
        .status_code
        == 429
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/letters/track/%00/"),
        ("post", "/letters/track/%00/rate/"),
        ("post", "/letters/track/%00/reopen/"),
        ("get", "/letters/track/2026%00/"),
    ],
)
def test_a_malformed_tracking_number_in_the_address_gets_a_chinese_page(world, client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert "抱歉，您访问的页面不存在" in response.content.decode()


def test_malformed_input_on_the_public_letter_pages_gets_a_chinese_message(world, client, settings):
    response = client.post("/letters/track/", {"tracking_no": "2026\x00", "password": "A\x00"})
    assert response.status_code == 200 and "信件编号" in response.content.decode()
    assert "含有不允许的字符" in response.content.decode()
    up = settings.ELASTICSEARCH_URL
    for url in ("http://127.0.0.1:9", up):  # Elasticsearch down: the database answers
        settings.ELASTICSEARCH_URL = url
        for query in ("\x00", "路灯\x00"):
            assert client.get("/letters/", {"q": query}).status_code == 200
            assert client.get("/search/", {"q": query}).status_code == 200


# --- 10. Writing: limits ------------------------------------------------------------------


def test_writing_is_limited_per_address_and_per_phone_on_every_app_server(world, settings):
    settings.LETTERS_WRITE_LIMITS = {"address": (3, 3600), "phone": (2, 86400)}
    hall_a, hall_b = Client(REMOTE_ADDR="10.1.0.1"), Client(REMOTE_ADDR="10.1.0.1")
    write_letter(hall_a, world.county, phone="13900000001")
    write_letter(hall_b, world.county, phone="13900000002")
    write_letter(hall_a, world.county, phone="13900000003")
    response = hall_b.post("/letters/write/", letter_form(world.county, phone="13900000004"))
    html = response.content.decode()
    assert response.status_code == 429 and "写信过于频繁" in html
    assert 'value="关于青石镇中心小学校车接送时间的咨询"' in html  # what was typed is kept
    assert Letter.objects.count() == 3

    # A verified phone number of a signed-in writer, from other addresses.
    writer = Client()
    sign_up(writer, "13900000009")
    for address in ("10.2.0.1", "10.3.0.1"):
        writer.defaults["REMOTE_ADDR"] = address
        write_letter(writer, world.county, phone="13900000009")
    writer.defaults["REMOTE_ADDR"] = "10.4.0.1"
    response = writer.post("/letters/write/", letter_form(world.county, phone="13900000009"))
    assert response.status_code == 429 and "该手机号码来信次数已达上限" in response.content.decode()
    assert Letter.objects.count() == 5
    write_letter(Client(REMOTE_ADDR="10.4.0.1"), world.county, phone="13900000010")


def test_a_phone_number_nobody_verified_is_never_limited_so_nobody_can_block_it(world, settings):
    settings.LETTERS_WRITE_LIMITS = {"address": (20, 3600), "phone": (5, 86400)}
    for number in range(6):
        write_letter(Client(REMOTE_ADDR=f"10.5.0.{number + 1}"), world.county, phone="13700137000")
    owner = Client(REMOTE_ADDR="10.6.0.1")
    sign_up(owner, "13700137000")
    write_letter(owner, world.county, phone="13700137000")
    assert Letter.objects.filter(phone="13700137000").count() == 7


# --- 11. Access grants and caches -----------------------------------------------------------


def test_the_access_grant_ends_with_the_browser_session_and_can_be_ended_at_once(world, settings):
    _letter, tracking_no, password = write_letter(Client(), world.county)
    kiosk = Client()
    response = kiosk.post("/letters/track/", {"tracking_no": tracking_no, "password": password})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    assert kiosk.get(f"/letters/track/{tracking_no}/").status_code == 200

    # On a shared computer the writer ends the viewing; the next visitor cannot come back to it.
    response = kiosk.post("/letters/track/end/", follow=True)
    assert "已退出查看" in response.content.decode()
    assert kiosk.get(f"/letters/track/{tracking_no}/").status_code == 302

    # Left open, the grant lapses after the idle time.
    kiosk.post("/letters/track/", {"tracking_no": tracking_no, "password": password})
    session = SessionStore(session_key=kiosk.cookies[settings.SESSION_COOKIE_NAME].value)
    grants = session["letters_access"]
    session["letters_access"] = {pk: until - 31 * 60 for pk, until in grants.items()}
    session.save()
    assert kiosk.get(f"/letters/track/{tracking_no}/").status_code == 302


def test_pages_with_a_writers_letter_are_never_stored(world):
    writer_client = Client()
    signed_in_writer(writer_client)
    letter, tracking_no, password = write_letter(writer_client, world.county, phone="13911112222")
    anonymous = Client()
    anonymous.post("/letters/track/", {"tracking_no": tracking_no, "password": password})
    pages = [
        (writer_client, "get", "/letters/mine/"),
        (writer_client, "get", f"/letters/track/{tracking_no}/"),
        (writer_client, "get", "/letters/write/"),
        (writer_client, "post", "/letters/write/"),
        (anonymous, "get", f"/letters/track/{tracking_no}/"),
        (anonymous, "post", "/letters/track/"),
        (staff(world.official), "get", f"/admin/letters/{letter.pk}/"),
        (staff(world.official), "get", "/admin/letters/"),
    ]
    for client, method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url
    receipt = writer_client.post("/letters/write/", letter_form(world.county, phone="13911112222"), follow=True)
    assert "no-store" in receipt.get("Cache-Control", "")
