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
import datetime
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-deployment")
os.environ.setdefault("PII_HASH_KEY", "benchmark-only-pii-hash-key")
os.environ.setdefault("SEARCH_INDEX_PREFIX", "bench")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
# The production checks gunicorn runs at start-up: a benchmark sends no mail or text messages.
os.environ.setdefault("TOTP_ENCRYPTION_KEY", "benchmark-only-totp-encryption-key-0123456789")
os.environ.setdefault("WAGTAILADMIN_BASE_URL", "http://bench.example.gov.cn")
os.environ.setdefault("ALLOW_LOCAL_MESSAGE_BACKENDS", "true")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
os.environ.setdefault("SMS_BACKEND", "portal.sms.ConsoleBackend")
# One client address per request through the trusted proxy header, as behind the county's
# reverse proxy: the per-address limit counts distinct people, not this one benchmark.
os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.pii import id_number_check_char, mask_id_number, pii_hash  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰春梅文斌辉鹏宇浩凯"
CHARGES = [
    ("盗窃罪", "盗窃"),
    ("诈骗罪", "诈骗"),
    ("危险驾驶罪", "危险驾驶"),
    ("故意伤害罪", "故意伤害"),
    ("交通肇事罪", "交通肇事"),
    ("寻衅滋事罪", "寻衅滋事"),
    ("帮助信息网络犯罪活动罪", "帮助信息网络犯罪活动"),
    ("非法吸收公众存款罪", "非法吸收公众存款"),
    ("掩饰、隐瞒犯罪所得罪", "掩饰、隐瞒犯罪所得"),
    ("开设赌场罪", "开设赌场"),
    ("非法采矿罪", "非法采矿"),
    ("滥伐林木罪", "滥伐林木"),
]
OFFICES = ["第一检察部", "第二检察部", "第三检察部", "第四检察部", "第五检察部"]
TOWNS = ["城关镇", "青石镇", "白水乡", "东岭镇", "河西街道", "南山乡", "柳林镇", "北关街道"]
FACTS = [
    "{date}，被告人{d}在{town}一商铺内，趁无人注意之机，窃取他人财物，价值人民币{amount}元。",
    "{date}，被告人{d}通过网络聊天软件虚构投资理财项目，骗取被害人{v}人民币{amount}元。",
    "{date}晚，被告人{d}饮酒后驾驶小型轿车行驶至{town}路段时被民警查获，经鉴定血液酒精含量为{alcohol}mg/100ml。",
    "{date}，被告人{d}因琐事与被害人{v}发生争执，持木棍击打{v}头部，致其轻伤二级。",
    "{date}，被告人{d}驾驶货车在{town}路口未按规定让行，与被害人{v}驾驶的电动车相撞，造成{v}重伤。",
    "{date}，被告人{d}在{town}集市无故殴打他人，任意损毁公私财物，情节恶劣。",
    "{date}，被告人{d}明知他人利用信息网络实施犯罪，仍将本人银行卡出租给他人使用，流水金额人民币{amount}元。",
    "{date}至案发，被告人{d}以高额回报为诱饵，向社会不特定公众吸收资金人民币{amount}元。",
    "{date}，被告人{d}未经许可在{town}河道非法采砂{amount}立方米，造成矿产资源破坏。",
    "{date}，被告人{d}未办理林木采伐许可证，在{town}集体林地滥伐杉木{amount}株。",
]
REASONS = [
    "上述事实，有物证、书证、证人证言、被害人陈述、被告人供述和辩解、鉴定意见、勘验笔录等证据证实，足以认定。",
    "被告人到案后如实供述自己的罪行，系坦白，可以从轻处罚。",
    "被告人自愿认罪认罚，并签署认罪认罚具结书，可以从宽处理。",
    "被告人已退赔被害人全部经济损失，取得被害人谅解。",
    "本院认为，被告人的行为触犯了《中华人民共和国刑法》的规定，犯罪事实清楚，证据确实、充分，应当以{charge}追究其刑事责任。",
]
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


