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
CHINESE_AUTOCOMPLETE = "chinese_autocomplete"

_SHINGLE_FILTER = {
    "cjk_bigram_shingle": {
        "type": "shingle",
        "min_shingle_size": 2,
        "max_shingle_size": 2,
        "output_unigrams": True,
        "token_separator": "",
    }
}

_PLUGIN_ANALYZERS = {
    "ik": {"index": "ik_max_word", "search": "ik_smart"},
    "smartcn": {"index": "smartcn", "search": "smartcn"},
}


def analysis_settings(analyzer=None):
    """Return the `analysis` block of index settings for the configured Chinese analyzer."""
    analyzer = analyzer or settings.SEARCH_CHINESE_ANALYZER
    shingle_chain = {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "cjk_bigram_shingle"]}
    if analyzer == "shingle":
        text = shingle_chain
    elif analyzer in _PLUGIN_ANALYZERS:
        text = {"type": "custom", "tokenizer": _PLUGIN_ANALYZERS[analyzer]["index"], "filter": ["lowercase"]}
    else:
        raise ValueError(f"Unknown SEARCH_CHINESE_ANALYZER {analyzer!r}")
    return {
        "filter": dict(_SHINGLE_FILTER),
        "analyzer": {
            "default": text,
            CHINESE_TEXT: text,
            CHINESE_AUTOCOMPLETE: shingle_chain,
        },
    }
