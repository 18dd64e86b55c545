"""Benchmark of the site search at 100,000 items: Elasticsearch against the database backend.

    make bench-search                        # 100,000 articles (see the Makefile target)
    python scripts/bench_search.py --items 20000 --searches 200

Steps, each timed and printed:
1. generate N published articles of a county site (policies, notices, guides, news in ten
   columns, realistic titles, summaries, bodies, document numbers, some amended or
   repealed) straight into PostgreSQL with COPY, as Wagtail pages;
2. build the site search index with the product's own rebuild (`update_index --site-only`);
3. start the portal under gunicorn with production settings and Elasticsearch, and send the
   same list of searches over HTTP (one word, several words, abbreviations, traditional
   characters, document numbers, filters, sort by date, page 2), one at a time;
4. start it again without Elasticsearch (the database backend on PostgreSQL, as while
   Elasticsearch is down) and send the same searches.

Every answer is checked to be a results page (HTTP 200 with a result count), so a fast error
cannot pass. The database must be a dedicated benchmark database (its name must contain
"bench"): it is emptied first. The index is deleted at the end unless --keep-index.
"""

import argparse
import datetime
import os
import random
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_support import setup_django  # noqa: E402

setup_django("benchsearch")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from scripts.bench_support import Client, percentile, report, start_server, stop_server  # noqa: E402

COLUMNS = [
    ("政策文件", "zcwj", "policy"),
    ("通知公告", "tzgg", "notices"),
    ("政策解读", "zcjd", "general"),
    ("政务动态", "zwdt", "news"),
    ("乡镇动态", "xzdt", "news"),
    ("办事指南", "bszn", "general"),
    ("人事任免", "rsrm", "personnel"),
    ("领导讲话", "ldjh", "speeches"),
    ("信息公开指南", "gkzn", "guide"),
    ("综合信息", "zhxx", "general"),
]
SUBJECTS = [
    "城乡居民最低生活保障",
    "城乡居民基本医疗保险",
    "住房公积金",
    "社会保障卡",
    "非物质文化遗产",
    "电动自行车",
    "不动产登记",
    "森林防火",
    "防汛抗旱",
    "生活垃圾分类",
    "义务教育招生",
    "公共租赁住房",
    "老旧小区改造",
    "高龄津贴",
    "残疾人证",
    "营商环境",
    "河长制",
    "殡葬管理",
    "农村公路养护",
    "安全生产",
    "食品安全",
    "乡村振兴",
    "高标准农田",
    "消防安全",
    "征兵",
    "助学贷款",
    "个人所得税",
    "营业执照",
    "政务服务",
    "养老服务",
]
TITLES = [
    "关于做好{year}年{s}工作的通知",
    "青山县{s}实施办法",
    "{s}办事指南",
    "《青山县{s}实施办法》政策解读",
    "{town}召开{s}工作推进会",
    "关于{s}有关事项的公告",
    "县政府常务会议研究{s}等工作",
    "{year}年{s}工作要点",
]
TOWNS = ["城关镇", "石岭镇", "河口镇", "青石镇", "白沙乡", "桃源乡", "东岭镇", "柳林镇"]
BODIES = [
    "为进一步做好{s}工作，根据国家和省有关规定，结合本县实际，现就有关事项通知如下。",
    "各乡镇人民政府，县直各有关单位要高度重视，压实责任，确保{s}各项任务落到实处。",
    "申请人可以通过政务服务网在线办理，也可以到县政务服务中心窗口办理，材料齐全的当场受理。",
    "会议强调，要坚持以人民为中心的发展思想，聚焦群众急难愁盼问题，持续改善民生。",
    "{town}组织干部深入村（社区）开展宣传，发放资料{n}份，解答群众咨询{m}人次。",
    "对工作中发现的问题，要建立台账，明确整改时限，做到件件有落实、事事有回音。",
    "本办法自发布之日起施行，由县有关部门负责解释。",
    "各单位要加强统筹协调，形成工作合力，及时报送工作进展情况。",
]
DEPARTMENTS = ["青山县人民政府", "青山县民政局", "青山县医疗保障局", "青山县教育局", "青山县住房和城乡建设局"]
QUERIES = [
    {"q": "最低生活保障"},
    {"q": "低保"},
    {"q": "医保"},
    {"q": "醫療保險"},
    {"q": "公积金 提取"},
    {"q": "社保卡"},
    {"q": "森林防火"},
    {"q": "不动产登记 办事指南"},
    {"q": "义务教育招生"},
    {"q": "青政发(2025){n}号"},
    {"q": "营商环境", "sort": "date"},
    {"q": "垃圾分类", "type": "policy"},
    {"q": "殡葬管理", "period": "year"},
    {"q": "安全生产", "page": "2"},
    {"q": "乡村振兴 城关镇"},
    {"q": "怎么办理残疾人证"},
    {"q": "电动车 上牌"},
    {"q": "dibao"},
    {"q": "高龄津贴 发放"},
    {"q": "非遗"},
]


