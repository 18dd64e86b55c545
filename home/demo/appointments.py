"""Demo content for 在线预约: locations, services with weekly plans, leader reception days and
a few bookings made, checked in and rated through the booking rules themselves. Safe to run
again: things are keyed by name, slug, date or the booking's idempotency key."""

import datetime

from django.utils import timezone

from portal import workdays
from services.appointments import booking, ratings, schedule
from services.appointments.models import Booking, Location, ReceptionDay, Service, WeeklySession

LOCATIONS = [
    # (name, address, department code, phone)
    ("县政务服务中心一楼综合窗口区", "青山县行政中心东楼一楼", "zwfwzx", "0123-8821345"),
    ("县人民检察院12309检察服务中心", "青山县检察路1号一楼", "jcy", "0123-8821300"),
    ("县信访接待中心", "青山县行政中心西楼一楼", "zfb", "0123-8821000"),
]

MORNING, AFTERNOON = ((9, 0), (12, 0)), ((13, 30), (17, 0))

SERVICES = [
    {
        "slug": "bdcdj",
        "name": "不动产登记（转移、抵押）",
        "department": "zrzyj",
        "location": 0,
        "capacity": 3,
        "slot_minutes": 30,
        "duration_minutes": 30,
        "description": "二手房买卖转移登记、抵押登记和注销抵押登记。交易双方须同时到场。",
        "materials": "买卖双方身份证原件\n不动产权证书原件\n不动产买卖合同\n婚姻状况证明（户口簿或结婚证）\n完税凭证",
        "sessions": (MORNING, AFTERNOON),
        "adjusted": (MORNING,),
    },
    {
        "slug": "sbk",
        "name": "社会保障卡申领和补换",
        "department": "rsj",
        "location": 0,
        "capacity": 2,
        "slot_minutes": 30,
        "duration_minutes": 15,
        "description": "首次申领、挂失后补办和损坏换卡，当场制卡。",
        "materials": "本人身份证原件\n近期免冠彩色照片（也可现场拍照）",
        "sessions": (MORNING, AFTERNOON),
        "adjusted": (),
    },
    {
        "slug": "yyzz",
        "name": "营业执照设立登记",
        "department": "scjgj",
        "location": 0,
        "capacity": 2,
        "slot_minutes": 60,
        "duration_minutes": 40,
        "description": "个体工商户和公司的设立登记，材料齐全的当场办结。",
        "materials": "经营者或法定代表人身份证原件\n经营场所使用证明\n公司章程（公司设立）",
        "sessions": (MORNING, AFTERNOON),
        "adjusted": (),
    },
    {
        "slug": "lsyj",
        "name": "律师阅卷",
        "kind": Service.Kind.FILE_REVIEW,
        "department": "jcy",
        "location": 1,
        "capacity": 2,
        "slot_minutes": 60,
        "duration_minutes": 60,
        "description": "辩护律师、诉讼代理人查阅、摘抄、复制案卷材料（含电子卷宗）。",
        "materials": "律师执业证原件\n委托书或法律援助公函原件\n律师事务所证明原件",
        "sessions": (((9, 0), (11, 0)), ((14, 30), (16, 30))),
        "adjusted": (),
    },
    {
        "slug": "lshj",
        "name": "律师约见检察官",
        "kind": Service.Kind.MEETING,
        "department": "jcy",
        "location": 1,
        "capacity": 1,
        "slot_minutes": 30,
        "duration_minutes": 30,
        "description": "辩护律师、诉讼代理人当面向承办检察官提出意见。",
        "materials": "律师执业证原件\n委托书或法律援助公函原件\n书面意见（如有）",
        "sessions": (((14, 30), (16, 30)),),
        "adjusted": (),
    },
    {
        "slug": "ldjf",
        "name": "县领导接访",
        "kind": Service.Kind.RECEPTION,
        "department": "zfb",
        "location": 2,
        "capacity": 2,
        "slot_minutes": 30,
        "duration_minutes": 30,
        "book_ahead_workdays": 10,
        "description": "县领导在接访日当面听取群众诉求。请简要写明反映的事项，信访部门会提前做好准备。",
        "materials": "本人身份证原件\n与反映事项有关的材料",
        "sessions": (),
        "adjusted": (),
    },
]

