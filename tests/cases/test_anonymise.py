"""The anonymisation rules for published legal documents, one rule at a time, and the residual
scan that stops staff from publishing a text in which the rules still find personal data."""

import pytest

from services.cases.anonymise import (
    ACCOUNT_MARKER,
    ADDRESS_MARKER,
    HEALTH_MARKER,
    ID_MARKER,
    PHONE_MARKER,
    anonymise,
    pseudonym,
    residual_findings,
)

from .builders import SUSPECT_ID, VICTIM_ID


def public(text, names=()):
    return anonymise(text, names).text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("王秀英", "王某"),
        ("陈证", "陈某"),
        ("欧阳明", "欧阳某"),
        ("司马光", "司马某"),
        ("诸葛亮亮", "诸葛某"),
        ("上官婉儿", "上官某"),
    ],
)
def test_protected_names_become_surname_and_mou(name, expected):
    assert pseudonym(name) == expected
    assert public(f"被害人{name}报案。", [name]) == f"被害人{expected}报案。"


def test_a_surname_that_only_looks_compound_stays_one_character():
    assert pseudonym("欧阳") == "欧某"  # a two-character name, not the compound surname alone


def test_a_name_already_followed_by_mou_is_not_doubled():
    assert public("证人王秀英某某、王秀英某均称", ["王秀英"]) == "证人王某、王某均称"


def test_names_not_listed_as_protected_stay():
    assert public("被告人李建国伙同他人", ["王秀英"]) == "被告人李建国伙同他人"


def test_the_longer_name_wins_when_one_name_contains_another():
    assert public("证人王秀英之子王秀", ["王秀", "王秀英"]) == "证人王某之子王某"


@pytest.mark.parametrize("number", [SUSPECT_ID, VICTIM_ID, "99000019850612003x", "990000850612003"])
def test_id_numbers_of_18_and_15_characters_are_removed(number):
    assert public(f"身份证号码{number}，汉族") == f"身份证号码{ID_MARKER}，汉族"


@pytest.mark.parametrize(
    "phone", ["13812345678", "138-1234-5678", "138 1234 5678", "+8613812345678", "0571-87654321", "（0571）87654321"]
)
def test_mobile_and_landline_numbers_are_removed(phone):
    assert public(f"其联系方式{phone}。") == f"其联系方式{PHONE_MARKER}。"


def test_a_short_local_number_is_removed_after_a_phone_keyword_only():
    assert public("联系电话：8765432，") == f"联系电话：{PHONE_MARKER}，"
    assert public("共计8765432元") == "共计8765432元"  # an amount, not a phone number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("向账号6222020200112233445转账", f"向账号{ACCOUNT_MARKER}转账"),
        ("卡号：6217 0012 3456 7890 123", f"卡号：{ACCOUNT_MARKER}"),
        ("银行账户为1234567890，", f"银行账户为{ACCOUNT_MARKER}，"),
        ("转入6222-0202-0011-2233，", f"转入{ACCOUNT_MARKER}，"),
        ("共转入6222020200112233", f"共转入{ACCOUNT_MARKER}"),  # 16 digits; 18 count as an ID number
    ],
)
def test_bank_accounts_and_card_numbers_are_removed(text, expected):
    assert public(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("男，汉族，住青山县城关镇幸福路8号。", f"男，汉族，{ADDRESS_MARKER}。"),
        ("女，现住青山县河西乡王家村3组，", f"女，{ADDRESS_MARKER}，"),
        ("户籍地青山县东城街道；", f"{ADDRESS_MARKER}；"),
        ("其家住青山县幸福小区5栋，", f"其{ADDRESS_MARKER}，"),
        ("暂住青山县工业园宿舍。", f"{ADDRESS_MARKER}。"),
        ("住址：青山县城关镇人民路1号\n", f"{ADDRESS_MARKER}\n"),
    ],
)
def test_the_address_clause_after_an_address_keyword_is_removed(text, expected):
    assert public(text) == expected


