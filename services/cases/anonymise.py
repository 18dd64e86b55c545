"""Rule-based anonymisation of legal documents for publication (法律文书公开).

人民检察院案件信息公开工作规定: victims, witnesses, experts and minors appear as surname + 某;
addresses, phone numbers, ID numbers, bank accounts and health details are removed.
Suspects and defendants keep their names (unless they are minors).

Names are found two ways: the full names the case-management system lists for the case's
protected parties (everyone but adult suspects and defendants), and names the text itself
introduces with a role word (鉴定人周立新, 证人周红、王丽, 被害人的母亲张秀兰, 法定代理人,
近亲属, 诉讼代理人 and 辩护人 who are not lawyers…), whether or not they are listed parties.
Both become surname + 某; the second kind is flagged (kind "role_name") so the checking
staff look at each one.

`anonymise(text, protected_names)` applies every rule below to a text and returns the public
version together with the spans it changed (so staff can see what the rules did);
`residual_findings(text, protected_names)` runs the same rules over a text staff are about to
publish and lists whatever personal data they would still change. A text is clean when the
rules have nothing left to do: the markers they insert ("（住址已删除）"…) and surname + 某
are not findings.

The rules are data (`RULES`): a kind, a label shown to staff, the pattern and the text that
replaces a match. Where a rule must keep a leading keyword (账号：…) the pattern captures the
personal data in a group named `data` and only that group is replaced.

Known limits (why staff check every document before it is published):
- Listed parties are found by their full name only: given names alone (秀英), nicknames and
  misspellings are not recognised.
- A name the text introduces is found only right after a role word (ROLE_WORDS, with kinship
  words such as 其母、妻子) and only when it starts with a common surname (SURNAMES); a person
  named without a role word (张三作证) is not found. Where the name ends (2–4 characters) is
  judged from what follows: punctuation or a word that usually follows a name (证实, 鉴定,
  称, 的…, FOLLOWERS). When nothing tells, surname + two characters is taken, which may take
  the first character of the next word too (张伟打人 → 张某人) or leave the last one of a long
  name. After surnames that are as often ordinary words (于, 向, 和…, AMBIGUOUS_SURNAMES) only
  punctuation or 证实/称… end a name, so 证人于立新到场 is missed.
- A word after a role word that looks like a name (被害人车辆, 被害人陈述) is left alone only
  when it is in NOT_NAMES: staff may meet a false hit, and confirm on the check screen that it
  is not a name.
- 辩护人 and 诉讼代理人 are taken for lawyers, and keep their names, when 律师 follows the
  name in the same sentence (辩护人张三（某律师事务所律师）, 辩护人张三律师). A lawyer named
  without that word is anonymised, and a non-lawyer described as 律师 keeps the name.
- A bare 住 counts as an address only at the start of a clause ("，住青山县…"); an address
  written without any of the keywords (住/住址/现住/户籍地/家住/暂住/居住地/住所地) stays.
- Landline numbers are recognised with an area code (0571-87654321, （0571）87654321) or after
  a phone keyword (电话/联系电话/座机/手机); a bare 7–8 digit number elsewhere stays, because
  amounts and other figures look the same.
- An 18-character number is taken for an ID number, a 15-digit one too (an 18-digit card
  number is removed all the same, under the wrong label).
- Any run of 12 or more digits is removed as a bank account or card number (also when it is
  something else, e.g. a long serial number); shorter account numbers only after a keyword
  (账号/卡号/银行账户/账户).
- Health details are found by keywords (患有, 诊断, 病史, 艾滋病, 住院…), and the rest of
  the clause goes with the keyword (for 病史/艾滋病… the whole clause); a clause that
  describes an illness in other words stays. Injury findings needed for the charge
  (轻伤二级) are kept on purpose: they are the legal content of an assault case.
- Email addresses, vehicle plates and the like are not personal data under these rules and stay.
"""

import re
from dataclasses import dataclass

