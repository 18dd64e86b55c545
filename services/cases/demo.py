"""Fictitious demo cases for `seed_demo`, loaded through the import path (idempotent).

The ID numbers are made up (region code 990000 does not exist) but carry valid check
characters, so the public query can be tried with them. Their documents go through the
anonymisation rules and the staff check like imported ones, so 法律文书公开 shows results;
they name people the case does not list, introduced by a role word (鉴定人, 证人, 被害人,
a non-lawyer 辩护人, relatives, 诉讼代理人), and a lawyer whose name stays."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q

from portal.pii import id_number_check_char

from .importing import CREATED, apply_record
from .models import Case, LegalDocument
from .monitoring import ensure_default_stage_limits
from .publication import approve_document
from .records import parse_record

# Names the demo documents introduce by a role word without listing them as parties: the
# rules must replace every one (the lawyer 林晓峰 keeps his name).
ROLE_WORD_NAMES = ("周立新", "吴海峰", "韩春生", "马秀珍", "陈建军", "陈建华")


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
                    "judgment_effective_on": ago(20),
                    "full_text": "被告人赵明，男，身份证号码"
                    + demo_id("99000019920101001")
                    + "，住青山县城关镇幸福路8号，联系电话13900001111。\n"
                    "辩护人林晓峰，青山明理律师事务所律师。\n"
                    "经依法审查查明：被告人赵明于深夜醉酒驾驶小型轿车行驶至青山县人民路时被民警查获，"
                    "经鉴定人周立新鉴定，其血液中乙醇含量为每百毫升186毫克。证人吴海峰证实了被告人驾车离开饭店的经过。\n"
                    "本院认为，被告人赵明在道路上醉酒驾驶机动车，其行为已触犯《中华人民共和国刑法》"
                    "第一百三十三条之一，犯罪事实清楚，证据确实、充分，应当以危险驾驶罪追究其刑事责任。",
                    "published": True,
                },
            ],
        },
        {
            "case_number": f"青山检刑受〔{year}〕1号",
            "name": "孙某盗窃案",
            "charge": "盗窃罪",
            "handling_office": "第一检察部",
            "accepted_on": ago(90),
            "time_limit_on": ago(60),
            "current_stage": "已结案",
            "outcome": "不起诉",
            "parties": [
                {"name": "孙志强", "role": "犯罪嫌疑人", "id_number": demo_id("99000019980707001")},
                {"name": "刘桂兰", "role": "被害人", "id_number": demo_id("99000019580909002")},
                {"name": "周红", "role": "证人"},
            ],
            "events": [
                {"kind": "受理", "date": ago(90)},
                {"kind": "审查", "date": ago(88)},
                {"kind": "不起诉", "date": ago(62)},
                {"kind": "结案", "date": ago(62)},
            ],
            "documents": [
                {
                    "type": "不起诉决定书",
                    "number": f"青山检刑不诉〔{year}〕1号",
                    "date": ago(62),
                    "full_text": "被不起诉人孙志强，男，身份证号码"
                    + demo_id("99000019980707001")
                    + "，户籍地青山县河西乡孙家村。\n"
                    "辩护人韩春生，系被不起诉人孙志强的舅舅。\n"
                    "经本院依法审查查明：被不起诉人孙志强趁被害人刘桂兰（现住青山县东城街道花园小区）外出之机，"
                    "窃取其放在家中的现金人民币二千元；同日，又窃取被害人马秀珍停放在楼道内的电动自行车电瓶一块，"
                    "价值人民币三百元。被害人刘桂兰的儿子陈建军发现后报案。证人周红证实了上述事实。"
                    "案发后，孙志强退赔了被害人全部损失，取得谅解。被害人刘桂兰患有糖尿病，案发后曾住院治疗。"
                    "被害人刘桂兰的诉讼代理人陈建华（系被害人之女）提交了书面意见。\n"
                    "本院认为，孙志强实施了《中华人民共和国刑法》第二百六十四条规定的行为，但犯罪情节轻微，"
                    "具有坦白、退赔情节，根据《中华人民共和国刑事诉讼法》第一百七十七条第二款的规定，决定对孙志强不起诉。",
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


def demo_publisher():
    """The first active user allowed to publish documents (the demo's 案管 account), if any."""
    permission = Q(groups__permissions__codename="publish_document") | Q(user_permissions__codename="publish_document")
    return get_user_model().objects.filter(permission, is_active=True).order_by("pk").first()


def seed_demo_cases(today, publisher=None):
    """Create the demo cases that do not exist yet (existing ones are left as they are), and
    let the 案管 account approve their documents waiting in 待核对; returns how many cases were
    created. The stage time-limit settings are put back if missing."""
    ensure_default_stage_limits()
    created = 0
    for data in demo_records(today):
        if Case.objects.filter(case_number=data["case_number"]).exists():
            continue
        outcome, case = apply_record(parse_record(data))
        created += outcome == CREATED
        publisher = publisher or demo_publisher()
        if publisher is None:
            continue
        for document in case.documents.filter(state=LegalDocument.State.PENDING):
            approve_document(document, publisher, document.public_text)
    return created
