"""Background work: keep the search indices in step with PostgreSQL (queued after commit)."""

from django_tasks import task
from elastic_transport import TransportError
from elasticsearch import ApiError

from search.connection import elasticsearch_enabled, retry_later

from .documents import sync_cases


@task()
def index_cases(case_ids, attempt=1):
    """Re-index these cases and their public documents from PostgreSQL; while Elasticsearch
    cannot take the writes, queue the same work again for later."""
    if not elasticsearch_enabled():
        return 0
    try:
        sync_cases(case_ids)
    except (TransportError, ApiError) as exc:
        if not retry_later(index_cases, [case_ids], attempt, exc, "case indexing"):
            raise
        return 0
    return len(case_ids)
