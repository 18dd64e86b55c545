"""Measure how long counting open letters' deadlines again takes when a holiday notice is confirmed
(services/letters/deadlines.py), to choose LETTERS_RECOUNT_AT_ONCE: up to that many letters are
counted in the request that confirms the notice, more in a background task.

    DATABASE_URL=postgres://…/portal_bench TASKS_BACKEND=database DJANGO_SETTINGS_MODULE=portal.settings.dev \\
        python scripts/bench_recount.py --letters 200 2000

For each size: deletes the benchmark's letters (tracking numbers start with "BENCH") and its 2027
notice, generates that many open letters received in December 2026 whose deadlines run into
2027, then times, over the product's own functions, the count that decides between "at once"
and "background task" and the recount after 元旦 and 春节 2027 are confirmed. Prints letters/s.
Never run it against a database that holds real letters.
"""

import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from portal.holidays import notice_period  # noqa: E402
from portal.models import Department, Holiday, HolidayNotice  # noqa: E402
from portal.workdays import Calendar, package_knows  # noqa: E402
from services.letters.deadlines import counted_through, recount_deadlines  # noqa: E402
from services.letters.models import Letter, LetterEvent, Mailbox, Status  # noqa: E402

PREFIX = "BENCH"
YEAR = 2027
TYPES = (("consult", 5), ("suggest", 15), ("complaint", 15), ("complaint", 60))


def reset():
    LetterEvent.objects.filter(letter__tracking_no__startswith=PREFIX).delete()
    Letter.objects.filter(tracking_no__startswith=PREFIX).delete()
    HolidayNotice.objects.filter(year=YEAR).delete()


def generate(count, rng):
    department, _ = Department.objects.get_or_create(code="bench", defaults={"name": "基准测试部门"})
    mailbox, _ = Mailbox.objects.get_or_create(
        slug="bench", defaults={"name": "基准测试信箱", "department": department}
    )
    calendar = Calendar()
    letters = []
    for n in range(count):
        received = date(2026, 12, 1) + timedelta(days=rng.randint(0, 30))
        letter_type, workdays = rng.choice(TYPES)
        letters.append(
            Letter(
                tracking_no=f"{PREFIX}{n:08d}",
                query_password="-",  # noqa: S106 - no password: never looked up
                mailbox=mailbox,
                letter_type=letter_type,
                topic="other",
                title="基准测试来信",
                content="-",
                status=Status.SUBMITTED,
                submitted_at=timezone.make_aware(datetime.combine(received, clock_time(9))),
                due_from=received,
                due_workdays=workdays,
                due_on=calendar.add_workdays(received, workdays),
            )
        )
    Letter.objects.bulk_create(letters, batch_size=2000)


def confirm_notice():
    """The rows a confirmed notice leaves (the admin's publish, without the signal)."""
    notice = HolidayNotice.objects.create(year=YEAR, live=True)
    Holiday.objects.create(notice=notice, name="元旦", first_day=date(2027, 1, 1), last_day=date(2027, 1, 1))
    Holiday.objects.create(notice=notice, name="春节", first_day=date(2027, 2, 6), last_day=date(2027, 2, 12))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, nargs="+", default=[200, 2000])
    args = parser.parse_args()
    if package_knows(YEAR):
        sys.exit(f"chinesecalendar knows {YEAR}: nothing would move")
    rng = random.Random(17)
    first_day, last_day = notice_period(YEAR)
    print("letters | count to decide | recount | moved | letters/s")
    for count in args.letters:
        reset()
        generate(count, rng)
        confirm_notice()
        started = time.perf_counter()
        counted_through(first_day, last_day).count()
        decided = time.perf_counter() - started
        started = time.perf_counter()
        moved = recount_deadlines(first_day, last_day, "基准测试：2027年节假日安排已确认生效。")
        elapsed = time.perf_counter() - started
        print(f"{count:>7} | {decided * 1000:>12.1f} ms | {elapsed:>6.2f} s | {moved:>5} | {count / elapsed:>9.0f}")
    reset()


if __name__ == "__main__":
    main()
