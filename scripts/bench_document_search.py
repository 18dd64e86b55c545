"""Benchmark of the public document search (法律文书公开) over HTTP.

    generate N   create N published, staff-approved documents (N/5 cases) in the configured
                 database and rebuild the search indices from it
    measure URL  send requests (a mix of keyword queries, filters, pages and the plain newest-first
                 listing) to URL (e.g. http://127.0.0.1:8000/cases/documents/) and print the
                 latency percentiles

Run with the environment of the deployment to measure (DATABASE_URL, ELASTICSEARCH_URL,
SEARCH_INDEX_PREFIX, DJANGO_SETTINGS_MODULE). Documents are written with bulk inserts rather
than through the import so that 100,000 of them take a minute, not an hour; the page reads
them exactly as it reads imported ones (from the index of approved documents).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OFFICES = ["第一检察部", "第二检察部", "第三检察部", "第四检察部", "未成年人检察部"]
CHARGES = ["盗窃罪", "诈骗罪", "危险驾驶罪", "故意伤害罪", "寻衅滋事罪", "帮助信息网络犯罪活动罪", "交通肇事罪"]
FACTS = [
    "趁被害人不备窃取其手机一部",
    "醉酒驾驶机动车在道路上行驶",
    "以虚构投资项目为由骗取他人钱款",
    "因琐事与他人发生争执并殴打对方",
    "在公共场所随意殴打他人，情节恶劣",
    "明知他人利用信息网络实施犯罪，为其提供银行卡",
    "驾驶机动车违反交通运输管理法规，发生重大事故",
    "多次进入超市窃取商品",
    "冒充客服人员以退款为名骗取钱款",
]
ENDINGS = [
    "犯罪情节轻微，具有自首、退赔情节，决定不起诉。",
    "犯罪事实清楚，证据确实、充分，应当追究其刑事责任。",
    "经复查，原处理决定认定事实清楚，适用法律正确，予以维持。",
]
TYPES = ["non_prosecution", "indictment", "appeal_review", "protest", "non_prosecution"]
QUERY_TERMS = ["盗窃", "诈骗", "醉酒驾驶", "银行卡", "自首", "殴打", "交通事故", "退赔", "超市", "复查"]


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    import django

    django.setup()


def document_text(rng, suspect):
    facts = rng.sample(FACTS, 3)
    return (
        f"被不起诉人{suspect}，男，汉族，初中文化。经依法审查查明：{facts[0]}；后又{facts[1]}。"
        f"此外，{suspect}还{facts[2]}。上述事实有书证、证人证言、鉴定意见等证据证实。"
        f"本院认为，{suspect}的行为触犯了《中华人民共和国刑法》的有关规定，{rng.choice(ENDINGS)}"
    )


def generate(count, seed=2026):
    from django.db import transaction

    from services.cases.documents import rebuild_indices
    from services.cases.models import Case, LegalDocument

    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    start = time.perf_counter()
    per_case = 5
    batch = 2000
    made = 0
    base = datetime.date(2020, 1, 1)
    while made < count:
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                Case(
                    case_number=f"青山检刑受〔BENCH〕{made + n}号",
                    name="某某案",
                    charge=rng.choice(CHARGES),
                    handling_office=rng.choice(OFFICES),
                    accepted_on=base + datetime.timedelta(days=rng.randrange(2200)),
                    current_stage="已结案",
                    fingerprint="bench",
                )
                for n in range(0, min(batch, count - made), per_case)
            )
            documents = []
            for case in cases:
                for k in range(per_case):
                    if made + len(documents) >= count:
                        break
                    doc_type = rng.choice(TYPES)
                    issued = case.accepted_on + datetime.timedelta(days=rng.randrange(30, 200))
                    text = document_text(rng, f"张{rng.choice('伟强磊军勇杰涛明超')}{k}")
                    documents.append(
                        LegalDocument(
                            case=case,
                            doc_type=doc_type,
                            number=f"青山检刑〔BENCH〕{made + len(documents)}号",
                            issued_on=issued,
                            judgment_effective_on=issued + datetime.timedelta(days=60),
                            full_text=text,
                            rule_text=text,
                            public_text=text,
                            source_publishable=True,
                            state=LegalDocument.State.APPROVED,
                        )
                    )
            LegalDocument.objects.bulk_create(documents)
        made += len(documents)
    written = time.perf_counter() - start
    start = time.perf_counter()
    _targets, indexed = rebuild_indices()
    rebuilt = time.perf_counter() - start
    print(f"{made} documents written in {written:.1f} s; indices rebuilt ({indexed} items) in {rebuilt:.1f} s")


def measure(url, requests_count, seed=7):
    import requests

    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    session = requests.Session()

    def params():
        choice = rng.random()
        if choice < 0.2:
            return {}
        query = {"q": rng.choice(QUERY_TERMS)}
        if choice < 0.5:
            query["type"] = rng.choice(TYPES)
        if choice > 0.8:
            query["year"] = str(rng.randrange(2020, 2027))
        if 0.6 < choice < 0.75:
            query["office"] = rng.choice(OFFICES)
        if rng.random() < 0.2:
            query["page"] = str(rng.randrange(2, 20))
        return query

    for _ in range(20):  # warm up connections and caches
        session.get(url, params=params(), timeout=10)
    timings = []
    for _ in range(requests_count):
        started = time.perf_counter()
        response = session.get(url, params=params(), timeout=10)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200 or "全文检索服务暂时不可用" in response.text:
            raise SystemExit(f"bad answer: {response.status_code} for {response.url}")
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    median = statistics.median(timings)
    print(f"{requests_count} requests: p50 {median:.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    gen = sub.add_parser("generate")
    gen.add_argument("count", type=int)
    run = sub.add_parser("measure")
    run.add_argument("url")
    run.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    if args.command == "generate":
        setup_django()
        generate(args.count)
    else:
        measure(args.url, args.requests)


if __name__ == "__main__":
    main()