# Two-character surnames (复姓); any other name keeps its first character as the surname.
COMPOUND_SURNAMES = (
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 澹台 "
    "公冶 宗政 濮阳 淳于 单于 太叔 申屠 仲孙 鲜于 闾丘 司空 西门 南宫 端木 百里 呼延 第五"
).split()

ADDRESS_MARKER = "（住址已删除）"
ID_MARKER = "（身份证号已删除）"
PHONE_MARKER = "（电话号码已删除）"
ACCOUNT_MARKER = "（账号已删除）"
HEALTH_MARKER = "（健康信息已删除）"

# A clause ends at any of these (the end of the text ends it too).
_CLAUSE_END = r"，,。；;：:！!？?、\n（）()"
_CLAUSE = rf"[^{_CLAUSE_END}]"
_CLAUSE_START = rf"(?<![^{_CLAUSE_END}])"
_NOT_DIGIT_BEFORE = r"(?<![0-9A-Za-z])"
_NOT_DIGIT_AFTER = r"(?![0-9A-Za-z])"


_HEALTH_LEAD = r"患有|罹患|(?:被|经)?诊断为|经诊断|确诊为?|感染"
_HEALTH_WORDS = r"病史|既往史|HIV|hiv|艾滋病|梅毒|精神分裂|精神病|精神疾病|抑郁症|癫痫|病毒携带|住院"


@dataclass(frozen=True)
class Rule:
    kind: str
    label: str
    pattern: re.Pattern
    replacement: str


def _rule(kind, label, pattern, replacement):
    return Rule(kind, label, re.compile(pattern), replacement)


RULES = (
    _rule("id_number", "身份证号", rf"{_NOT_DIGIT_BEFORE}(?:\d{{17}}[\dXx]|\d{{15}}){_NOT_DIGIT_AFTER}", ID_MARKER),
    _rule(
        "phone",
        "手机号码",
        rf"{_NOT_DIGIT_BEFORE}(?:(?:\+|00)?86[- ]?)?1[3-9]\d(?:[- ]?\d{{4}}){{2}}{_NOT_DIGIT_AFTER}",
        PHONE_MARKER,
    ),
    _rule(
        "phone",
        "固定电话",
        rf"(?:{_NOT_DIGIT_BEFORE}0\d{{2,3}}[-－—]|[（(]0\d{{2,3}}[）)])\d{{7,8}}(?:[-－转]\d{{1,5}})?{_NOT_DIGIT_AFTER}",
        PHONE_MARKER,
    ),
    _rule(
        "phone",
        "电话号码",
        r"(?:电话|联系电话|联系方式|座机|手机|手机号)(?:号码|号)?(?:为|是|：|:)?\s*(?P<data>\d[\d\-－ ]{5,}\d)",
        PHONE_MARKER,
    ),
    _rule(
        "account",
        "银行账号",
        r"(?:账号|帐号|卡号|银行账户|银行帐户|账户|帐户|银行卡)(?:号码|号)?(?:为|是|：|:)?\s*(?P<data>\d[\d\- ]{5,}\d)",
        ACCOUNT_MARKER,
    ),
    _rule(
        "account",
        "银行卡号",
        rf"{_NOT_DIGIT_BEFORE}(?:\d{{12,}}|\d{{4}}(?:[ -]\d{{4}}){{2,4}}(?:[ -]\d{{1,3}})?){_NOT_DIGIT_AFTER}",
        ACCOUNT_MARKER,
    ),
    _rule(
        "address",
        "住址",
        rf"(?:现住址|住址|现住|户籍所在地|户籍地|家住|暂住|居住地|住所地|(?<![^，,。；;、\n])住(?!院|宿|所|址))"
        rf"(?!已删除)(?:为|是|在|于|：|:)?{_CLAUSE}+",
        ADDRESS_MARKER,
    ),
    _rule("health", "健康信息", rf"(?:{_HEALTH_LEAD}){_CLAUSE}*", HEALTH_MARKER),
    # A clause naming an illness goes whole, unless a keyword above starts the health detail
    # (then the clause's subject, e.g. 被害人王某, stays and only the detail goes).
    _rule(
        "health",
        "健康信息",
        rf"{_CLAUSE_START}(?:(?!{_HEALTH_LEAD}){_CLAUSE})*(?:{_HEALTH_WORDS}){_CLAUSE}*",
        HEALTH_MARKER,
    ),
)


