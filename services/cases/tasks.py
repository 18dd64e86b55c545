"""Background work: keep the search indices in step with PostgreSQL (queued after commit)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from elastic_transport import TransportError
from elasticsearch import ApiError

from search.connection import MAX_ATTEMPTS, elasticsearch_enabled, is_transient, retry_delay

from .documents import sync_cases

logger = logging.getLogger(__name__)


@task()
def index_cases(case_ids, attempt=1):
    """Re-index these cases and their public documents from PostgreSQL; while Elasticsearch
    cannot take the writes, queue the same work again for later."""
    if not elasticsearch_enabled():
        return 0
    try:
        sync_cases(case_ids)
    except (TransportError, ApiError) as exc:
        if not is_transient(exc) or attempt >= MAX_ATTEMPTS:
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "case indexing: Elasticsearch unavailable (%s), attempt %d of %d again in %d s",
            exc.__class__.__name__,
            attempt + 1,
            MAX_ATTEMPTS,
            delay,
        )
        run_after = timezone.now() + datetime.timedelta(seconds=delay)
        index_cases.using(run_after=run_after).enqueue(case_ids, attempt + 1)
        return 0
    return len(case_ids)