def test_words_that_merely_contain_zhu_are_not_addresses():
    text = "他记住了车牌，居住证明已调取，住宿登记在案。"
    assert public(text) == text
    # 住院 is a health detail, not an address.
    assert public("被害人住院治疗十天，") == f"{HEALTH_MARKER}，"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("被告人李建国患有高血压，", f"被告人李建国{HEALTH_MARKER}，"),
        ("经医院诊断为抑郁发作。", f"经医院{HEALTH_MARKER}。"),
        ("其有癫痫病史，", f"{HEALTH_MARKER}，"),
        ("被害人系HIV感染者。", f"{HEALTH_MARKER}。"),
        ("另查明，其曾感染梅毒；", f"另查明，其曾{HEALTH_MARKER}；"),
        ("被害人王某患有抑郁症。", f"被害人王某{HEALTH_MARKER}。"),
    ],
)
def test_health_details_are_removed_clause_by_clause(text, expected):
    assert public(text) == expected


def test_injury_findings_needed_for_the_charge_stay():
    text = "经鉴定，被害人的损伤程度为轻伤二级。"
    assert public(text) == text


def test_a_whole_document_and_the_changes_located_in_the_output():
    text = (
        f"被告人李建国，身份证号{SUSPECT_ID}，住青山县城关镇幸福路8号。"
        f"被害人王秀英（身份证号{VICTIM_ID}，手机13812345678）被盗现金。"
        "证人陈证、鉴定人司马光、未成年人钱小明均在场。"
    )
    result = anonymise(text, ["王秀英", "陈证", "司马光", "钱小明"])
    assert result.text == (
        f"被告人李建国，身份证号{ID_MARKER}，{ADDRESS_MARKER}。"
        f"被害人王某（身份证号{ID_MARKER}，手机{PHONE_MARKER}）被盗现金。"
        "证人陈某、鉴定人司马某、未成年人钱某均在场。"
    )
    assert [change.kind for change in result.changes] == [
        "id_number",
        "address",
        "name",
        "id_number",
        "phone",
        "name",
        "name",
        "name",
    ]
    for change in result.changes:
        assert result.text[change.start : change.end] in (
            ID_MARKER,
            ADDRESS_MARKER,
            PHONE_MARKER,
            "王某",
            "陈某",
            "司马某",
            "钱某",
        )
    marked = [piece for piece, change in result.segments() if change]
    assert "".join(piece for piece, _ in result.segments()) == result.text
    assert marked[0] == ID_MARKER and marked[2] == "王某"


def test_the_rule_output_is_clean_for_the_residual_scan():
    names = ["王秀英", "陈证"]
    text = f"被害人王秀英，住青山县城关镇，电话0571-87654321，身份证号{VICTIM_ID}，患有糖尿病。证人陈证。"
    assert residual_findings(anonymise(text, names).text, names) == []


def test_the_residual_scan_reports_what_staff_put_back():
    names = ["王秀英"]
    findings = residual_findings(f"被害人王秀英，身份证号{VICTIM_ID}，被害人王某，电话13812345678。", names)
    assert [(f.kind, f.original) for f in findings] == [
        ("name", "王秀英"),
        ("id_number", VICTIM_ID),
        ("phone", "13812345678"),
    ]


def test_running_the_rules_again_changes_nothing():
    names = ["王秀英", "欧阳明"]
    once = public(f"被害人王秀英、欧阳明，住青山县，卡号6222020200112233445，有高血压病史。{SUSPECT_ID}", names)
    assert public(once, names) == once


def test_a_marker_that_fills_brackets_does_not_double_them():
    assert public("被害人（现住青山县东城街道花园小区）外出") == "被害人（住址已删除）外出"
    assert public("电话（13812345678）") == "电话（电话号码已删除）"


