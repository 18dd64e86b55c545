"""Background work: keep the search indices in step with PostgreSQL (queued after commit)."""

import datetime
import logging

from django.utils import timezone
from django_tasks import task
from elastic_transport import TransportError
from elasticsearch import ApiError

from search.connection import elasticsearch_enabled

from .documents import sync_cases

logger = logging.getLogger(__name__)

# Seconds to wait before each new attempt while Elasticsearch is unreachable; the last
# delay repeats until MAX_ATTEMPTS, after which the task fails and `reindex_cases` repairs.
RETRY_DELAYS = (60, 300, 900, 3600)
MAX_ATTEMPTS = 30


def is_transient(exc):
    """Unreachable, timed out, overloaded or unavailable: worth trying again later."""
    if isinstance(exc, ApiError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, TransportError)


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
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
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
