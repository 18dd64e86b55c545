"""The appointments world for tests, built through the product's own paths: role groups,
staff with departments, a verified lawyer with an approved case binding, services with a
weekly plan edited as staff edit them (model + inline sessions)."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Department
from portal.roles import ensure_role_groups
from services.accounts import workflow
from services.appointments.models import Location, ReceptionDay, Service, WeeklySession
from services.cases.bindings import approve_binding, request_binding
from services.cases.models import Case

from ..letters_support import make_user, restore_flushed_basics

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(text):
    """An aware Asia/Shanghai moment from "2026-09-29 10:00"."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class World:
    centre: Department
    land: Department
    procuratorate: Department
    office: Department
    hall: Location
    service: Service
    file_review: Service
    reception: Service
    desk: object
    land_desk: object
    other_desk: object
    petition_desk: object
    casemgr: object
    citizen: object
    other_citizen: object
    lawyer: object
    unbound_lawyer: object
    binding: object


def citizen(username, phone, email=""):
    user = get_user_model().objects.create_user(
        username=username, password="Qingshan#2026", phone=phone, phone_verified=True, email=email
    )
    user.raw_password = "Qingshan#2026"
    workflow.save_real_name(user, {"zhang": "张明", "li": "李华"}.get(username, "王芳"), _id_for(phone))
    return user


def _id_for(phone):
    from portal.pii import id_number_check_char

    first17 = "990000" + "1980" + phone[-7:]
    return first17 + id_number_check_char(first17)


def verified_lawyer(username, phone, reviewer):
    user = citizen(username, phone)
    workflow.submit_lawyer_application(
        user, "13301201910123456", "青山县正义律师事务所", SimpleUploadedFile("zheng.pdf", PDF, "application/pdf")
    )
    workflow.verify_lawyer(user.lawyer_profile, reviewer)
    return user


def approved_binding(lawyer, case_number, reviewer, name="李某盗窃案"):
    """A case, and the lawyer's binding to it, requested and approved through the binding rules."""
    case = Case.objects.create(
        case_number=case_number,
        name=name,
        charge="盗窃罪",
        handling_office="第一检察部",
        accepted_on=datetime.date(2026, 3, 2),
        current_stage="审查起诉",
        fingerprint=case_number,
    )
    binding = request_binding(
        lawyer,
        case.case_number,
        "defender",
        "engagement",
        SimpleUploadedFile("weituo.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("suohan.pdf", PDF, "application/pdf"),
    )
    return approve_binding(binding, reviewer)


def plan_weekdays(service, *sessions, adjusted=()):
    """Weekly sessions Monday–Friday (and on adjusted working days when `adjusted` is given)."""
    for weekday in range(5):
        for start, end in sessions:
            WeeklySession.objects.create(
                service=service, weekday=weekday, starts_at=datetime.time(*start), ends_at=datetime.time(*end)
            )
    for start, end in adjusted:
        WeeklySession.objects.create(
            service=service,
            weekday=WeeklySession.ADJUSTED_WORKDAY,
            starts_at=datetime.time(*start),
            ends_at=datetime.time(*end),
        )


def build_world():
    restore_flushed_basics()
    groups = ensure_role_groups()
    centre = Department.objects.create(name="县政务服务中心", code="zwfwzx", kind=Department.Kind.OTHER)
    land = Department.objects.create(name="县自然资源和规划局", code="zrzyj")
    procuratorate = Department.objects.create(name="县人民检察院", code="jcy", kind=Department.Kind.OTHER)
    office = Department.objects.create(name="县政府办公室", code="zfb", kind=Department.Kind.OFFICE)
    other = Department.objects.create(name="县教育局", code="jyj")
    hall = Location.objects.create(name="县政务服务中心一楼", address="青山县行政中心东楼", department=centre)
    room = Location.objects.create(name="县检察院案件管理大厅", address="青山县检察路1号", department=procuratorate)
    service = Service.objects.create(
        name="不动产转移登记",
        slug="bdcdj",
        department=land,
        location=hall,
        slot_minutes=30,
        capacity=3,
        materials="身份证原件\n不动产权证书\n买卖合同",
    )
    plan_weekdays(service, ((9, 0), (12, 0)), ((14, 0), (17, 0)), adjusted=(((9, 0), (12, 0)),))
    file_review = Service.objects.create(
        name="律师阅卷", slug="yj", kind=Service.Kind.FILE_REVIEW, department=procuratorate, location=room, capacity=2
    )
    plan_weekdays(file_review, ((9, 0), (11, 0)))
    petition_room = Location.objects.create(name="县信访接待中心", address="青山县行政中心西楼", department=office)
    reception = Service.objects.create(
        name="县领导接访",
        slug="ldjf",
        kind=Service.Kind.RECEPTION,
        department=office,
        location=petition_room,
        capacity=2,
    )
    desk = make_user("servicedesk", "service", centre, groups=groups)
    casemgr = make_user("casemgr", "casemgr", procuratorate, groups=groups)
    lawyer = verified_lawyer("lawyer", "13900000003", casemgr)
    binding = approved_binding(lawyer, "青山检刑受〔2026〕12号", casemgr)
    return World(
        centre=centre,
        land=land,
        procuratorate=procuratorate,
        office=office,
        hall=hall,
        service=service,
        file_review=file_review,
        reception=reception,
        desk=desk,
        land_desk=make_user("landdesk", "service", land, groups=groups),
        other_desk=make_user("edudesk", "service", other, groups=groups),
        petition_desk=make_user("petition", "mailadmin", office, groups=groups),
        casemgr=casemgr,
        citizen=citizen("zhang", "13900000001", email="zhang@example.cn"),
        other_citizen=citizen("li", "13900000002"),
        lawyer=lawyer,
        unbound_lawyer=verified_lawyer("lawyer2", "13900000004", casemgr),
        binding=binding,
    )


def add_reception_day(world, day, leader="王建国"):
    return ReceptionDay.objects.create(
        service=world.reception,
        leader_name=leader,
        leader_title="县长",
        date=day,
        starts_at=datetime.time(9, 0),
        ends_at=datetime.time(11, 0),
        place="县信访接待中心",
        scope="城乡建设、劳动保障方面的诉求",
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def form_fields(page):
    """The hidden idempotency key and the captcha answer of a booking page."""
    from ..builders import solve_captcha

    html = page.content.decode()
    key = html.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    return {"idempotency_key": key, **solve_captcha(html)}


def book_through_page(client, slug, slot, follow=False, **fields):
    """Open the service page and submit its booking form for `slot` ("202609301000")."""
    url = f"/appointments/services/{slug}/"
    page = client.get(url)
    assert page.status_code == 200, page.content.decode()[:500]
    data = {"slot": slot, "name": "张明", **form_fields(page), **fields}
    return client.post(url, data, follow=follow)


def offered_slots(client, slug):
    """The slot keys the service page lets one choose (enabled radio buttons)."""
    import re

    html = client.get(f"/appointments/services/{slug}/").content.decode()
    return [
        match.group(1)
        for match in re.finditer(r'<input type="radio" name="slot" value="(\d{12})"(?![^>]*disabled)', html)
    ]
