"""Query understanding: what a citizen typed, turned into the words the index can match.

Every search box of the portal (site search, legal documents, published letters) sends the
text through `understand()` before Elasticsearch or the database sees it:

1. folding: full-width letters, digits and brackets to half-width (NFKC), lower case,
   traditional to simplified characters (OpenCC `t2s`), common variant characters and
   misspellings (身分证 → 身份证, 帐户 → 账户);
2. document numbers (文号, 文书编号) written with any brackets — 〔〕 [] () （） 【】 — are
   recognised and written one way, 青政发〔2026〕3号, and kept whole as one term;
3. abbreviations and synonyms from the table editors keep in the admin (search.models.Synonym):
   a group member found in the query (低保) becomes a term that matches any member of its
   group (最低生活保障); a member's pinyin (dibao) finds it too;
4. the rest is cut into words (jieba's dictionary, no statistical guessing), particles and
   question words are dropped, and single characters left next to each other are joined
   again (赵/某 → 赵某) so that a name is matched as written;
5. a term typed in Latin letters that reads as pinyin (yibao) also matches titles by their
   pinyin (see `title_pinyin`).

A strict search requires every term; each term matches when any of its alternatives occurs
as written (a phrase over the index's bigrams).
"""

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import jieba
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PINYIN_DICT
from pypinyin.contrib.tone_convert import to_normal

jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary on stderr

# Variant characters and common misspellings people type for the standard form. Traditional
# forms are OpenCC's business; these are simplified-character variants it leaves alone.
VARIANTS = {
    "身分证": "身份证",
    "身分": "身份",
    "帐户": "账户",
    "帐号": "账号",
    "帐目": "账目",
    "户藉": "户籍",
    "部份": "部分",
    "登陆": "登录",
    "侯车": "候车",
    "车箱": "车厢",
    "按装": "安装",
    "渡假": "度假",
    "座标": "坐标",
    "既使": "即使",
    "禀报": "报告",
}

# Words that carry no meaning for a search: particles and the question words of 怎么办理低保.
STOPWORDS = frozenset(
    "的 地 得 了 着 和 与 及 或 在 是 吗 呢 吧 啊 么 呀 关于 请问 如何 怎么 怎样 怎么样 哪里 哪儿 哪个 "
    "什么 多少 有没有 是否 可以 能否 能不能 我 我们 你 你们 请 要 想 需要 一下".split()
)

_BRACKET_OPEN = "〔[［【(（﹝〖"
_BRACKET_CLOSE = "〕]］】)）﹞〗"
_OPEN, _CLOSE = re.escape(_BRACKET_OPEN), re.escape(_BRACKET_CLOSE)
# 青政发〔2026〕3号, 青山检刑不诉(2026)12号, 青政办发[2025]第7号, 青政发2026年3号 …
DOCUMENT_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,12}?)\s*"
    rf"(?:[{_OPEN}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{_CLOSE}]\s*第?\s*(?P<no>\d{{1,5}})\s*号?"
    r"|(?P<bare_year>(?:19|20)\d{2})\s*年?\s*第?\s*(?P<bare_no>\d{1,5})\s*号)"
)
# Words a query may put right before a number, which are not part of it.
_NUMBER_LEAD_INS = ("关于", "根据", "按照", "依据", "文件", "印发", "转发", "查询", "查找")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD_CHARS = re.compile(r"[\w\u3400-\u9fff]")
_LATIN = re.compile(r"^[a-z]+$")
MAX_TERMS = 12


@cache
def _converter():
    return OpenCC("t2s")


def fold(text):
    """Full-/half-width, case, traditional→simplified and variant folding of any text."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = _converter().convert(text)
    for variant, standard in VARIANTS.items():
        text = text.replace(variant, standard)
    return " ".join(text.split())


def normalise_document_number(value):
    """One spelling of a document number: no spaces, 〔year〕 and 号 (青政发〔2026〕3号)."""
    folded = "".join(unicodedata.normalize("NFKC", value or "").split())
    match = DOCUMENT_NUMBER.fullmatch(folded)
    return _canonical_number(match) if match else folded


def _canonical_number(match):
    year = match.group("year") or match.group("bare_year")
    number = match.group("no") or match.group("bare_no")
    return f"{match.group('prefix')}〔{year}〕{int(number)}号"


@cache
def _pinyin_syllables():
    # About 1,500 distinct toned readings among the dictionary's 42,000 characters: converting
    # those instead of every character's takes 40 ms instead of a second (the first pinyin query
    # a worker answered used to wait for it).
    readings = {reading for entry in set(PINYIN_DICT.values()) for reading in entry.split(",")}
    syllables = {to_normal(reading).replace("ü", "v") for reading in readings}
    return frozenset(s for s in syllables if _LATIN.match(s))


def pinyin_syllables(text):
    """Split Latin letters into pinyin syllables (yibao → [yi, bao]), fewest syllables first;
    None when the letters are not pinyin."""
    text = text.lower()
    if not _LATIN.match(text) or len(text) > 40:
        return None
    known = _pinyin_syllables()
    best = [None] * (len(text) + 1)
    best[0] = []
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 6), end):
            if best[start] is not None and text[start:end] in known:
                candidate = best[start] + [text[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(text)]


def title_pinyin(title):
    """The pinyin of a title, one syllable per character, for the title_pinyin field."""
    return " ".join(
        part
        for part in lazy_pinyin(fold(title), style=Style.NORMAL, errors=lambda chars: [chars])
        if part.strip() and part.isalnum()
    )


def compact_pinyin(text):
    return "".join(lazy_pinyin(text, style=Style.NORMAL))


@dataclass
class Term:
    """One thing the result must contain: any of `alternatives`, or the title's pinyin."""

    text: str
    alternatives: tuple = ()
    pinyin: tuple = ()  # syllables, when the term was typed as pinyin
    is_document_number: bool = False

    @property
    def expanded(self):
        return tuple(alt for alt in self.alternatives if alt != self.text)