def surname(name):
    """The surname of a Chinese name: a known compound surname (欧阳) or the first character."""
    name = name.strip()
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound) and len(name) > len(compound):
            return compound
    return name[:1]


def pseudonym(name):
    """Surname + 某: 王秀英 → 王某, 欧阳明 → 欧阳某."""
    return f"{surname(name)}某"


# --- Names a role word introduces ---------------------------------------------------------

# Words after which the text names someone whose name is not published (surname + 某).
ROLE_WORDS = (
    "附带民事诉讼原告人",
    "法定代理人",
    "诉讼代理人",
    "委托代理人",
    "代理人",
    "被害人",
    "证人",
    "鉴定人",
    "辩护人",
    "近亲属",
    "申诉人",
    "控告人",
    "举报人",
    "报案人",
    "监护人",
    "保证人",
    "未成年人",
    # Relatives named in the narrative (被害人的母亲张秀兰, 其妻李红).
    "父亲",
    "母亲",
    "妻子",
    "丈夫",
    "儿子",
    "女儿",
    "哥哥",
    "弟弟",
    "姐姐",
    "妹妹",
    "祖父",
    "祖母",
    "亲属",
    "家属",
    "其父",
    "其母",
    "其妻",
    "其夫",
    "其子",
    "其女",
    "其兄",
    "其弟",
    "其姐",
    "其妹",
)
# Roles a lawyer may hold: the name stays when 律师 follows it in the same sentence.
LAWYER_ROLES = ("辩护人", "诉讼代理人", "委托代理人", "代理人")

# Common single-character surnames. Characters that are far more often ordinary words than
# surnames (时, 都, 来, 由, 国…) are left out on purpose: after a role word they would mostly
# be false hits.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农卓古吉缪简车项连芦麦褚"
    "娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查"
    "苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊仝郜阚帅屠练廉禹漆巴卿狄计索宣晋芮扈晁"
)
# Surnames that are as often ordinary words after a role word (被害人于当日…, 证人向民警…):
# a name starting with one is taken only when what follows shows where it ends.
AMBIGUOUS_SURNAMES = frozenset("于向和成应单方车关房常")
# Words that follow a role word and start with a surname but are not names.
NOT_NAMES = tuple(
    "陈述 陈列 和解 和好 车辆 车上 车内 方面 方式 方向 单位 房屋 房间 应当 应该 关系 于是 向其 "
    "何时 何处 高度 付款 余款 余额 常住 田地 石头 金额 万元 白天 安全 文书 成年 成为 成功 程序 "
    "牛奶 龙头 华为 江边 马路 宁可 连续 包括 包裹 苏醒 钱款 钱财 钱物 钱包 "
    "毛发 方便 管理 管制 曲折 路上 路边 路口 游戏 卫生 宫颈 蒙受 沙发 谈话 谈判".split()
)
# What may follow a name: punctuation, the end, or one of these words.
_NAME_ENDS = frozenset("，,。；;：:、（()）！!？?“”\"'‘’…—-　 \n\t")
FOLLOWERS = (
    "证实",
    "证明",
    "证言",
    "证称",
    "陈述",
    "供述",
    "辨认",
    "指认",
    "鉴定",
    "检验",
    "出具",
    "作证",
    "出庭",
    "到案",
    "到庭",
    "报案",
    "报警",
    "作出",
    "签名",
    "签字",
    "确认",
    "提供",
    "提出",
    "反映",
    "介绍",
    "讲述",
    "看到",
    "看见",
    "听到",
    "发现",
    "驾驶",
    "携带",
    "要求",
    "同意",
    "表示",
    "谅解",
    "一同",
    "一起",
    "共同",
    "当庭",
    "当场",
    "家中",
    "律师",
    "身份",
    "申请",
    "申诉",
    "控告",
    "举报",
    "委托",
    "陪同",
    "到场",
    "在场",
    "认为",
    "承认",
    "签收",
    "领取",
    "收到",
    "告诉",
    "告知",
    "联系",
    "系",
    "是",
    "称",
    "说",
    "的",
    "与",
    "和",
    "及",
    "等",
    "均",
    "在",
    "于",
    "到",
    "向",
    "对",
    "将",
    "把",
    "被",
    "因",
    "经",
    "住",
    "也",
    "亦",
    "所",
    "之",
    "为",
    "即",
    "已",
    "曾",
    "未",
    "不",
    "并",
    "又",
    "还",
    "就",
    "现",
    "受",
    "遭",
    "从",
    "给",
    "让",
    "用",
    "拿",
    "男",
    "女",
)
# After a surname that is as often an ordinary word, only these (or punctuation) end a name.
STRONG_FOLLOWERS = (
    "证实",
    "证明",
    "证言",
    "证称",
    "陈述",
    "供述",
    "鉴定",
    "出具",
    "作证",
    "出庭",
    "签名",
    "称",
    "系",
    "均",
    "等",
)
_ROLE_AT = re.compile("(?=(" + "|".join(sorted(ROLE_WORDS, key=len, reverse=True)) + "))")
_JOINERS = ("、", "和", "及", "与")


