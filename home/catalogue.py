"""The government information disclosure catalogue (政府信息公开目录).

The catalogue column lists every live article of every disclosure column of the site and
filters it by 标题, 文号/索引号, 主题分类, 发布机构, 有效性, 成文日期 and 发布日期. Document
numbers are compared normalised, so 青政发〔2026〕3号, 青政发[2026]3号, 青政发(2026)3号 and
青政发（２０２６）３号 all find the same document. Amended and repealed documents link to the
document now in force (`ArticlePage.superseded_by`, followed to the end of the chain).

Every function here costs a fixed number of queries, however many articles it lists.
"""

import re

from django import forms
from django.db.models import F, Q, Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import gettext_lazy as _

from .models import ArticlePage, ColumnPage
from .topics import Topic
from .visibility import private

OPENING_BRACKETS = "〔［[（(【〖"
CLOSING_BRACKETS = "〕］]）)】〗"
FULL_WIDTH_DIGITS = "０１２３４５６７８９"
SPACES = " \u3000"
_NUMBER_TABLE = str.maketrans(
    {
        **dict.fromkeys(OPENING_BRACKETS, "("),
        **dict.fromkeys(CLOSING_BRACKETS, ")"),
        **{digit: str(value) for value, digit in enumerate(FULL_WIDTH_DIGITS)},
    }
)
# How far a chain of revisions is followed (A amended by B, B by C…).
MAX_VERSION_STEPS = 10


def normalise_number(text):
    """A 文号 as compared: every kind of bracket as ( ), full-width digits as ASCII, no spaces."""
    return re.sub(r"\s+", "", (text or "").translate(_NUMBER_TABLE)).lower()


def normalised_number(field):
    """The same normalisation in SQL (REPLACE works alike on PostgreSQL and SQLite)."""
    expression = F(field)
    for chars, replacement in ((OPENING_BRACKETS, "("), (CLOSING_BRACKETS, ")"), (SPACES, "")):
        for char in chars:
            expression = Replace(expression, Value(char), Value(replacement))
    for value, digit in enumerate(FULL_WIDTH_DIGITS):
        expression = Replace(expression, Value(digit), Value(str(value)))
    return Lower(expression)


def disclosed_articles(root):
    """Live, public articles whose column (their parent) is a live, public disclosure column
    under `root`."""
    columns = (
        ColumnPage.objects.live()
        .exclude(private())
        .descendant_of(root)
        .filter(is_disclosure=True)
        .values_list("path", "depth")
    )
    condition = Q()
    for path, depth in columns:
        condition |= Q(path__startswith=path, depth=depth + 1)
    if not condition:
        return ArticlePage.objects.none()
    return ArticlePage.objects.live().exclude(private()).filter(condition).order_by("-date", "-pk")


def current_versions(articles):
    """{pk: the live article in force} for each amended or repealed article in `articles` whose
    successor is recorded: the successor, or its own successor in turn, up to the last live one.
    One query per step of the longest chain, whatever the number of articles."""
    valid = ArticlePage.Validity.VALID
    heads = {article.pk: article.superseded_by_id for article in articles if article.validity != valid}
    heads = {pk: target for pk, target in heads.items() if target}
    found, loaded, tried = {}, {}, set()
    for _step in range(MAX_VERSION_STEPS):
        if not heads:
            break
        missing = set(heads.values()) - tried
        if missing:
            tried |= missing
            loaded.update(
                (page.pk, page)
                for page in ArticlePage.objects.live().exclude(private()).filter(pk__in=missing).defer("body")
            )
        for pk, target in list(heads.items()):
            page = loaded.get(target)
            if page is None or page.pk == pk:
                del heads[pk]
                continue
            found[pk] = page
            if page.validity != valid and page.superseded_by_id:
                heads[pk] = page.superseded_by_id
            else:
                del heads[pk]
    return found


def attach_current_versions(articles):
    """Fill each article's `current_version` for a list, with the queries of one lookup."""
    versions = current_versions(articles)
    for article in articles:
        # Pre-fills the cached_property, so templates read it without a query per row.
        article.__dict__["current_version"] = versions.get(article.pk)


def attach_interpretation_counts(articles):
    """Fill each article's `interpretation_count`: its live 政策解读, in one query."""
    from django.db.models import Count

    from .models import InterpretationPage

    counts = dict(
        InterpretationPage.objects.live()
        .exclude(private())
        .filter(policy__in=[article.pk for article in articles])
        .values_list("policy")
        .annotate(number=Count("pk"))
    )
    for article in articles:
        article.interpretation_count = counts.get(article.pk, 0)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CatalogueFilterForm(forms.Form):
    """The catalogue's search form (GET). Fields that do not validate are reported and left out
    of the filter; the others still apply."""

    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    number = forms.CharField(
        label=_("文号或索引号"),
        max_length=100,
        required=False,
        help_text=_("文号中的括号写作〔〕、[]、()或（）均可。"),
    )
    topic = forms.ChoiceField(label=_("主题分类"), required=False, choices=[("", _("全部"))] + Topic.choices)
    issuing_body = forms.ChoiceField(label=_("发布机构"), required=False)
    validity = forms.ChoiceField(
        label=_("有效性"), required=False, choices=[("", _("全部"))] + ArticlePage.Validity.choices
    )
    written_from = forms.DateField(label=_("成文日期（起）"), required=False, widget=_date_input())
    written_to = forms.DateField(label=_("成文日期（止）"), required=False, widget=_date_input())
    published_from = forms.DateField(label=_("发布日期（起）"), required=False, widget=_date_input())
    published_to = forms.DateField(label=_("发布日期（止）"), required=False, widget=_date_input())

    RANGES = (("written_from", "written_to", "written_on"), ("published_from", "published_to", "date"))

    def __init__(self, data=None, *, scope):
        super().__init__(data)
        bodies = scope.exclude(issuing_body="").order_by("issuing_body").values_list("issuing_body", flat=True)
        self.fields["issuing_body"].choices = [("", _("全部"))] + [(body, body) for body in bodies.distinct()]

    def clean(self):
        cleaned_data = super().clean()
        for start, end, _field in self.RANGES:
            if cleaned_data.get(start) and cleaned_data.get(end) and cleaned_data[start] > cleaned_data[end]:
                self.add_error(end, _("截止日期不能早于起始日期。"))
        return cleaned_data

    @property
    def is_filtered(self):
        return self.is_bound and any(self.cleaned_data.get(name) for name in self.fields)

    def filter(self, articles):
        if not self.is_bound:
            return articles
        self.is_valid()
        data = self.cleaned_data
        if data.get("title"):
            articles = articles.filter(title__icontains=data["title"].strip())
        if data.get("number"):
            raw = re.sub(r"\s+", "", data["number"])
            articles = articles.annotate(number_key=normalised_number("document_no")).filter(
                Q(number_key__contains=normalise_number(raw)) | Q(index_no__icontains=raw)
            )
        for name in ("topic", "issuing_body", "validity"):
            if data.get(name):
                articles = articles.filter(**{name: data[name]})
        for start, end, field in self.RANGES:
            if data.get(start):
                articles = articles.filter(**{f"{field}__gte": data[start]})
            if data.get(end):
                articles = articles.filter(**{f"{field}__lte": data[end]})
        return articles
