"""Benchmark of 在线预约 over HTTP: concurrent clients booking against PostgreSQL.

    make bench-appointments                        # 32 people, 352 attempts, 10 s on each form
    make bench-appointments ARGS="--think 0"       # the same without pause: the server's saturation
    python scripts/bench_appointments.py --clients 32 --attempts 352 --think 10 --workers 3

Steps:
1. empty the appointment tables of a dedicated benchmark database (its name must contain
   "bench"), create four services (capacity 4 per 30-minute slot, 9:00–12:00 and 14:00–17:00
   on working days, 5 working days ahead) and one signed-in account per attempt (sessions
   written straight into the session store: signing in is not what is measured);
2. start the portal under gunicorn with production settings;
3. run N client threads, each with its own keep-alive connection, in a closed loop: open the
   service page as a person does (GET: captcha, form key, the slots still free), pick one of
   the free slots at random, wait the person's think time (`--think`: reading the page,
   choosing, solving the captcha; 0 = none, the server's saturation), POST the booking form;
   only the POST is timed. Two clients that pick the same last place race for it: one books,
   the other is told the slot is full;
4. check at the end, in PostgreSQL, that no slot holds more active bookings than its capacity
   and that every slot's counter equals its bookings.

Prints requests/s, bookings/s and p50/p95/p99 latency of the booking POST.
"""

import argparse
import os
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TASKS_BACKEND", "database")

from scripts import bench_support  # noqa: E402
from scripts.bench_support import percentile, setup_django, start_server, stop_server  # noqa: E402

setup_django("benchappointments")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

SLOT = re.compile(r'<input type="radio" name="slot" value="(\d{12})"(?![^>]*disabled)')
FIELD = r'name="{name}"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="{name}"'


def field(html, name):
    match = re.search(FIELD.format(name=name), html)
    return (match.group(1) or match.group(2)) if match else None


class Client(bench_support.Client):
    """The shared benchmark client, carrying one person's session and address."""

    def __init__(self, port, session_key, address):
        super().__init__(port, timeout=60)
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}
        self.address = address

    def request(self, method, path, body=None):
        status, content, elapsed = super().request(method, path, body, address=self.address)
        return status, content, self.location, elapsed


