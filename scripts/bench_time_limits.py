"""Measure the time-limit monitoring query (services/cases/monitoring.py) on generated cases.

    DATABASE_URL=postgres://…/portal_bench DJANGO_SETTINGS_MODULE=portal.settings.dev \\
        python scripts/bench_time_limits.py --cases 100000

Generates cases up to N (case numbers start with "BENCH-"; existing ones are kept, --fresh
deletes them first) with their events, straight into the database given by DATABASE_URL:
concluded ones over five years and a share (--open-share, default 30 %) open in the monitored
stages with acceptance dates spread over their period, 60 % of those with a time limit from the
source. Then times, over the real
query, the first page of the list, its count, the overdue filter and the full export, and
prints PostgreSQL's plan. Never run it against a database that holds real cases.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from services.cases.models import Case, CaseEvent  # noqa: E402
from services.cases.monitoring import (  # noqa: E402
    OVERDUE,
    export_workbook,
    fast_planning,
    monitored_cases,
    standing,
)

PREFIX = "BENCH-"
OPEN_STAGES = (("审查逮捕", 7, 0.2), ("审查起诉", 30, 0.6), ("退回补充侦查", 30, 0.1), ("刑事申诉审查", 90, 0.1))
OFFICES = ("第一检察部", "第二检察部", "第三检察部", "第四检察部", "第五检察部")
BATCH = 5000


def generate(total, today, rng, open_share):
    existing = Case.objects.filter(case_number__startswith=PREFIX).count()
    started = time.perf_counter()
    for first in range(existing, total, BATCH):
        cases, events = [], []
        for n in range(first, min(first + BATCH, total)):
            if rng.random() >= open_share:
                accepted = today - timedelta(days=rng.randint(60, 5 * 365))
                stage, limit, kinds = "已结案", accepted + timedelta(days=30), [("受理", 0), ("审查", 1), ("结案", 25)]
            else:
                stage, days, _share = rng.choices(OPEN_STAGES, weights=[s[2] for s in OPEN_STAGES])[0]
                accepted = today - timedelta(days=rng.randint(0, days + 10))
                limit = accepted + timedelta(days=days) if rng.random() < 0.6 else None
                kinds = [("受理", 0), ("审查", 1)]
                if stage == "审查起诉" and rng.random() < 0.2:
                    kinds.append(("延长审查期限", min(25, (today - accepted).days)))
                if stage == "退回补充侦查":
                    kinds.append(("退回补充侦查", min(5, (today - accepted).days)))
            case = Case(
                case_number=f"{PREFIX}{n:07d}",
                name=f"测试{n}号案",
                charge="盗窃罪",
                handling_office=rng.choice(OFFICES),
                accepted_on=accepted,
                time_limit_on=limit,
                current_stage=stage,
                is_juvenile=rng.random() < 0.03,
                fingerprint="bench",
            )
            cases.append(case)
            events.append([(kind, accepted + timedelta(days=offset)) for kind, offset in kinds])
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            CaseEvent.objects.bulk_create(
                CaseEvent(case=case, kind=kind, occurred_on=day, position=position)
                for case, case_events in zip(cases, events, strict=True)
                for position, (kind, day) in enumerate(case_events, start=1)
            )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_caseevent;")
    return total - existing, elapsed


def timed(label, function, repeat=7):
    samples = []
    for _ in range(repeat + 1):  # the first run warms the cache and is not counted
        started = time.perf_counter()
        with fast_planning():
            result = function()
        samples.append((time.perf_counter() - started) * 1000)
    samples = samples[1:]
    print(f"{label:<28} median {statistics.median(samples):7.1f} ms   max {max(samples):7.1f} ms   ({result})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true", help="delete the generated cases first")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--open-share", type=float, default=0.3, help="share of the newly generated cases that are still open"
    )
    options = parser.parse_args()
    today = timezone.localdate()
    if options.fresh:
        Case.objects.filter(case_number__startswith=PREFIX).delete()
    created, elapsed = generate(options.cases, today, random.Random(options.seed), options.open_share)  # noqa: S311 (test data)
    if created:
        print(f"generated {created} cases in {elapsed:.1f} s ({created / elapsed:.0f} cases/s)")
    print(f"cases in the database: {Case.objects.count()}, events: {CaseEvent.objects.count()}")

    def first_page():
        rows = [(case.case_number, standing(case, today).days_left) for case in monitored_cases(today)[:50]]
        return f"{len(rows)} rows"

    timed("first page (50 rows)", first_page)
    timed("count (pagination)", lambda: f"{monitored_cases(today).count()} listed")
    timed("overdue only, count", lambda: f"{monitored_cases(today, state=OVERDUE).count()} overdue")
    timed("office filter, page", lambda: f"{len(list(monitored_cases(today, office='第三检察部')[:50]))} rows")
    timed("export (all rows, xlsx)", lambda: f"{len(export_workbook(monitored_cases(today), today)) // 1024} KiB", 3)
    with fast_planning(), connection.cursor() as cursor:
        sql, params = monitored_cases(today)[:50].query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql, params)
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