def id_number(rng, year):
    first17 = f"{rng.choice(('330122', '330127', '330182'))}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 += f"{rng.randint(0, 999):03d}"
    return first17 + id_number_check_char(first17)


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def fake_case(number, today):
    """Case `number` (1-based) of the benchmark, always the same for the same number."""
    rng = random.Random(number)
    charge, short = rng.choice(CHARGES)
    accepted = today - datetime.timedelta(days=rng.randint(0, 3 * 365))
    year = accepted.year
    defendant = person_name(rng)
    victim = person_name(rng)
    # Cases accepted in the last five weeks are still under review (a few past their limit).
    concluded = accepted < today - datetime.timedelta(days=35)
    events = [("受理", accepted, ""), ("审查", accepted + datetime.timedelta(days=1), "已告知诉讼权利")]
    time_limit = accepted + datetime.timedelta(days=30)
    if rng.random() < 0.2:
        events.append(("延长审查期限", accepted + datetime.timedelta(days=28), "延长审查起诉期限十五日"))
        time_limit += datetime.timedelta(days=15)
    outcome = ""
    if concluded:
        outcome = rng.choice(("提起公诉", "提起公诉", "提起公诉", "不起诉"))
        events.append((outcome, accepted + datetime.timedelta(days=45), ""))
        events.append(("结案", accepted + datetime.timedelta(days=46), ""))
    return {
        "number": number,
        "case_number": f"青山检刑受〔{year}〕{number}号",
        "name": f"{defendant[0]}某{short}案",
        "charge": charge,
        "office": OFFICES[number % len(OFFICES)],
        "accepted_on": accepted,
        "time_limit_on": time_limit,
        "stage": "已结案" if concluded else "审查起诉",
        "outcome": outcome,
        "measures": rng.choice(("取保候审", "监视居住", "逮捕", "")),
        "juvenile": rng.random() < 0.02,
        "parties": [
            (defendant, "defendant" if concluded else "suspect", id_number(rng, rng.randint(1960, 2004))),
            (victim, "victim", id_number(rng, rng.randint(1950, 2004))),
        ],
        "events": events,
        "rng": rng,
        "short": short,
    }


def document_texts(case):
    """A 起诉书/不起诉决定书 as sent (victim named) and as published (victim as surname + 某)."""
    rng = case["rng"]
    defendant, victim = case["parties"][0][0], case["parties"][1][0]
    fact = rng.choice(FACTS).format(
        date=f"{case['accepted_on'] - datetime.timedelta(days=rng.randint(30, 200)):%Y年%m月%d日}",
        d=defendant,
        v=victim,
        town=rng.choice(TOWNS),
        amount=rng.randint(500, 900000),
        alcohol=rng.randint(80, 260),
    )
    reasons = "".join(rng.sample(REASONS, 3)).format(charge=case["charge"])
    full = (
        f"青山县人民检察院\n被告人{defendant}，男，汉族，因涉嫌{case['charge']}，于{case['accepted_on']:%Y年%m月%d日}"
        f"被{case['measures'] or '传唤'}。\n本案由青山县公安局侦查终结，以被告人{defendant}涉嫌{case['charge']}，"
        f"移送本院审查起诉。\n经依法审查查明：{fact}\n{reasons}\n此致\n青山县人民法院"
    )
    return full, full.replace(victim, f"{victim[0]}某")


def _dt(now):
    return now.isoformat()


def empty_case_tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE cases_legaldocument, cases_caseevent, cases_party, cases_lawyerbinding, cases_case "
            "RESTART IDENTITY CASCADE"
        )


CHUNK = 50_000