@dataclass
class UnderstoodQuery:
    typed: str
    text: str  # folded, document numbers written one way
    terms: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms)

    @property
    def expansions(self):
        """(term, other members) for the notice "同时搜索了…"."""
        return [(term.text, term.expanded) for term in self.terms if term.expanded]

    @property
    def document_numbers(self):
        return [term.text for term in self.terms if term.is_document_number]

    def phrase(self):
        """The query as one phrase, for the boost of results that contain it whole."""
        return "".join(term.text for term in self.terms if not term.pinyin)


def understand(typed, synonyms=None):
    """Turn what was typed into terms; `synonyms` is a SynonymTable (the editors' table by
    default)."""
    if synonyms is None:
        from .synonyms import current_table

        synonyms = current_table()
    text = fold(typed)
    terms = []
    for chunk in text.split():
        terms.extend(_chunk_terms(chunk, synonyms))
    unique, seen = [], set()
    for term in terms:
        if term.text not in seen:
            seen.add(term.text)
            unique.append(term)
    text = " ".join(_with_canonical_numbers(chunk) for chunk in text.split())
    return UnderstoodQuery(typed=typed, text=text, terms=unique[:MAX_TERMS])


def _with_canonical_numbers(chunk):
    return DOCUMENT_NUMBER.sub(
        lambda m: chunk[m.start() : m.start() + _lead_in(m)] + _canonical_number(_number_match(m)), chunk
    )


def _lead_in(match):
    """Length of a lead-in word (关于, 根据…) the number's prefix swallowed."""
    prefix = match.group("prefix")
    for word in _NUMBER_LEAD_INS:
        position = prefix.rfind(word)
        if position != -1 and position + len(word) < len(prefix):
            return position + len(word)
    return 0


def _number_match(match):
    lead = _lead_in(match)
    return DOCUMENT_NUMBER.match(match.string, match.start() + lead) if lead else match


def _chunk_terms(chunk, synonyms):
    position = 0
    for match in DOCUMENT_NUMBER.finditer(chunk):
        start = match.start() + _lead_in(match)
        yield from _word_terms(chunk[position:start], synonyms)
        number = _canonical_number(_number_match(match))
        yield Term(text=number, alternatives=(number,), is_document_number=True)
        position = match.end()
    yield from _word_terms(chunk[position:], synonyms)


def _word_terms(text, synonyms):
    for piece, group in synonyms.spans(text):
        if group:
            yield Term(text=piece, alternatives=group)
            continue
        for word in _words(piece):
            if _LATIN.match(word):
                yield _latin_term(word, synonyms)
            else:
                yield Term(text=word, alternatives=(word,))


def _latin_term(letters, synonyms):
    """A word in Latin letters: itself, and if it reads as pinyin, the titles that read so and
    the synonym group whose member reads so (yibao → 医保, 医疗保障…)."""
    syllables = tuple(pinyin_syllables(letters) or ())
    group = synonyms.by_pinyin(letters)
    if group:
        return Term(text=group[0], alternatives=(*group, letters), pinyin=syllables)
    return Term(text=letters, alternatives=(letters,), pinyin=syllables)


def _words(text):
    """Dictionary words of a stretch of text without particles. A single character left
    over is joined to its neighbour word (不/起诉 → 不起诉, 青山/县 → 青山县, 赵/某 → 赵某):
    the person typed them side by side, and alone a character would match almost anything."""
    words = []
    pending = ""  # single characters waiting for a neighbour
    joinable = False  # the last word ended right where `pending` starts
    for token in jieba.cut(text, HMM=False):
        token = token.strip()
        if not token or not _WORD_CHARS.search(token) or token in STOPWORDS:
            _flush(pending, words, joinable)
            pending, joinable = "", False
        elif len(token) == 1 and _CJK.match(token):
            pending += token
        elif pending and _CJK.match(token):
            words.append(pending + token)
            pending, joinable = "", True
        else:
            _flush(pending, words, joinable)
            words.append(token)
            pending, joinable = "", bool(_CJK.match(token))
    _flush(pending, words, joinable)
    return words


def _flush(pending, words, joinable):
    if not pending or pending in STOPWORDS:
        return
    if joinable and words:
        words[-1] += pending
    else:
        words.append(pending)