def check_database():
    name = connection.settings_dict["NAME"]
    if "bench" not in name:
        raise SystemExit(f"refusing to replace the page tree of database {name!r}: use a benchmark database")


def build_site():
    """Home page and ten columns through Wagtail's page API."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from home.models import ColumnPage, HomePage

    call_command("flush", interactive=False, verbosity=0)  # a dedicated database: start empty
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="青山县人民政府", slug="home"))
    home.save_revision().publish()
    Site.objects.all().delete()
    Site.objects.create(hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="青山县")
    columns = []
    for title, slug, kind in COLUMNS:
        column = home.add_child(instance=ColumnPage(title=title, slug=slug, kind=kind))
        column.save_revision().publish()
        column.refresh_from_db()
        columns.append(column)
    return columns


def _copy(cursor, table, columns, rows):
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def step(number):
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
    return digits


def article(rng, column, position, today):
    subject = rng.choice(SUBJECTS)
    town = rng.choice(TOWNS)
    date = today - datetime.timedelta(days=rng.randint(0, 6 * 365))
    title = rng.choice(TITLES).format(year=date.year, s=subject, town=town)
    body = "".join(
        f"<p>{rng.choice(BODIES).format(s=subject, town=town, n=rng.randint(100, 900), m=rng.randint(20, 300))}</p>"
        for _ in range(rng.randint(3, 7))
    )
    policy = column.kind == "policy"
    return {
        "title": title,
        "date": date,
        "summary": f"明确{subject}的工作目标、主要任务和保障措施。" if policy else "",
        "body": body,
        "document_no": f"青政发〔{date.year}〕{position % 60 + 1}号" if policy else "",
        "issuing_body": rng.choice(DEPARTMENTS),
        "validity": rng.choices(("valid", "amended", "repealed"), weights=(90, 7, 3))[0] if policy else "valid",
        "slug": f"a{position}",
        "column": column,
        "position": position,
    }


def generate(total):
    """Write `total` live articles under the ten columns with COPY; returns seconds taken."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    from home.models import ArticlePage

    columns = build_site()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    locale = Locale.objects.first().pk
    page_columns = [f.column for f in Page._meta.local_concrete_fields if f.column != "id"]
    article_columns = [f.column for f in ArticlePage._meta.local_concrete_fields]
    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    started = time.monotonic()
    per_column = [0] * len(columns)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence('wagtailcore_page', 'id'))")
        first_id = cursor.fetchone()[0]
        items = []
        for number in range(total):
            index = number % len(columns)
            per_column[index] += 1
            items.append(article(rng, columns[index], per_column[index], today))
        pages = (
            {
                "path": item["column"].path + step(item["position"]),
                "depth": item["column"].depth + 1,
                "numchild": 0,
                "translation_key": uuid.uuid4(),
                "locale_id": locale,
                "latest_revision_id": None,
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": now,
                "last_published_at": now,
                "live_revision_id": None,
                "go_live_at": None,
                "expire_at": None,
                "expired": False,
                "locked": False,
                "locked_at": None,
                "locked_by_id": None,
                "title": item["title"],
                "draft_title": item["title"],
                "slug": item["slug"],
                "content_type_id": content_type,
                "url_path": f"{item['column'].url_path}{item['slug']}/",
                "owner_id": None,
                "latest_revision_created_at": now,
                "alias_of_id": None,
                "show_in_menus": False,
                "seo_title": "",
                "search_description": "",
            }
            for item in items
        )
        _copy(cursor, "wagtailcore_page", page_columns, pages)
        details = (
            {
                "page_ptr_id": first_id + 1 + number,
                "date": item["date"],
                "summary": item["summary"],
                "body": item["body"],
                "cover_image_id": None,
                "source": "县政府办公室",
                "collected_on": item["date"],
                "collector": "基准测试",
                "is_excerpt": False,
                "author": "",
                "original_source": "",
                "index_no": "",
                "document_no": item["document_no"],
                "issuing_body": item["issuing_body"],
                "written_on": item["date"],
                "topic": "",
                "validity": item["validity"],
                "superseded_by_id": None,
                "is_sensitive": False,
            }
            for number, item in enumerate(items)
        )
        cursor.execute("SELECT min(id) FROM wagtailcore_page WHERE path LIKE %s", [columns[0].path + "_%"])
        if cursor.fetchone()[0] != first_id + 1:
            raise SystemExit("page ids were not allocated in one run; is another process writing pages?")
        _copy(cursor, "home_articlepage", article_columns, details)
        for column, count in zip(columns, per_column, strict=True):
            cursor.execute("UPDATE wagtailcore_page SET numchild = %s WHERE id = %s", [count, column.pk])
        cursor.execute("ANALYZE wagtailcore_page, home_articlepage")
    return time.monotonic() - started


