"""The site search on Elasticsearch: one request for a page of ranked, highlighted results,
the filter counts and the editors' pinned results.

Ranking, in the order a reader expects:
- every term must occur (a term matches when any of its alternatives occurs as written);
  when that finds nothing, a relaxed match asks for most terms and the page says
  「部分匹配」;
- a term in the title or document number counts more than in the summary, which counts more
  than in the body;
- the query found whole (all terms side by side) counts more than its terms scattered;
- amended (已修订) and repealed (已废止) items drop below current ones;
- at equal relevance the newer item comes first (a gentle decay over two years).

Filter counts are computed the way people read them: each filter's counts apply every
other chosen filter but not its own, so choosing 政策文件 still shows how many 通知公告 there are.
"""

import math

from django.utils.translation import gettext_lazy as _

from .connection import get_client
from .criteria import PER_PAGE, PERIODS
from .highlight import FRAGMENT_SIZE, highlight_options
from .paging import last_page, window_page
from .results import Facet, FacetOption, Outcome, result_from_hit, type_labels
from .site_index import alias_name

# Where a term may occur, and what an occurrence there is worth.
FIELDS = ["title^6", "document_no^6", "summary^2", "body", "extra"]
VALIDITY_WEIGHTS = {"amended": 0.35, "repealed": 0.25}
RECENCY_SCALE = "730d"
RECENCY_SHARE = 0.2  # at most this much of the score depends on the date
SOURCE_FIELDS = [
    "kind",
    "type",
    "title",
    "url",
    "excerpt",
    "date",
    "subtype",
    "document_no",
    "column_title",
    "column_url",
    "department",
    "validity",
    "current_url",
    "current_title",
]
FACET_SIZE = 30


def term_clause(term, relaxed=False):
    """What one term asks: any alternative as a phrase (relaxed: most of its bigrams), or the
    title's pinyin."""
    should = []
    for alternative in term.alternatives:
        if relaxed and not term.is_document_number:
            should.append(
                {
                    "multi_match": {
                        "query": alternative,
                        "fields": FIELDS,
                        "type": "best_fields",
                        "minimum_should_match": "70%",
                    }
                }
            )
        else:
            should.append({"multi_match": {"query": alternative, "fields": FIELDS, "type": "phrase"}})
    if term.pinyin:
        should.append({"match_phrase": {"title_pinyin": {"query": " ".join(term.pinyin), "boost": 3}}})
    return {"bool": {"should": should, "minimum_should_match": 1}}


def matching_query(understood, relaxed=False):
    clauses = [term_clause(term, relaxed=relaxed) for term in understood.terms]
    if relaxed and len(clauses) > 1:
        query = {"bool": {"should": clauses, "minimum_should_match": math.ceil(len(clauses) / 2)}}
    elif relaxed:
        query = clauses[0]
    else:
        query = {"bool": {"must": clauses}}
    phrase = understood.phrase()
    if len(understood.terms) > 1 and phrase:
        query["bool"].setdefault("should", [])
        query["bool"]["should"] = [
            *query["bool"]["should"],
            {"match_phrase": {"title": {"query": phrase, "boost": 4}}},
            {"match_phrase": {"body": {"query": phrase, "boost": 2}}},
        ]
    return query


