"""Fictitious cases at scale, written straight into PostgreSQL with COPY: used by
`manage.py generate_scale_data --cases N` and the case benchmark (scripts/bench_cases.py).

Case `number` is always the same case for the same seed: its parties (with valid, made-up ID
numbers stored only as keyed hashes and masks, portal.pii), procedural events and, for every Nth
concluded adult case, a published anonymised legal document, approved as staff approve them
(services/cases/publication.py)."""

import datetime
import random
import time

from django.db import connection
from django.utils import timezone

from portal.pii import id_number_check_char, mask_id_number, pii_hash

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


def id_number(rng, year):
    first17 = f"{rng.choice(('330122', '330127', '330182'))}{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first17 += f"{rng.randint(0, 999):03d}"
    return first17 + id_number_check_char(first17)


def person_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def fake_case(number, today, seed=0):
    """Case `number` (1-based), always the same for the same number and seed."""
    rng = random.Random(number if not seed else f"{seed}:{number}")
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


CHUNK = 50_000


def _copy(cursor, statement, rows):
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def next_case_number():
    """The first case number (and id) after the cases already stored."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) + 1 FROM cases_case")
        return cursor.fetchone()[0]


def generate(total, document_every, start=1, seed=0, log=print):
    """COPY `total` cases numbered from `start` with their parties, events and documents; return
    (seconds, documents).

    Cases are built CHUNK at a time, each chunk written with one COPY per table."""
    today = timezone.localdate()
    now = timezone.now().isoformat()
    documents = 0
    started = time.monotonic()
    end = start + total
    with connection.cursor() as cursor:
        for first in range(start, end, CHUNK):
            cases = [fake_case(number, today, seed) for number in range(first, min(first + CHUNK, end))]
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
            log(f"  {done - start + 1:,} cases after {time.monotonic() - started:.1f} s")
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [max(end - 1, 1)])
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
