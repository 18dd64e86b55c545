"""The portal's benchmark in the production shape (issue 15): one table of the public pages.

    make bench                                   # 10,000 pages, 100,000 letters (see the Makefile)
    make bench ARGS="--pages 2000 --letters 20000 --duration 5"
    make bench ARGS="--with-others"              # also the case, search and appointment benchmarks, small

Steps:
1. empty the dedicated benchmark database (its name must contain "bench"), migrate, load the demo
   portal (`seed_demo`), then `generate_scale_data` and the site search index (`update_index`);
2. gunicorn, 2 sync workers, production settings, PostgreSQL, Elasticsearch, Redis as CACHE_URL:
   a. with the page cache off (PAGE_CACHE_SECONDS=0): every request renders;
   b. with the page cache on (Redis), requests straight to gunicorn;
   c. the same behind nginx with the repository's configuration (deploy/nginx/, as the topology
      tests run it: tests/test_media_topology.py);
   each page loaded with wrk (Debian) at 16 connections, and at 1 connection uncached; the case
   lookup (captcha, POST, never cached) with the case benchmark's own client;
3. print one table with the date, the machine and its load.

Every page is fetched once first and checked to be the right page (HTTP 200 and its title), and
wrk's count of non-2xx answers is printed, so a fast error cannot pass as a fast page.
"""

import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench_support import ROOT, setup_django  # noqa: E402

os.environ.setdefault("PAGE_CACHE_KEY_PREFIX", f"bench-all-{int(time.time())}")
os.environ.setdefault("STATIC_ROOT", str(ROOT / "var" / "bench-static"))
os.environ.setdefault("MEDIA_ROOT", str(ROOT / "var" / "bench-media"))
os.environ.setdefault("TASKS_BACKEND", "database")
setup_django("benchall")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from scripts.bench_cases import lookups  # noqa: E402
from scripts.bench_support import Client, percentile, start_server, stop_server  # noqa: E402
from tests.test_media_topology import NGINX, free_port, nginx_config, production_env, wait_for  # noqa: E402

WRK = os.environ.get("WRK_PATH", "wrk")
SEARCH = "/search/?" + urllib.parse.urlencode({"q": "最低生活保障"})
TARGETS = (
    "home through nginx ≥ 1,000 req/s with p99 ≤ 50 ms at 16 connections",
    "home from gunicorn alone with the app cache ≥ 400 req/s",
    "uncached article p50 ≤ 25 ms at 1 connection",
)


def check_database():
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql" or "bench" not in database["NAME"]:
        raise SystemExit(
            "DATABASE_URL must name a dedicated PostgreSQL benchmark database (its name containing 'bench')."
        )
    if not settings.ELASTICSEARCH_URL or not settings.CACHE_URL.startswith("redis://"):
        raise SystemExit("ELASTICSEARCH_URL and CACHE_URL (Redis) must be set: run it with `make bench`.")
    return database["NAME"]


def timed(label, function, *args, **kwargs):
    started = time.monotonic()
    result = function(*args, **kwargs)
    print(f"{label}: {time.monotonic() - started:.1f} s", flush=True)
    return result