# (working days from today, leader, title, place)
RECEPTIONS = [
    (3, "周振华", "县长", "县信访接待中心一号接待室"),
    (8, "陈立新", "副县长", "县信访接待中心二号接待室"),
]


def _time(pair):
    return datetime.time(*pair)


def ensure_services(departments):
    locations = []
    for name, address, department, phone in LOCATIONS:
        location, _created = Location.objects.get_or_create(
            name=name, defaults={"address": address, "department": departments[department], "phone": phone}
        )
        locations.append(location)
    services, created = {}, 0
    for order, spec in enumerate(SERVICES, start=1):
        service = Service.objects.filter(slug=spec["slug"]).first()
        if service is None:
            service = Service.objects.create(
                slug=spec["slug"],
                name=spec["name"],
                kind=spec.get("kind", Service.Kind.GENERAL),
                department=departments[spec["department"]],
                location=locations[spec["location"]],
                capacity=spec["capacity"],
                slot_minutes=spec["slot_minutes"],
                duration_minutes=spec["duration_minutes"],
                book_ahead_workdays=spec.get("book_ahead_workdays", 5),
                description=spec["description"],
                materials=spec["materials"],
                sort_order=order * 10,
            )
            for weekday in range(5):
                for start, end in spec["sessions"]:
                    WeeklySession.objects.create(
                        service=service, weekday=weekday, starts_at=_time(start), ends_at=_time(end)
                    )
            for start, end in spec["adjusted"]:
                WeeklySession.objects.create(
                    service=service, weekday=WeeklySession.ADJUSTED_WORKDAY, starts_at=_time(start), ends_at=_time(end)
                )
            created += 1
        services[spec["slug"]] = service
    return services, created


def ensure_receptions(service, today):
    created = 0
    for ahead, leader, title, place in RECEPTIONS:
        day = workdays.add_workdays(today, ahead)
        _reception, new = ReceptionDay.objects.get_or_create(
            service=service,
            date=day,
            defaults={
                "leader_name": leader,
                "leader_title": title,
                "starts_at": datetime.time(9, 0),
                "ends_at": datetime.time(11, 30),
                "place": place,
                "scope": "城乡建设、征地拆迁、劳动保障、教育医疗等方面的诉求",
            },
        )
        created += new
    return created


def _first_free(service, now):
    for day in schedule.bookable_days(service, now):
        for slot in day.slots:
            if slot.is_bookable:
                return slot.starts_at
    return None


def ensure_bookings(services, users):
    """The demo citizen's upcoming booking, and one from the last working day that was
    checked in and rated 不满意 (so the desk shows a follow-up with its deadline)."""
    citizen, staff = users["citizen"], users["service"]
    made = 0
    if not Booking.objects.filter(idempotency_key="demo-upcoming").exists():
        starts_at = _first_free(services["bdcdj"], timezone.now() + datetime.timedelta(days=1))
        if starts_at is not None:
            booking.book(citizen, services["bdcdj"], starts_at, name="张明", idempotency_key="demo-upcoming")
            made += 1
    if not Booking.objects.filter(idempotency_key="demo-rated").exists():
        today = timezone.localdate()
        weekdays = workdays.workdays_in(today - datetime.timedelta(days=14), today - datetime.timedelta(days=1))
        previous = [day for day in weekdays if day.weekday() < 5][-1]
        morning = timezone.make_aware(datetime.datetime.combine(previous, datetime.time(7, 0)))
        starts_at = timezone.make_aware(datetime.datetime.combine(previous, datetime.time(9, 30)))
        item, _created = booking.book(
            citizen, services["sbk"], starts_at, name="张明", idempotency_key="demo-rated", now=morning
        )
        booking.check_in(item.code, staff, now=starts_at)
        ratings.rate(item, citizen, 2, "叫号后等了四十分钟，窗口只开了一个。")
        made += 1
    return made


def seed_appointments(departments, users, today):
    services, created = ensure_services(departments)
    created += ensure_receptions(services["ldjf"], today)
    return created + ensure_bookings(services, users)
