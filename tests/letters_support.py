"""Build the mailbox world for letters tests through the product's own paths: role groups,
staff with departments, mailboxes with named officials, letters written through the
public form and handled through the officials' desk."""

import re
from dataclasses import dataclass

from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.test import Client
from wagtail.models import Collection

from portal.models import Department
from portal.roles import ensure_role_groups
from services.letters.models import Letter, Mailbox

from .builders import login_staff

PASSWORD = "Test#Letters2026"  # noqa: S105 - test accounts


@dataclass
class World:
    office: Department
    civil: Department
    education: Department
    police: Department
    county: Mailbox
    education_box: Mailbox
    official: object
    education_official: object
    civil_handler: object
    education_handler: object
    police_handler: object
    editor: object
    citizen: object


def make_user(username, role, department=None, is_staff=True, groups=None):
    groups = groups or ensure_role_groups()
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.gov.cn",
        display_name=username,
        department=department,
        is_staff=is_staff,
    )
    user.groups.add(groups[role])
    return user


def restore_flushed_basics():
    """A transactional test may start from an emptied database (pytest-django's live
    server flushes without reloading): put back what migrations made and roles need."""
    if not Permission.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def build_world():
    restore_flushed_basics()
    office = Department.objects.create(name="县政府办公室", code="zfb", kind=Department.Kind.OFFICE, sort_order=1)
    civil = Department.objects.create(name="县民政局", code="mzj", sort_order=2)
    education = Department.objects.create(name="县教育局", code="jyj", sort_order=3)
    police = Department.objects.create(name="县公安局", code="gaj", sort_order=4)
    groups = ensure_role_groups()
    official = make_user("mailadmin", "mailadmin", office, groups=groups)
    education_official = make_user("eduofficial", "mailadmin", education, groups=groups)
    county = Mailbox.objects.create(name="县长信箱", slug="county", department=office, sort_order=1)
    county.officials.add(official)
    education_box = Mailbox.objects.create(name="县教育局信箱", slug="jyj", department=education, sort_order=2)
    education_box.officials.add(education_official)
    return World(
        office=office,
        civil=civil,
        education=education,
        police=police,
        county=county,
        education_box=education_box,
        official=official,
        education_official=education_official,
        civil_handler=make_user("civilhandler", "handler", civil, groups=groups),
        education_handler=make_user("eduhandler", "handler", education, groups=groups),
        police_handler=make_user("policehandler", "handler", police, groups=groups),
        editor=make_user("editor", "editor", office, groups=groups),
        citizen=make_user("citizen", "citizen", is_staff=False, groups=groups),
    )


def staff(user):
    """A client signed in as staff member `user` (password and TOTP, tests.builders.login_staff)."""
    return login_staff(Client(), user)


def act(user, letter, action, **data):
    """One action on the officials' desk as `user`; returns the page shown after it."""
    response = staff(user).post(f"/admin/letters/{letter.pk}/{action}/", data, follow=True)
    letter.refresh_from_db()
    return response.content.decode()


def solved_captcha():
    """A fresh captcha answered as the person reading the image would answer it."""
    key = CaptchaStore.generate_key()
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def letter_form(mailbox, **overrides):
    data = {
        "mailbox": mailbox.pk,
        "letter_type": "consult",
        "topic": "education",
        "title": "关于青石镇中心小学校车接送时间的咨询",
        "content": "青石镇中心小学的校车每天早上六点半就到站，孩子起得太早，请问能否调整到七点左右接送？",
        "writer_name": "张三丰",
        "phone": "13812345678",
        "email": "",
        "id_number": "",
        "address": "",
    }
    data.update(solved_captcha())
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


RECEIPT = re.compile(r'id="tracking-no">([^<]+)<.*?id="query-password">([^<]+)<', re.S)


def write_letter_receipt(client, mailbox, **overrides):
    """Submit through the public form; returns the page the writer lands on."""
    return client.post("/letters/write/", letter_form(mailbox, **overrides), follow=True).content.decode()


def write_letter(client, mailbox, **overrides):
    """Submit through the public form; returns (letter, tracking_no, password) read from the receipt page."""
    html = write_letter_receipt(client, mailbox, **overrides)
    match = RECEIPT.search(html)
    assert match, html[:3000]
    tracking_no, password = match.group(1), match.group(2)
    return Letter.objects.get(tracking_no=tracking_no), tracking_no, password


def png_file(name="photo.png"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf_file(name="evidence.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")