def prepare(attempts):
    """Services and one signed-in account per attempt; returns (service slugs, session keys)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_tasks_db.models import DBTaskResult

    from portal.models import Department
    from services.appointments.models import Booking, BookingEvent, Location, Service, Slot, WeeklySession

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE appointments_bookingevent, appointments_booking, appointments_slot CASCADE")
    DBTaskResult.objects.all().delete()
    assert not Booking.objects.exists() and not BookingEvent.objects.exists() and not Slot.objects.exists()
    centre, _ = Department.objects.get_or_create(code="zwfwzx", defaults={"name": "县政务服务中心"})
    hall, _ = Location.objects.get_or_create(
        name="县政务服务中心一楼", defaults={"address": "青山县行政中心东楼", "department": centre}
    )
    slugs = []
    for number in range(1, 5):
        service, created = Service.objects.get_or_create(
            slug=f"bench{number}",
            defaults={
                "name": f"基准测试事项{number}",
                "department": centre,
                "location": hall,
                "capacity": 4,
                "slot_minutes": 30,
                "materials": "身份证原件",
            },
        )
        if created:
            for weekday in list(range(5)) + [WeeklySession.ADJUSTED_WORKDAY]:
                for start, end in ((9, 12), (14, 17)):
                    WeeklySession.objects.create(
                        service=service, weekday=weekday, starts_at=f"{start}:00", ends_at=f"{end}:00"
                    )
        slugs.append(service.slug)
    users = get_user_model()
    users.objects.filter(username__startswith="bench-").delete()
    people = users.objects.bulk_create(
        [
            users(username=f"bench-{n}", phone=f"199{n:08d}", phone_verified=True, display_name=f"预约人{n}")
            for n in range(attempts)
        ]
    )
    sessions = []
    for person in people:
        store = SessionStore()
        store[SESSION_KEY] = str(person.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        store[HASH_SESSION_KEY] = person.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    return slugs, sessions


def run_clients(port, slugs, sessions, clients, warmup, think):
    """Hand out one attempt (one account) at a time; the first `warmup` ones are not counted."""
    from captcha.models import CaptchaStore

    queue = list(enumerate(sessions))[::-1]
    lock = threading.Lock()
    results = []  # (started_at, seconds, outcome)
    failures = []

    def next_attempt():
        with lock:
            return queue.pop() if queue else None

    def client_loop(number):
        rng = random.Random(number)
        client = None
        while (item := next_attempt()) is not None:
            index, session_key = item
            client = Client(port, session_key, f"10.1.{index // 256 % 256}.{index % 256}")
            slug = rng.choice(slugs)
            path = f"/appointments/services/{slug}/"
            status, page, _location, _t = client.request("GET", path)
            free = SLOT.findall(page)
            if status != 200 or not free:
                failures.append(f"GET {path}: HTTP {status}, {len(free)} free slots")
                continue
            hashkey = field(page, "captcha_0")
            answer = CaptchaStore.objects.get(hashkey=hashkey).response
            connection.close()  # the server shares PostgreSQL with this script: hold no connection
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))
            form = {
                "csrfmiddlewaretoken": field(page, "csrfmiddlewaretoken"),
                "idempotency_key": field(page, "idempotency_key"),
                "slot": rng.choice(free),
                "name": f"预约人{index}",
                "captcha_0": hashkey,
                "captcha_1": answer,
            }
            started = time.perf_counter()
            status, page, location, elapsed = client.request("POST", path, form)
            if status == 302 and location.startswith("/appointments/my/"):
                outcome = "booked"
            elif status == 200 and "所选时段已约满" in page:
                outcome = "full"
            else:
                failures.append(f"POST {path}: HTTP {status} {re.sub(r'<[^>]+>', ' ', page)[:300]}")
                continue
            if index >= warmup:
                with lock:
                    results.append((started, elapsed, outcome))
        connection.close()

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


def check_overbooking():
    from django.db.models import Count, F, Q

    from services.appointments.models import Booking, Slot

    slots = Slot.objects.annotate(active=Count("bookings", filter=Q(bookings__state__in=Booking.ACTIVE_STATES)))
    over = slots.filter(active__gt=F("capacity")).count()
    drift = slots.exclude(active=F("booked")).count()
    full = slots.filter(booked=F("capacity")).count()
    return over, drift, full, slots.count()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--attempts", type=int, default=352, help="booking attempts (one account each)")
    parser.add_argument("--warmup", type=int, default=32, help="first attempts not counted")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--think",
        type=float,
        default=10.0,
        help="mean seconds a person takes between the form arriving and submitting it (uniform 0.5–1.5×)",
    )
    options = parser.parse_args()

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "DATABASE_URL must name a dedicated PostgreSQL benchmark database (its name containing 'bench')."
        )
    print(f"database {database['NAME']}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}", flush=True)

    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    slugs, sessions = prepare(options.attempts)
    server = start_server(options.port, options.workers, timeout=180)
    try:
        began = time.perf_counter()
        results, failures = run_clients(options.port, slugs, sessions, options.clients, options.warmup, options.think)
        wall = time.perf_counter() - began
    finally:
        stop_server(server)

    if failures:
        print(f"{len(failures)} unexpected answers, first: {failures[0]}")
    if not results:
        raise SystemExit("no booking was timed")
    ms = [seconds * 1000 for _started, seconds, _outcome in results]
    booked = sum(1 for *_rest, outcome in results if outcome == "booked")
    span = max(s + t for s, t, _o in results) - min(s for s, _t, _o in results)
    print(
        f"{options.clients} clients, {len(results)} booking POSTs timed in {span:.1f} s "
        f"(whole run {wall:.1f} s, {options.attempts} attempts, {options.workers} gunicorn workers, "
        f"think time {options.think:g} s)"
    )
    print(f"  booked {booked}, refused as full {len(results) - booked}")
    print(f"  throughput: {len(results) / span:.1f} booking requests/s, {booked / span:.1f} bookings/s")
    print(
        f"  booking POST latency: mean {statistics.mean(ms):.1f} ms  p50 {percentile(ms, 0.5):.1f} ms  "
        f"p95 {percentile(ms, 0.95):.1f} ms  p99 {percentile(ms, 0.99):.1f} ms  max {max(ms):.1f} ms"
    )
    over, drift, full, total = check_overbooking()
    print(
        f"  slots: {total} used, {full} full, {over} overbooked, {drift} with a counter that differs from its bookings"
    )
    print(f"  load average after the run: {os.getloadavg()[0]:.2f}")
    if over or drift or failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
