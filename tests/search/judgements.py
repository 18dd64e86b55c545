"""Judged queries for the relevance suite: what a citizen types and which corpus items a
reader would want at the top. An empty list means the search must find nothing at all."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Judged:
    query: str
    relevant: tuple
    case: str


DIBAO = ("dibao_2026", "dibao_2024", "dibao_standard", "dibao_guide", "dibao_jiedu", "letter_dibao")
MEDICAL = ("medical_payment", "medical_reimburse", "medical_hospital", "nhc_merge", "letter_medical", "maternity")
SBK = ("sbk_guide", "sbk_loss", "sbk_account")
GJJ = ("gjj_withdraw", "gjj_loan", "gjj_base", "letter_gjj")
FEIYI = ("feiyi_list", "feiyi_news")

JUDGED = [
    # Abbreviations and everyday words (the editors' synonym table)
    Judged("低保", DIBAO, "abbreviation"),
    Judged("医保", MEDICAL, "abbreviation"),
    Judged("社保卡", SBK, "abbreviation"),
    Judged("公积金", GJJ, "abbreviation"),
    Judged("非遗", FEIYI, "abbreviation"),
    Judged("信息公开年报", ("column_report", "annual_2025", "annual_2024"), "abbreviation"),
    Judged("电动车", ("ebike_register", "ebike_fire", "letter_ebike", "doc_li_theft"), "abbreviation"),
    Judged("一网通办", ("ywtb_plan", "ywtb_news", "license"), "abbreviation"),
    Judged("新农合", ("nhc_merge",), "abbreviation"),
    Judged("公租房", ("gzf_apply", "gzf_result"), "abbreviation"),
    Judged("房产证", ("bdc_cert", "bdc_guide"), "abbreviation"),
    Judged("个税", ("iit",), "abbreviation"),
    Judged("驾照", ("license_drive",), "abbreviation"),
    Judged("12345", ("hotline",), "abbreviation"),
    Judged("五保", ("tekun",), "abbreviation"),
    Judged("养老金", ("pension_payment", "pension_raise"), "abbreviation"),
    # Variant characters and misspellings
    Judged("身分证", ("id_guide", "id_temp"), "variant"),
    Judged("户藉迁移", ("hukou_move",), "variant"),
    Judged("社保卡帐户激活", ("sbk_account", "sbk_guide"), "variant"),
    # Traditional characters
    Judged("醫保", MEDICAL, "traditional"),
    Judged("社會保障卡", SBK, "traditional"),
    Judged("營業執照", ("license",), "traditional"),
    Judged("殘疾人證", ("disability_card",), "traditional"),
    Judged("殯葬管理辦法", ("funeral_2025",), "traditional"),
    # Pinyin
    Judged("yibao", MEDICAL, "pinyin"),
    Judged("dibao", DIBAO, "pinyin"),
    Judged("gongjijin", GJJ, "pinyin"),
    Judged("shebaoka", SBK, "pinyin"),
    Judged("feiyi", FEIYI, "pinyin"),
    Judged("hezhangzhi", ("hezhang",), "pinyin"),
    # Full-width characters
    Judged("１２３４５热线", ("hotline",), "full-width"),
    Judged("ＡＰＰ 异地就医备案", ("medical_reimburse", "letter_medical"), "full-width"),
    # Document numbers with any brackets
    Judged("青政发〔2026〕3号", ("dibao_2026",), "document number"),
    Judged("青政发[2026]3号", ("dibao_2026",), "document number"),
    Judged("青政发(2026)3号", ("dibao_2026",), "document number"),
    Judged("青政发（2024）5号", ("dibao_2024", "dibao_2026"), "document number"),
    Judged("青政办发【2025】12号", ("ywtb_plan",), "document number"),
    Judged("青政发2015年18号", ("funeral_2015", "funeral_2025"), "document number"),
    Judged("青山检刑不诉(2026)12号", ("doc_zhao_dui",), "document number"),
    # Phrases: the words as written, not their characters scattered
    Judged("城乡居民医疗保险", ("medical_payment", "medical_reimburse", "nhc_merge"), "phrase"),
    Judged("森林防火", ("forest_fire", "forest_news"), "phrase"),
    Judged("垃圾分类", ("garbage",), "phrase"),
    Judged("不动产登记", ("bdc_guide", "bdc_cert", "ywtb_plan"), "phrase"),
    Judged("义务教育招生", ("enrol",), "phrase"),
    # Current versions above superseded and repealed ones, newer above older
    Judged("最低生活保障实施办法", ("dibao_2026", "dibao_jiedu"), "current version"),
    Judged("殡葬管理", ("funeral_2025",), "current version"),
    Judged("防汛抗旱", ("flood_2026",), "recency"),
    # Title above body
    Judged("营商环境", ("yingshang",), "title"),
    Judged("河长制", ("hezhang",), "title"),
    Judged("高龄津贴", ("old_allowance",), "title"),
    # Published letters and legal documents
    Judged("路灯维修", ("letter_streetlight",), "letter"),
    Judged("校车", ("letter_schoolbus",), "letter"),
    Judged("夜间施工噪音", ("letter_noise",), "letter"),
    Judged("赵某", ("doc_zhao_dui",), "legal document"),
    Judged("危险驾驶", ("doc_zhao_dui",), "legal document"),
    Judged("盗窃 起诉书", ("doc_li_theft",), "legal document"),
    Judged("失火", ("doc_qian_forest",), "legal document"),
    # Several words, questions
    Judged("公积金 租房 提取", ("gjj_withdraw", "letter_gjj"), "several terms"),
    Judged("电动车 上牌", ("ebike_register",), "several terms"),
    Judged("怎么办理社保卡", ("sbk_guide", "sbk_loss"), "question"),
    Judged("如何申请低保", ("dibao_2026", "dibao_2024", "dibao_guide", "dibao_jiedu", "letter_dibao"), "question"),
    Judged("公租房申请条件", ("gzf_apply",), "question"),
    Judged("城乡居民医保 缴费", ("medical_payment",), "several terms"),
    # Nothing has every term: a relaxed match, marked 部分匹配
    Judged("高龄津贴 发放 游泳馆", ("old_allowance",), "partial"),
    Judged("残疾人证 办理 轮椅补贴", ("disability_card",), "partial"),
    # Must find nothing
    Judged("登机", (), "nothing"),
    Judged("盗版", (), "nothing"),
    Judged("比特币", (), "nothing"),
    Judged("演唱会门票", (), "nothing"),
    Judged("xyzzy", (), "nothing"),
    Judged("火星移民", (), "nothing"),
]