def load(options):
    """An empty database, the demo portal, the scale data and the site search index."""
    from search.connection import get_client, index_name

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    client = get_client()
    for name in client.indices.get(index=f"{index_name('')}*", expand_wildcards="all"):
        client.indices.delete(index=name)
    timed("migrate", call_command, "migrate", verbosity=0)
    timed("seed_demo", call_command, "seed_demo", quiet=True)
    sizes = {"pages": options.pages, "letters": options.letters, "cases": options.cases, "seed": options.seed}
    timed(f"generate_scale_data {sizes}", call_command, "generate_scale_data", **sizes)
    timed("update_index --site-only", call_command, "update_index", site_only=True, verbosity=0)
    timed("reindex_cases", call_command, "reindex_cases", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def pages():
    """(label, path, text the answer must hold) of the pages measured."""
    from home.models import ArticlePage, ColumnPage

    column = max(
        ColumnPage.objects.live().filter(kind__in=("news", "notices", "policy")),
        key=lambda page: page.numchild,
    )
    article = ArticlePage.objects.live().child_of(column).order_by("-date", "-pk").first()
    catalogue = ColumnPage.objects.live().filter(kind=ColumnPage.Kind.CATALOGUE).first()
    return [
        ("home", "/", "青山县"),
        (f"column list ({column.numchild:,} items)", column.url, article.title),
        ("article", article.url, article.title),
        ("catalogue", catalogue.url, catalogue.title),
        ("search", SEARCH, "search-results"),
        ("letters list", "/letters/", "</html>"),
    ]


def check_pages(port, measured):
    client = Client(port)
    for label, path, text in measured:
        status, body, _elapsed = client.request("GET", path)
        if status != 200 or text not in body:
            raise SystemExit(f"{label}: GET {path} answered HTTP {status} without {text!r}")


def wrk(port, path, connections, duration):
    """(requests/s, p50 ms, p99 ms, non-2xx answers) of wrk at `connections`."""
    command = [WRK, f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    command += ["-H", "Host: 127.0.0.1", f"http://127.0.0.1:{port}{path}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)  # no answer within 30 s: counted as errors
    latencies = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)\s*$", output, re.MULTILINE))
    failed = sum(int(match.group(1)) for match in (errors, timeouts) if match)
    return rate, _ms(latencies["50"]), _ms(latencies["99"]), failed


def _ms(value):
    number, unit = re.fullmatch(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def measure(port, measured, duration, results, column, connections=16):
    for label, path, _text in measured:
        Client(port).request("GET", path)  # warm: the first request fills the caches
        results.setdefault(label, {})[column] = wrk(port, path, connections, duration)
        rate, p50, p99, errors = results[label][column]
        print(f"  {label:32} {column:12} {rate:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {errors}")


def case_lookups(port, count, seed, generated):
    """The verified lookup of the generated cases (the last `generated` ones), one at a time."""
    from services.cases.models import Case

    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    durations = lookups(port, range(last - generated + 1, last + 1), count, seed)
    ms = [d * 1000 for d in durations]
    return len(ms) / sum(durations), percentile(ms, 0.5), percentile(ms, 0.99), 0


def machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = next(
        line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
    )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores, {model}, {int(memory) / 1024 / 1024:.1f} GB RAM, load average {load}"


def cell(values):
    if values is None:
        return "—"
    rate, p50, p99, errors = values
    text = f"{rate:,.1f} /s {p50:.1f} / {p99:.1f}" if rate < 100 else f"{rate:,.0f} /s {p50:.1f} / {p99:.1f}"
    return text + (f" ({errors} errors)" if errors else "")


def table(results, options, started_load):
    print()
    print(f"make bench — {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC — {started_load}")
    print(
        f"data: {options.pages:,} pages, {options.letters:,} letters, {options.cases:,} cases (seed {options.seed}); "
        f"gunicorn 2 sync workers, production settings; wrk on the same machine, {options.duration} s per cell"
    )
    print("cells: requests/s  p50 / p99 in ms; 16 connections unless marked")
    headings = ("page", "uncached, 1 conn", "uncached", "app cache (gunicorn)", "nginx + app cache")
    rows = [
        (label, cell(row.get("uncached-1")), cell(row.get("uncached")), cell(row.get("app")), cell(row.get("nginx")))
        for label, row in results.items()
    ]
    widths = [max(len(str(row[i])) for row in [headings, *rows]) for i in range(len(headings))]
    for row in [headings, ["-" * width for width in widths], *rows]:
        print(" | ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)))


def verdicts(results):
    home, article = results["home"], results["article"]
    nginx, app, uncached = home["nginx"], home["app"], article["uncached-1"]
    met = (
        nginx[0] >= 1000 and nginx[2] <= 50,
        app[0] >= 400,
        uncached[1] <= 25,
    )
    for target, ok, figures in zip(
        TARGETS,
        met,
        (f"{nginx[0]:,.0f} req/s, p99 {nginx[2]:.1f} ms", f"{app[0]:,.0f} req/s", f"p50 {uncached[1]:.1f} ms"),
        strict=True,
    ):
        print(f"target {target}: {'met' if ok else 'NOT met'} ({figures})")


def others(run):
    if not run:
        print(
            "case, search and appointment benchmarks: their own figures are in the README "
            "(make bench-cases, make bench-search, make bench-appointments; "
            "`make bench ARGS=--with-others` runs them here at small sizes)"
        )
        return
    for target, args in (
        ("bench-cases", "--cases 20000 --lookups 100 --searches 100"),
        ("bench-search", "--items 5000 --searches 100"),
        ("bench-appointments", ""),
    ):
        print(f"\n--- make {target} ARGS='{args}'", flush=True)
        env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "SEARCH_INDEX_PREFIX")}
        subprocess.run(["make", "-s", target, f"ARGS={args}"], cwd=ROOT, env=env, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--letters", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per cell")
    parser.add_argument("--lookups", type=int, default=100, help="verified case lookups (1 at a time)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the data of a former run")
    parser.add_argument("--with-others", action="store_true", help="also run the case, search, appointment benchmarks")
    options = parser.parse_args()
    name = check_database()
    started_load = machine()
    print(f"database {name}, Elasticsearch {settings.ELASTICSEARCH_URL}, Redis {settings.CACHE_URL}", flush=True)
    if not options.skip_load:
        load(options)
    measured = pages()
    static_root = Path(settings.STATIC_ROOT)
    results = {}
    port = free_port()
    base = {
        "STATIC_ROOT": str(static_root),
        "PAGE_CACHE_KEY_PREFIX": settings.CACHES["pages"]["KEY_PREFIX"],
        # The keys the data was generated with: hashed ID and phone numbers must match.
        "PII_HASH_KEY": os.environ["PII_HASH_KEY"],
        "SECRET_KEY": os.environ["SECRET_KEY"],
    }

    print("uncached (PAGE_CACHE_SECONDS=0):", flush=True)
    server = start_server(port, 2, production_env(**base, PAGE_CACHE_SECONDS="0"))
    try:
        check_pages(port, measured)
        measure(port, measured, options.duration, results, "uncached-1", connections=1)
        measure(port, measured, options.duration, results, "uncached")
        if options.lookups and options.cases:
            lookup = case_lookups(port, options.lookups, options.seed, options.cases)
            results["case lookup (POST, never cached)"] = {"uncached-1": lookup}
    finally:
        stop_server(server)

    print("app cache (Redis), then nginx in front:", flush=True)
    server = start_server(port, 2, production_env(**base))
    nginx = None
    try:
        check_pages(port, measured)
        measure(port, measured, options.duration, results, "app")
        with tempfile.TemporaryDirectory(prefix="bench-nginx-") as directory:
            nginx_port = free_port()
            config = nginx_config(Path(directory), nginx_port, port, static_root)
            nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", directory], stderr=subprocess.STDOUT)
            try:
                wait_for(f"http://127.0.0.1:{nginx_port}/healthz", nginx)
                measure(nginx_port, measured, options.duration, results, "nginx")
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)
    finally:
        stop_server(server)

    table(results, options, started_load)
    print("case lookup: GET the form, then POST number + name + ID number with the captcha; only the POST timed")
    print(f"load average at the end: {', '.join(f'{value:.1f}' for value in os.getloadavg())}")
    verdicts(results)
    others(options.with_others)


if __name__ == "__main__":
    main()