# --- Names a role word introduces (not listed as parties) ---------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经鉴定人周立新鉴定，其血液中乙醇含量超标。", "经鉴定人周某鉴定，其血液中乙醇含量超标。"),
        ("证人周红证实了上述事实。", "证人周某证实了上述事实。"),
        ("证人周红、王丽、张强均证实", "证人周某、王某、张某均证实"),
        ("被害人马秀珍停放的电动车被盗。", "被害人马某停放的电动车被盗。"),
        ("法定代理人钱国强同意和解。", "法定代理人钱某同意和解。"),
        ("近亲属赵小燕申请查询。", "近亲属赵某申请查询。"),
        ("诉讼代理人陈建华（系被害人之女）提交了书面意见。", "诉讼代理人陈某（系被害人之女）提交了书面意见。"),
        ("辩护人韩春生，系被不起诉人的舅舅。", "辩护人韩某，系被不起诉人的舅舅。"),
        ("被害人刘桂兰的儿子陈建军发现后报案。", "被害人刘某的儿子陈某发现后报案。"),
        ("其妻李红称当晚未见其外出。", "其妻李某称当晚未见其外出。"),
        ("鉴定人：欧阳明远出具了鉴定意见。", "鉴定人：欧阳某出具了鉴定意见。"),
        ("证人于立新证实", "证人于某证实"),
        ("证人张三的证言", "证人张某的证言"),
        ("报案人徐立平打电话报警。", "报案人徐某打电话报警。"),
    ],
)
def test_names_a_role_word_introduces_become_surname_and_mou_and_are_flagged(text, expected):
    result = anonymise(text)
    assert result.text == expected
    assert result.changes and all(change.flagged for change in result.changes)
    assert all(change.label.startswith("姓名（") for change in result.changes)


@pytest.mark.parametrize(
    "text",
    [
        "被害人陈述、证人证言、鉴定意见等证据证实。",
        "被害人陈述称其不认识被告人。",
        "被害人家属要求从严惩处。",
        "被害人和证人均证实了案发经过。",
        "被害人于当日报警，证人向民警反映了情况。",
        "被害人车辆被盗，被害人单位财物受损。",
        "辩护人张三（青山明理律师事务所律师）提出辩护意见。",
        "辩护人林晓峰，青山明理律师事务所律师。",
        "辩护人张三、李四（均为青山明理律师事务所律师）到庭。",
        "诉讼代理人孙丽律师到庭。",
        "辩护律师张三提出从轻处罚的意见。",
        "被害人王某、证人李某某均到庭。",
        "被害人损失已全部退赔，被害人身体多处受伤。",
    ],
)
def test_words_after_a_role_word_that_are_no_names_to_hide_stay(text):
    assert public(text) == text


def test_the_role_is_named_in_the_change_staff_see():
    [change] = anonymise("经鉴定人周立新鉴定。").changes
    assert (change.kind, change.label, change.original) == ("role_name", "姓名（鉴定人）", "周立新")


def test_a_listed_party_named_after_a_role_word_counts_as_a_listed_name():
    [change] = anonymise("被害人王秀英报案。", ["王秀英"]).changes
    assert change.kind == "name" and not change.flagged


def test_the_residual_scan_finds_a_role_word_name_put_back_unless_staff_keep_it():
    text = "辩护人张三提出无罪辩护意见。"  # a lawyer named without the word 律师
    assert [(f.kind, f.original) for f in residual_findings(text)] == [("role_name", "张三")]
    assert residual_findings(text, kept_names=["张三"]) == []
    # A listed party's name cannot be kept.
    findings = residual_findings("被害人王秀英报案。", ["王秀英"], kept_names=["王秀英"])
    assert [(f.kind, f.original) for f in findings] == [("name", "王秀英")]


def test_role_word_names_anonymised_once_stay_as_they_are():
    once = public("经鉴定人周立新鉴定，证人周红、王丽均证实，其妻李红称。")
    assert once == "经鉴定人周某鉴定，证人周某、王某均证实，其妻李某称。"
    assert public(once) == once and residual_findings(once) == []