def _is_given_name_char(char):
    return "\u4e00" <= char <= "\u9fff" and char != "某"


def _name_ends_at(text, position, followers=FOLLOWERS):
    return position >= len(text) or text[position] in _NAME_ENDS or text.startswith(followers, position)


def _could_be_name(text, start, given_start, end):
    given = text[given_start:end]
    if len(given) < end - given_start or not all(_is_given_name_char(char) for char in given):
        return False
    if end - given_start == 2 and text.startswith(FOLLOWERS, given_start + 1):
        return False  # 张三的: the second character starts the next word
    if any(_ROLE_AT.match(text, position) for position in range(given_start, end)):
        return False  # 被害人和证人…: the "name" runs into the next role word
    return not text.startswith(NOT_NAMES, start)


def _name_at(text, start):
    """The end of a name that starts at `start` (surname + one or two characters), or None.

    The name ends where punctuation or a word that follows names begins; a two-character
    given name wins when both fit. When neither fits (被害人马秀珍停放…), surname + two
    characters is taken, so that a name is hidden rather than shown. After surnames that are
    as often ordinary words (被害人于当日报警, 证人向民警反映) only punctuation or a word such
    as 证实/称 ends a name, and nothing is taken when neither fits."""
    compound = next((name for name in COMPOUND_SURNAMES if text.startswith(name, start)), None)
    surnames = [compound] if compound else []
    if text[start : start + 1] in SURNAMES:
        surnames.append(text[start])
    for family in surnames:
        given_start = start + len(family)
        ambiguous = family in AMBIGUOUS_SURNAMES
        followers = STRONG_FOLLOWERS if ambiguous else FOLLOWERS
        for end in (given_start + 2, given_start + 1):
            if _could_be_name(text, start, given_start, end) and _name_ends_at(text, end, followers):
                return end
        if not ambiguous and _could_be_name(text, start, given_start, given_start + 2):
            return given_start + 2
    return None


def _lawyer_follows(text, end):
    """律师 later in the same sentence: 辩护人张三（某律师事务所律师）, 辩护人张三律师."""
    sentence = re.split(r"[。；;\n]", text[end : end + 40], maxsplit=1)[0]
    return "律师" in sentence


