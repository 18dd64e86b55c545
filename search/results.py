"""What the search page shows: result lines, filter counts and the page of results."""

from dataclasses import dataclass, field

from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .highlight import database_snippet, mark_words, marked
from .site_index import sources

VALIDITY_LABELS = {"amended": _("已修订"), "repealed": _("已废止")}


def type_labels():
    labels = {}
    for source in sources().values():
        labels.update(source.type_labels)
    return labels


@dataclass
class Result:
    kind: str
    type: str
    type_label: str
    title: str  # safe HTML
    url: str
    snippet: str  # safe HTML
    date: str
    subtype: str = ""
    document_no: str = ""
    column_title: str = ""
    column_url: str = ""
    department: str = ""
    validity: str = ""
    current_url: str = ""
    current_title: str = ""

    @property
    def validity_label(self):
        return VALIDITY_LABELS.get(self.validity, "")


def result_from_hit(hit, labels):
    """A result line from an Elasticsearch hit (its source and highlights)."""
    source = hit["_source"]
    highlight = hit.get("highlight", {})
    if "title" in highlight:
        title = marked(highlight["title"][0])
    else:
        title = escape(source.get("title", ""))
    if "body" in highlight:
        snippet = marked("…".join(highlight["body"]))
    elif "summary" in highlight:
        snippet = marked(highlight["summary"][0])
    else:
        snippet = escape(source.get("excerpt", ""))
    number = (
        marked(highlight["document_no"][0]) if "document_no" in highlight else escape(source.get("document_no", ""))
    )
    return Result(
        kind=source["kind"],
        type=source["type"],
        type_label=labels.get(source["type"], ""),
        title=title,
        url=source.get("url", ""),
        snippet=snippet,
        date=str(source.get("date") or "")[:10],
        subtype=source.get("subtype", ""),
        document_no=number,
        column_title=source.get("column_title", ""),
        column_url=source.get("column_url", ""),
        department=source.get("department", ""),
        validity=source.get("validity", ""),
        current_url=source.get("current_url", ""),
        current_title=source.get("current_title", ""),
    )


def result_from_row(kind, row, words, labels):
    """A result line from a source's Row (database fallback), matches marked by substring."""
    text = row.summary or row.body
    return Result(
        kind=kind,
        type=row.type,
        type_label=labels.get(row.type, ""),
        title=marked(_mark(row.title, words)),
        url=row.url,
        snippet=database_snippet(text, words),
        date=str(row.date or "")[:10],
        subtype=row.subtype,
        document_no=marked(_mark(row.document_no, words)),
        column_title=row.column_title,
        column_url=row.column_url,
        department=row.department,
        validity=row.validity,
        current_url=row.current_url,
        current_title=row.current_title,
    )


def _mark(text, words):
    return mark_words(text or "", words)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Facet:
    name: str  # the GET parameter
    label: str
    options: list = field(default_factory=list)

    @cached_property
    def selected(self):
        return next((option for option in self.options if option.selected), None)


@dataclass
class Outcome:
    """One page of results and everything around it."""

    total: int
    page_obj: object
    facets: list = field(default_factory=list)
    pins: list = field(default_factory=list)  # the editors' pinned results, shown first
    partial: bool = False  # a relaxed match: not every term was found
    degraded: bool = False  # answered by the database, Elasticsearch being unreachable
