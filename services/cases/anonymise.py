"""Rule-based anonymisation of legal documents for publication (法律文书公开).

人民检察院案件信息公开工作规定: victims, witnesses, experts and minors appear as surname + 某;
addresses, phone numbers, ID numbers, bank accounts and health details are removed.
Suspects and defendants keep their names (unless they are minors).

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
- Names are found only as the full names the case-management system sends for the case's
  parties. Given names alone (秀英), nicknames, misspellings and people who are not parties
  (a relative named only in the narrative) are not recognised.
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


@dataclass(frozen=True)
class Change:
    """One change the rules made: `start`/`end` locate the replacement in the output text."""

    kind: str
    label: str
    start: int
    end: int
    original: str


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


def residual_findings(text, protected_names=()):
    """The personal data the rules still find in `text` (an empty list when it is clean).

    A surname + 某 the rules wrote is not a finding; a protected full name is."""
    return [
        Change(m.kind, m.label, m.start, m.end, text[m.start : m.end])
        for m in _matches(text, protected_names)
        if text[m.start : m.end] != m.replacement
    ]