def _copy(cursor, statement, rows):
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def generate(total, document_every):
    """COPY `total` cases with their parties, events and documents; return (seconds, documents).

    Cases are built CHUNK at a time, each chunk written with one COPY per table."""
    today = timezone.localdate()
    now = _dt(timezone.now())
    documents = 0
    started = time.monotonic()
    with connection.cursor() as cursor:
        for first in range(1, total + 1, CHUNK):
            cases = [fake_case(number, today) for number in range(first, min(first + CHUNK, total + 1))]
            _copy(
                cursor,
                "COPY cases_case (id, case_number, name, charge, handling_office, accepted_on, time_limit_on, "
                "current_stage, outcome, compulsory_measures, is_juvenile, is_secret, fingerprint, created_at, "
                "updated_at) FROM STDIN",
                (
                    (
                        c["number"],
                        c["case_number"],
                        c["name"],
                        c["charge"],
                        c["office"],
                        c["accepted_on"],
                        c["time_limit_on"],
                        c["stage"],
                        c["outcome"],
                        c["measures"],
                        c["juvenile"],
                        False,
                        "",
                        now,
                        now,
                    )
                    for c in cases
                ),
            )
            _copy(
                cursor,
                "COPY cases_party (case_id, name, role, id_number_hash, id_number_masked, is_minor, position) "
                "FROM STDIN",
                (
                    (c["number"], name, role, pii_hash(id_no), mask_id_number(id_no), False, position)
                    for c in cases
                    for position, (name, role, id_no) in enumerate(c["parties"], start=1)
                ),
            )
            _copy(
                cursor,
                "COPY cases_caseevent (case_id, kind, occurred_on, note, position) FROM STDIN",
                (
                    (c["number"], kind, day, note, position)
                    for c in cases
                    for position, (kind, day, note) in enumerate(c["events"], start=1)
                ),
            )
            published = [c for c in cases if c["number"] % document_every == 0 and c["outcome"] and not c["juvenile"]]
            _copy(
                cursor,
                "COPY cases_legaldocument (case_id, doc_type, number, issued_on, judgment_effective_on, full_text, "
                "source_public_text, source_publishable, rule_text, public_text, state, reviewed_at) FROM STDIN",
                (document_row(c) for c in published),
            )
            documents += len(published)
            done = first + len(cases) - 1
            print(f"  {done:,} cases after {time.monotonic() - started:.1f} s", flush=True)
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [total])
        cursor.execute("ANALYZE cases_case, cases_party, cases_caseevent, cases_legaldocument")
    return time.monotonic() - started, documents


def document_row(case):
    """An approved document: the rules' output checked by staff (see services/cases/publication.py)."""
    full, public = document_texts(case)
    kind = "indictment" if case["outcome"] == "提起公诉" else "non_prosecution"
    issued = case["accepted_on"] + datetime.timedelta(days=45)
    in_force = issued + datetime.timedelta(days=40) if kind == "indictment" else None
    number = f"青山检刑{'诉' if kind == 'indictment' else '不诉'}〔{issued.year}〕{case['number']}号"
    return (case["number"], kind, number, issued, in_force, full, "", True, public, public, "approved", timezone.now())


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def report(label, durations):
    ms = [d * 1000 for d in durations]
    print(
        f"{label}: n={len(ms)}  mean {statistics.mean(ms):.1f} ms  p50 {percentile(ms, 0.5):.1f} ms  "
        f"p95 {percentile(ms, 0.95):.1f} ms  p99 {percentile(ms, 0.99):.1f} ms  max {max(ms):.1f} ms",
        flush=True,
    )
    return percentile(ms, 0.95)


class Client:
    """A plain keep-alive HTTP client that carries cookies and a per-request client address."""

    def __init__(self, port):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def request(self, method, path, body=None, address="10.0.0.1"):
        headers = {"X-Forwarded-For": address, "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read().decode()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, content, elapsed


def start_server(port, workers):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body, _t = Client(port).request("GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    os.killpg(server.pid, signal.SIGTERM)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def lookups(port, total_cases, count):
    from captcha.models import CaptchaStore

    today = timezone.localdate()
    rng = random.Random(2026)
    client = Client(port)
    durations, shown = [], 0
    for attempt in range(count + 20):
        number = rng.randint(1, total_cases)
        case = fake_case(number, today)
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
    return report("verified case lookup (POST /cases/query/)", durations)


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
        lookup_p95 = lookups(options.port, total, options.lookups) if options.lookups else float("nan")
        search_p95 = searches(options.port, options.searches) if options.searches else float("nan")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print(f"targets: lookup p95 {lookup_p95:.1f} ms (<= 50), document search p95 {search_p95:.1f} ms (<= 150)")


if __name__ == "__main__":
    main()
