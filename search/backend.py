"""Wagtail's Elasticsearch 8 backend with the portal's Chinese analysis settings.

Wagtail's defaults need `asciifolding`, `ngram` and `edge_ngram`, which live in the
analysis-common module that minimal Elasticsearch distributions lack. This backend keeps
Wagtail's mapping and replaces the analysis block with the portal's (see analysis.py),
used both for full-text fields and for autocomplete.
"""

from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
)

from .analysis import CHINESE_AUTOCOMPLETE, CHINESE_TEXT, analysis_settings


class PortalMapping(Elasticsearch8Mapping):
    edgengram_analyzer_config = {"analyzer": CHINESE_AUTOCOMPLETE, "search_analyzer": CHINESE_AUTOCOMPLETE}

    def get_field_mapping(self, field):
        name, mapping = super().get_field_mapping(field)
        if mapping.get("type") == "text" and "analyzer" not in mapping:
            mapping["analyzer"] = CHINESE_TEXT
        return name, mapping


class PortalSearchQueryCompiler(Elasticsearch8SearchQueryCompiler):
    mapping_class = PortalMapping


class PortalAutocompleteQueryCompiler(Elasticsearch8AutocompleteQueryCompiler):
    mapping_class = PortalMapping


class PortalElasticsearchBackend(Elasticsearch8SearchBackend):
    mapping_class = PortalMapping
    query_compiler_class = PortalSearchQueryCompiler
    autocomplete_query_compiler_class = PortalAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        self.settings["settings"]["analysis"] = analysis_settings()


SearchBackend = PortalElasticsearchBackend