def _role_word_names(text):
    """Names introduced by a role word: 鉴定人周立新, 证人周红、王丽, 其母张秀兰."""
    spans = {}
    for match in _ROLE_AT.finditer(text):
        role = match.group(1)
        position = match.start() + len(role)
        if text[position : position + 1] in ("：", ":"):
            position += 1
        names = []
        while (end := _name_at(text, position)) is not None:
            names.append((position, end))
            if text[end : end + 1] not in _JOINERS:
                break
            position = end + 1
        if role in LAWYER_ROLES and names and _lawyer_follows(text, names[-1][1]):
            continue
        for start, end in names:
            spans.setdefault((start, end), role)
    return [
        _Match(start, end, "role_name", f"姓名（{role}）", pseudonym(text[start:end]))
        for (start, end), role in spans.items()
    ]


@dataclass(frozen=True)
class Change:
    """One change the rules made: `start`/`end` locate the replacement in the output text.
    Names found after a role word are `flagged`: staff check each one."""

    kind: str
    label: str
    start: int
    end: int
    original: str

    @property
    def flagged(self):
        return self.kind == "role_name"


@dataclass(frozen=True)
class Anonymised:
    text: str
    changes: tuple

    def segments(self):
        """The text as (piece, change or None) pairs, for showing the changes marked."""
        pieces, position = [], 0
        for change in self.changes:
            if change.start > position:
                pieces.append((self.text[position : change.start], None))
            pieces.append((self.text[change.start : change.end], change))
            position = change.end
        if position < len(self.text):
            pieces.append((self.text[position:], None))
        return pieces


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    kind: str
    label: str
    replacement: str


def _name_rules(protected_names):
    """One pattern per protected full name; a 某 written after it already is swallowed too,
    so 王秀英某 or 王秀英某某 becomes 王某 and not 王某某."""
    names = sorted({name.strip() for name in protected_names if len(name.strip()) > 1}, key=len, reverse=True)
    return [(re.compile(re.escape(name) + "某*"), pseudonym(name)) for name in names]


def _matches(text, protected_names):
    found = []
    for pattern, replacement in _name_rules(protected_names):
        for match in pattern.finditer(text):
            found.append(_Match(match.start(), match.end(), "name", "姓名", replacement))
    found.extend(_role_word_names(text))
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            start, end = match.span("data") if "data" in rule.pattern.groupindex else match.span()
            if end > start:
                found.append(_Match(start, end, rule.kind, rule.label, rule.replacement))
    # Earliest first, then the longest: an overlapped match is dropped (a name inside an
    # address goes with the address; an ID number is not also taken for a bank card).
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen, reached = [], 0
    for match in found:
        if match.start >= reached:
            chosen.append(match)
            reached = match.end
    return chosen


def _fills_brackets(text, match):
    return match.start > 0 and text[match.start - 1] in "（(" and text[match.end : match.end + 1] in ("）", ")")


def anonymise(text, protected_names=()):
    """Apply every rule to `text`; `protected_names` are the full names to write as surname + 某."""
    output, changes, position = [], [], 0
    length = 0
    for match in _matches(text, protected_names):
        output.append(text[position : match.start])
        length += match.start - position
        replacement = match.replacement
        if _fills_brackets(text, match) and replacement.startswith("（"):
            replacement = replacement[1:-1]  # （现住…） becomes （住址已删除）, not （（住址已删除））
        output.append(replacement)
        changes.append(
            Change(match.kind, match.label, length, length + len(replacement), text[match.start : match.end])
        )
        length += len(replacement)
        position = match.end
    output.append(text[position:])
    return Anonymised("".join(output), tuple(changes))


def residual_findings(text, protected_names=(), kept_names=()):
    """The personal data the rules still find in `text` (an empty list when it is clean).

    A surname + 某 the rules wrote is not a finding; a protected full name is. `kept_names`
    are words found after a role word that staff confirmed are not names to anonymise (a
    lawyer, or a false hit such as 被害人车辆); they never cover a listed party's name."""
    return [
        Change(m.kind, m.label, m.start, m.end, text[m.start : m.end])
        for m in _matches(text, protected_names)
        if text[m.start : m.end] != m.replacement
        and not (m.kind == "role_name" and text[m.start : m.end] in kept_names)
    ]
