"""Fictitious demo cases for `seed_demo`, loaded through the import path (idempotent).

The ID numbers are made up (region code 990000 does not exist) but carry valid check
characters, so the public query can be tried with them."""

import datetime

from portal.pii import id_number_check_char

from .importing import CREATED, apply_record
from .models import Case
from .monitoring import ensure_default_stage_limits
from .records import parse_record


def demo_id(first17):
    return first17 + id_number_check_char(first17)


def demo_records(today):
    def ago(days):
        return (today - datetime.timedelta(days=days)).isoformat()

    year = today.year
    return [
        {
            "case_number": f"青山检刑受〔{year}〕8号",
            "name": "李某盗窃案",
            "charge": "盗窃罪",
            "handling_office": "第一检察部",
            "accepted_on": ago(20),
            "time_limit_on": ago(-10),
            "current_stage": "审查起诉",
            "compulsory_measures": "取保候审",
            "parties": [
                {"name": "李建国", "role": "犯罪嫌疑人", "id_number": demo_id("99000019850612003")},
                {"name": "王秀英", "role": "被害人", "id_number": demo_id("99000019700305002")},
            ],
            "events": [
                {"kind": "受理", "date": ago(20)},
                {"kind": "审查", "date": ago(18), "note": "已告知犯罪嫌疑人有权委托辩护人"},
            ],
        },
        {
            "case_number": f"青山检刑受〔{year}〕3号",
            "name": "赵某危险驾驶案",
            "charge": "危险驾驶罪",
            "handling_office": "第一检察部",
            "accepted_on": ago(75),
            "time_limit_on": ago(45),
            "current_stage": "已结案",
            "outcome": "提起公诉",
            "parties": [{"name": "赵明", "role": "被告人", "id_number": demo_id("99000019920101001")}],
            "events": [
                {"kind": "受理", "date": ago(75)},
                {"kind": "审查", "date": ago(74)},
                {"kind": "提起公诉", "date": ago(50)},
                {"kind": "结案", "date": ago(50)},
            ],
            "documents": [
                {
                    "type": "起诉书",
                    "number": f"青山检刑诉〔{year}〕2号",
                    "date": ago(50),
                    "full_text": "被告人赵明，男，身份证号码"
                    + demo_id("99000019920101001")
                    + "，住青山县城关镇幸福路8号。经依法审查查明：被告人赵明醉酒驾驶机动车……",
                    "public_text": "被告人赵明，男。经依法审查查明：被告人赵明醉酒驾驶机动车……",
                    "published": True,
                },
            ],
        },
        {
            "case_number": f"青山检未受〔{year}〕1号",
            "name": "未成年人案件",
            "charge": "故意伤害罪",
            "handling_office": "第二检察部",
            "accepted_on": ago(12),
            "current_stage": "审查起诉",
            "juvenile": True,
            "parties": [{"name": "钱小明", "role": "犯罪嫌疑人", "id_number": demo_id("99000020100101002")}],
            "events": [{"kind": "受理", "date": ago(12)}],
        },
        # Two open cases for the time-limit monitoring screen: one arrest review (7 days, no
        # limit sent, so computed) due tomorrow, one prosecution review past its extended limit.
        {
            "case_number": f"青山检捕受〔{year}〕5号",
            "name": "孙某诈骗案",
            "charge": "诈骗罪",
            "handling_office": "第二检察部",
            "accepted_on": ago(6),
            "current_stage": "审查逮捕",
            "compulsory_measures": "刑事拘留",
            "parties": [{"name": "孙志强", "role": "犯罪嫌疑人", "id_number": demo_id("99000019880808001")}],
            "events": [{"kind": "受理", "date": ago(6)}],
        },
        {
            "case_number": f"青山检刑受〔{year}〕6号",
            "name": "周某故意伤害案",
            "charge": "故意伤害罪",
            "handling_office": "第一检察部",
            "accepted_on": ago(50),
            "time_limit_on": ago(5),
            "current_stage": "审查起诉",
            "compulsory_measures": "逮捕",
            "parties": [{"name": "周国华", "role": "犯罪嫌疑人", "id_number": demo_id("99000019790315001")}],
            "events": [
                {"kind": "受理", "date": ago(50)},
                {"kind": "审查", "date": ago(49)},
                {"kind": "延长审查期限", "date": ago(22), "note": "案情重大复杂，延长审查起诉期限十五日"},
            ],
        },
    ]


def seed_demo_cases(today):
    """Create the demo cases that do not exist yet (existing ones are left as they are);
    returns how many were created. The stage time-limit settings are put back if missing."""
    ensure_default_stage_limits()
    created = 0
    for data in demo_records(today):
        if Case.objects.filter(case_number=data["case_number"]).exists():
            continue
        outcome, _case = apply_record(parse_record(data))
        created += outcome == CREATED
    return created