def searches(port, count, label):
    rng = random.Random(11)
    client = Client(port)
    durations, found = [], 0
    for attempt in range(count + 20):
        params = dict(rng.choice(QUERIES))
        params["q"] = params["q"].format(n=rng.randint(1, 60))
        status, page, elapsed = client.request("GET", "/search/?" + urllib.parse.urlencode(params))
        if status != 200 or "search-results" not in page:
            raise SystemExit(f"{label}: /search/ answered HTTP {status} for {params}")
        found += "共找到" in page
        if attempt >= 20:  # the first requests warm the workers (jieba's dictionary) and are not counted
            durations.append(elapsed)
    print(f"  {found} of {count + 20} searches found results")
    return report(label, durations), percentile([d * 1000 for d in durations], 0.5)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep-index", action="store_true", help="leave the benchmark index in Elasticsearch")
    parser.add_argument("--skip-generate", action="store_true", help="reuse the articles and index of a former run")
    parser.add_argument(
        "--reuse-articles", action="store_true", help="reuse the articles of a former run, build the index again"
    )
    args = parser.parse_args()
    check_database()
    from search.connection import get_client, index_name

    if not args.skip_generate:
        call_command("migrate", verbosity=0)
        if not args.reuse_articles:
            seconds = generate(args.items)
            print(f"generated {args.items:,} articles in {seconds:.1f} s", flush=True)
        started = time.monotonic()
        call_command("update_index", site_only=True, verbosity=0)
        seconds = time.monotonic() - started
        print(f"site search index built: {args.items:,} entries in {seconds:.1f} s ({args.items / seconds:,.0f}/s)")
    call_command("collectstatic", interactive=False, verbosity=0)
    results = {}
    try:
        for label, elasticsearch in (("Elasticsearch", True), ("database backend (PostgreSQL)", False)):
            env = {key: value for key, value in os.environ.items() if elasticsearch or key != "ELASTICSEARCH_URL"}
            server = start_server(args.port, args.workers, env)
            try:
                results[label] = searches(args.port, args.searches, f"GET /search/ — {label}")
            finally:
                stop_server(server)
    finally:
        if not args.keep_index:
            client = get_client()
            for name in client.indices.get(index=f"{index_name('')}*", expand_wildcards="all"):
                client.indices.delete(index=name)
            print("benchmark indices deleted")
    (es_p95, es_p50), (db_p95, db_p50) = results.values()
    print(f"database backend / Elasticsearch: p50 {db_p50 / es_p50:.1f}×, p95 {db_p95 / es_p95:.1f}×")
    print(f"target p95 ≤ 100 ms with Elasticsearch: {'met' if es_p95 <= 100 else 'NOT met'} ({es_p95:.1f} ms)")


if __name__ == "__main__":
    main()