def ranked(query):
    recency = {
        "function_score": {
            "query": query,
            "functions": [
                {"weight": 1 - RECENCY_SHARE},
                {"gauss": {"date": {"origin": "now", "scale": RECENCY_SCALE, "decay": 0.5}}, "weight": RECENCY_SHARE},
            ],
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }
    return {
        "function_score": {
            "query": recency,
            "functions": [
                {"filter": {"term": {"validity": value}}, "weight": weight}
                for value, weight in VALIDITY_WEIGHTS.items()
            ],
            "score_mode": "multiply",
            "boost_mode": "multiply",
        }
    }


def _date_range(date_from, date_to):
    bounds = {}
    if date_from:
        bounds["gte"] = date_from.isoformat()
    if date_to:
        bounds["lte"] = date_to.isoformat()
    return {"range": {"date": bounds}} if bounds else None


def filters(criteria):
    """{facet name: filter clause} of the chosen filters."""
    chosen = {}
    if criteria.type:
        chosen["type"] = {"term": {"type": criteria.type}}
    if criteria.department:
        chosen["department"] = {"term": {"department": criteria.department}}
    date_filter = _date_range(*criteria.filter_dates())
    if date_filter:
        chosen["period"] = date_filter
    return chosen


def _scope(criteria):
    """Filters every count respects: the column searched within."""
    return [{"term": {"column_ids": criteria.column}}] if criteria.column else []


def _aggregations(chosen, criteria):
    def others(name):
        return [clause for key, clause in chosen.items() if key != name]

    buckets = {
        "type": {"terms": {"field": "type", "size": FACET_SIZE}},
        "column": {
            "terms": {"field": "column_id", "size": FACET_SIZE},
            "aggs": {"title": {"terms": {"field": "column_title", "size": 1}}},
        },
        "department": {"terms": {"field": "department", "size": FACET_SIZE}},
        "period": {
            "date_range": {
                "field": "date",
                "ranges": [
                    {"key": key, **({"from": f"now-{days}d/d"} if days else {"to": "now-367d/d"})}
                    for key, (_label, days) in PERIODS.items()
                ],
            }
        },
    }
    return {
        name: {"filter": {"bool": {"filter": others(name)}}, "aggs": {"values": aggregation}}
        for name, aggregation in buckets.items()
    }


def search_body(understood, criteria, relaxed=False, exclude=()):
    chosen = filters(criteria)
    query = {"bool": {"must": [ranked(matching_query(understood, relaxed))], "filter": _scope(criteria)}}
    if exclude:
        query["bool"]["must_not"] = [{"ids": {"values": list(exclude)}}]
    body = {
        "query": query,
        "aggs": _aggregations(chosen, criteria),
        "_source": SOURCE_FIELDS,
        "track_total_hits": True,
        "highlight": {
            **highlight_options(),
            "fields": {
                "title": {"number_of_fragments": 0},
                "document_no": {"number_of_fragments": 0},
                "summary": {"number_of_fragments": 0},
                "body": {"fragment_size": FRAGMENT_SIZE, "number_of_fragments": 2},
            },
        },
    }
    if chosen:
        body["post_filter"] = {"bool": {"filter": list(chosen.values())}}
    if criteria.sort == "date":
        body["sort"] = [{"date": {"order": "desc"}}, "_score"]
        body["track_scores"] = True
    return body


def _page_body(body, number):
    return {**body, "from": (number - 1) * PER_PAGE, "size": PER_PAGE}


def _pins_body(pin_ids):
    return {"query": {"ids": {"values": list(pin_ids)}}, "_source": SOURCE_FIELDS, "size": len(pin_ids)}


def _facets(aggregations, criteria, labels):
    def options(name, label_of=lambda bucket: bucket["key"]):
        selected = {
            "type": criteria.type,
            "column": str(criteria.column or ""),
            "department": criteria.department,
            "period": criteria.period,
        }.get(name, "")
        values = aggregations[name]["values"]["buckets"]
        if name == "period":  # in the order of PERIODS, newest first
            values = sorted(values, key=lambda b: list(PERIODS).index(b["key"]))
        return [
            FacetOption(
                value=str(b["key"]), label=label_of(b), count=b["doc_count"], selected=str(b["key"]) == selected
            )
            for b in values
            if b["doc_count"] and str(b["key"])
        ]

    def column_title(bucket):
        titles = bucket["title"]["buckets"]
        return titles[0]["key"] if titles else ""

    return [
        Facet("type", _("类型"), options("type", lambda b: labels.get(b["key"], b["key"]))),
        Facet("column", _("栏目"), options("column", column_title)),
        Facet("department", _("发布机构"), options("department")),
        Facet("period", _("发布时间"), options("period", lambda b: PERIODS[b["key"]][0])),
    ]


def _answers(client, index, bodies):
    """Several searches of the index in one request; raises if any failed."""
    requests = [part for body in bodies for part in ({"index": index}, body)]
    responses = client.msearch(searches=requests)["responses"]
    for response in responses:
        if "error" in response:
            raise RuntimeError(f"site search failed: {response['error'].get('type')}")
    return responses


def search(understood, criteria, pin_ids=()):
    """A page of results for `criteria` (Elasticsearch only; raises when it cannot answer).
    The pinned entries `pin_ids` come back in `pins` ({id: Result}) if they are in the index
    (so still public), and are left out of the ranked list; only on an unfiltered first page."""
    client = get_client()
    index = alias_name()
    pin_ids = list(pin_ids) if criteria.page == 1 and not criteria.filtered else []
    body = search_body(understood, criteria, exclude=pin_ids)
    bodies = [_page_body(body, criteria.page)] + ([_pins_body(pin_ids)] if pin_ids else [])
    responses = _answers(client, index, bodies)
    response = responses[0]
    partial = False
    if response["hits"]["total"]["value"] == 0 and understood.terms:
        relaxed = search_body(understood, criteria, relaxed=True, exclude=pin_ids)
        candidate = _answers(client, index, [_page_body(relaxed, criteria.page)])[0]
        if candidate["hits"]["total"]["value"]:
            response, body, partial = candidate, relaxed, True
    total = response["hits"]["total"]["value"]
    number = criteria.page
    if not response["hits"]["hits"] and total and number > 1:  # past the end: the last page
        number = last_page(total, PER_PAGE)
        response = _answers(client, index, [_page_body(body, number)])[0]
    labels = type_labels()
    results = [result_from_hit(hit, labels) for hit in response["hits"]["hits"]]
    pins = {}
    if pin_ids:
        pins = {hit["_id"]: result_from_hit(hit, labels) for hit in responses[1]["hits"]["hits"]}
    return Outcome(
        total=total,
        page_obj=window_page(total, number, results, PER_PAGE),
        facets=_facets(response["aggregations"], criteria, labels),
        pins=pins,
        partial=partial,
    )
