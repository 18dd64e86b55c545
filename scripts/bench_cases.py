"""Benchmark of 案件信息公开 at scale: generation, bulk indexing, and the two public HTTP doors.

    make bench-cases                       # 1,000,000 cases (see the Makefile target)
    python scripts/bench_cases.py --cases 100000 --lookups 300 --searches 300

Steps, each timed and printed:
1. generate N fictitious cases with parties, procedural events and (every Nth case) a
   published, anonymised legal document straight into PostgreSQL with COPY;
2. bulk-index them with the product's own rebuild (`reindex_cases`: new index versions,
   then an atomic alias swap);
3. start the portal under gunicorn with production settings and measure, over HTTP,
   the verified case lookup (GET the form for its captcha, then POST case number + party
   name + ID number; only the POST is timed) and the legal-document search with filters.

Every lookup is checked to show the case's timeline and every search to answer with a
page, so a fast wrong answer cannot pass. The database must be a dedicated benchmark
database (its name must contain "bench"): the case tables are emptied first.
"""

import argparse
import random
import re
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_support import setup_django  # noqa: E402

setup_django("bench")

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from scripts.bench_support import Client, percentile, report, start_server, stop_server  # noqa: E402
from services.cases.scale_data import OFFICES, fake_case, generate  # noqa: E402

SEARCH_TERMS = [
    "盗窃",
    "诈骗",
    "危险驾驶",
    "认罪认罚",
    "被害人",
    "取保候审",
    "酒精含量",
    "银行卡",
    "轻伤",
    "谅解",
    "采砂",
    "林木",
]


def empty_case_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_legaldocument, cases_caseevent, cases_party, cases_lawyerbinding, cases_case "
            "RESTART IDENTITY CASCADE"
        )


def lookups(port, numbers, count, seed=0):
    """`count` verified lookups (after 20 not counted) of cases drawn from `numbers`."""
    from captcha.models import CaptchaStore

    today = timezone.localdate()
    rng = random.Random(2026)
    client = Client(port)
    durations, shown = [], 0
    for attempt in range(count + 20):
        number = rng.choice(numbers)
        case = fake_case(number, today, seed)
        name, _role, id_no = case["parties"][rng.randint(0, 1)]
        address = f"10.{attempt // 65536 % 256}.{attempt // 256 % 256}.{attempt % 256}"
        status, page, _t = client.request("GET", "/cases/query/", address=address)
        hashkey = re.search(r'name="captcha_0"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="captcha_0"', page
        )
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        answer = CaptchaStore.objects.get(hashkey=hashkey.group(1)).response
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "case_number": case["case_number"],
            "party_name": name,
            "id_number": id_no,
            "captcha_0": hashkey.group(1),
            "captcha_1": answer,
        }
        status, page, elapsed = client.request("POST", "/cases/query/", body=form, address=address)
        if status != 200:
            raise SystemExit(f"lookup answered HTTP {status} for case {number}")
        found = "未查询到相关案件" not in page
        expected = not case["juvenile"]
        if found != expected or (found and "受理" not in page):
            raise SystemExit(f"lookup of case {number} gave a wrong answer (found={found}, expected={expected})")
        shown += found
        if attempt >= 20:  # the first requests warm the workers and are not counted
            durations.append(elapsed)
    print(f"  {shown} of {count + 20} lookups showed a timeline (juvenile cases correctly answered as not found)")
    report("verified case lookup (POST /cases/query/)", durations)
    return durations


def searches(port, count):
    rng = random.Random(7)
    client = Client(port)
    years = list(range(timezone.localdate().year - 3, timezone.localdate().year + 1))
    durations, with_hits = [], 0
    for attempt in range(count + 20):
        params = {"q": rng.choice(SEARCH_TERMS)}
        if rng.random() < 0.4:
            params["year"] = rng.choice(years)
        if rng.random() < 0.3:
            params["office"] = rng.choice(OFFICES)
        if rng.random() < 0.3:
            params["type"] = rng.choice(("indictment", "non_prosecution"))
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 5)
        status, page, elapsed = client.request("GET", "/cases/documents/?" + urllib.parse.urlencode(params))
        if status != 200:
            raise SystemExit(f"document search answered HTTP {status} for {params}")
        with_hits += "<mark>" in page
        if attempt >= 20:
            durations.append(elapsed)
    print(f"  {with_hits} of {count + 20} searches returned highlighted hits")
    return report("legal-document search (GET /cases/documents/)", durations)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--document-every", type=int, default=10, help="every Nth case gets a published document")
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--searches", type=int, default=500)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-generate", action="store_true", help="reuse the cases already generated")
    parser.add_argument("--skip-index", action="store_true", help="reuse the indices already built")
    options = parser.parse_args()

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "DATABASE_URL must name a dedicated PostgreSQL benchmark database (its name containing 'bench')."
        )
    if not settings.ELASTICSEARCH_URL:
        raise SystemExit("ELASTICSEARCH_URL must point at the Elasticsearch server.")
    prefix = settings.SEARCH_INDEX_PREFIX
    print(f"database {database['NAME']}, Elasticsearch {settings.ELASTICSEARCH_URL}, index prefix {prefix}")

    from django.core.management import call_command

    from services.cases.documents import rebuild_indices
    from services.cases.models import Case

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    if not options.skip_generate:
        empty_case_tables()
        print(f"generating {options.cases:,} cases …", flush=True)
        seconds, documents = generate(options.cases, options.document_every)
        print(
            f"generation: {options.cases:,} cases (+ parties, events) and {documents:,} documents "
            f"in {seconds:.1f} s = {options.cases / seconds:,.0f} cases/s",
            flush=True,
        )
    total = Case.objects.count()
    if not options.skip_index:
        print("bulk indexing (reindex_cases) …", flush=True)
        started = time.monotonic()
        _targets, count = rebuild_indices()
        seconds = time.monotonic() - started
        print(
            f"bulk indexing: {count:,} entries for {total:,} cases in {seconds:.1f} s = {total / seconds:,.0f} cases/s"
        )

    server = start_server(options.port, options.workers)
    try:
        lookup_p95 = float("nan")
        if options.lookups:
            lookup_p95 = percentile(
                [d * 1000 for d in lookups(options.port, range(1, total + 1), options.lookups)], 0.95
            )
        search_p95 = searches(options.port, options.searches) if options.searches else float("nan")
    finally:
        stop_server(server)
    print(f"targets: lookup p95 {lookup_p95:.1f} ms (<= 50), document search p95 {search_p95:.1f} ms (<= 150)")


if __name__ == "__main__":
    main()
