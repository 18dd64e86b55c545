"""Analysis settings shared by every index the portal writes.

The default chain uses only components built into every Elasticsearch distribution
(standard tokenizer, `lowercase`, `shingle`), so the minimal distribution the tests run on
and a production cluster accept the same index settings. The standard tokenizer splits
Chinese into single characters; two-character shingles restore the bigrams most Chinese
words are made of, so 登记 matches 不动产登记 and ranks above texts that merely contain
登 and 记 apart. With an analyzer plugin installed, SEARCH_CHINESE_ANALYZER = "ik" or
"smartcn" switches to real word segmentation.
"""

from django.conf import settings

CHINESE_TEXT = "chinese_text"
CHINESE_SEARCH = "chinese_search"
CHINESE_AUTOCOMPLETE = "chinese_autocomplete"

_SHINGLE_FILTERS = {
    # Index side: every character and every bigram, so any query can match.
    "cjk_bigram_shingle": {
        "type": "shingle",
        "min_shingle_size": 2,
        "max_shingle_size": 2,
        "output_unigrams": True,
        "token_separator": "",
    },
    # Query side: bigrams only (a one-character query keeps its character), so that
    # 登记 requires the word 登记 and not merely 登 and 记 somewhere in the text.
    "cjk_bigram_only": {
        "type": "shingle",
        "min_shingle_size": 2,
        "max_shingle_size": 2,
        "output_unigrams": False,
        "output_unigrams_if_no_shingles": True,
        "token_separator": "",
    },
}

_PLUGIN_ANALYZERS = {
    "ik": {"index": "ik_max_word", "search": "ik_smart"},
    "smartcn": {"index": "smartcn", "search": "smartcn"},
}


def analysis_settings(analyzer=None):
    """Return the `analysis` block of index settings for the configured Chinese analyzer."""
    analyzer = analyzer or settings.SEARCH_CHINESE_ANALYZER
    shingle_index = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "cjk_bigram_shingle"]}
    shingle_search = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "cjk_bigram_only"]}
    if analyzer == "shingle":
        text, search = shingle_index, shingle_search
    elif analyzer in _PLUGIN_ANALYZERS:
        plugin = _PLUGIN_ANALYZERS[analyzer]
        text = {"type": "custom", "tokenizer": plugin["index"], "filter": ["lowercase"]}
        search = {"type": "custom", "tokenizer": plugin["search"], "filter": ["lowercase"]}
    else:
        raise ValueError(f"Unknown SEARCH_CHINESE_ANALYZER {analyzer!r}")
    return {
        "filter": dict(_SHINGLE_FILTERS),
        "analyzer": {
            # Fields without an explicit analyzer (Wagtail's _all_text copies) use these two.
            "default": text,
            "default_search": search,
            CHINESE_TEXT: text,
            CHINESE_SEARCH: search,
            CHINESE_AUTOCOMPLETE: shingle_index,
        },
    }


def chinese_text_field(**kwargs):
    """An elasticsearch-dsl Text field analysed with the portal's Chinese analyzers."""
    from elasticsearch_dsl import Text

    return Text(analyzer=CHINESE_TEXT, search_analyzer=CHINESE_SEARCH, **kwargs)
