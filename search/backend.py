"""Wagtail's Elasticsearch 8 backend with the portal's Chinese analysis settings.

Wagtail's defaults need `asciifolding`, `ngram` and `edge_ngram`, which live in the
analysis-common module that minimal Elasticsearch distributions lack. This backend keeps
Wagtail's mapping and replaces the analysis block with the portal's (see analysis.py),
used both for full-text fields and for autocomplete.
"""

from elasticsearch import BadRequestError
from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8Index,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
)
from modelsearch.index import get_indexed_models

from .analysis import CHINESE_AUTOCOMPLETE, CHINESE_SEARCH, CHINESE_TEXT, analysis_settings
from .connection import retry_later
from .tasks import index_again


class PortalMapping(Elasticsearch8Mapping):
    edgengram_analyzer_config = {"analyzer": CHINESE_AUTOCOMPLETE, "search_analyzer": CHINESE_SEARCH}

    def get_field_mapping(self, field):
        name, mapping = super().get_field_mapping(field)
        if mapping.get("type") == "text" and "analyzer" not in mapping:
            mapping["analyzer"] = CHINESE_TEXT
            mapping["search_analyzer"] = CHINESE_SEARCH
        return name, mapping


class PortalIndex(Elasticsearch8Index):
    """Creates itself with the portal's settings before the first write.

    Without this, a write to a missing index would let Elasticsearch create it with
    dynamic mappings and its default analyzer, and Chinese search would silently degrade.
    """

    def exists(self):
        return bool(self.es.indices.exists(index=self.name))

    def ensure_exists(self):
        if self.exists():
            return
        try:
            self.put()
        except BadRequestError as error:  # another worker created it a moment ago
            if error.error != "resource_already_exists_exception":
                raise
            return
        for model in get_indexed_models():
            if self.backend.get_index_for_model(model).name == self.name:
                self.add_model(model)

    def add_item(self, item):
        self.ensure_exists()
        super().add_item(item)

    def add_items(self, model, items):
        self.ensure_exists()
        super().add_items(model, items)


class PortalSearchQueryCompiler(Elasticsearch8SearchQueryCompiler):
    mapping_class = PortalMapping


class PortalAutocompleteQueryCompiler(Elasticsearch8AutocompleteQueryCompiler):
    mapping_class = PortalMapping


class PortalElasticsearchBackend(Elasticsearch8SearchBackend):
    mapping_class = PortalMapping
    index_class = PortalIndex
    query_compiler_class = PortalSearchQueryCompiler
    autocomplete_query_compiler_class = PortalAutocompleteQueryCompiler

    def __init__(self, params):
        super().__init__(params)
        self.settings["settings"]["analysis"] = analysis_settings()

    # One object at a time (a page saved, published, moved or deleted): while Elasticsearch
    # cannot take the write, queue it again for later instead of losing it in a log line.
    def add(self, obj):
        self.add_or_retry(obj, attempt=1)

    def delete(self, obj):
        self.delete_or_retry(obj, attempt=1)

    def add_or_retry(self, obj, attempt):
        self._write_or_retry(super().add, obj, attempt)

    def delete_or_retry(self, obj, attempt):
        self._write_or_retry(super().delete, obj, attempt)

    def _write_or_retry(self, write, obj, attempt):
        try:
            write(obj)
        except Exception as exc:
            meta = obj._meta
            args = [meta.app_label, meta.model_name, str(obj.pk)]
            if not retry_later(index_again, args, attempt, exc, f"search index {meta.label} #{obj.pk}"):
                raise


SearchBackend = PortalElasticsearchBackend
