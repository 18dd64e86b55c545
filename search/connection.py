"""The Elasticsearch connection (elasticsearch-dsl) and index naming for every app."""

import datetime
import logging
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch
from elasticsearch_dsl import connections

logger = logging.getLogger(__name__)

ALIAS = "default"


def elasticsearch_enabled():
    return bool(settings.ELASTICSEARCH_URL)


def node_urls():
    """The cluster's node URLs (ELASTICSEARCH_URL, comma-separated; user:password@ allowed)."""
    return tuple(url.strip() for url in settings.ELASTICSEARCH_URL.split(",") if url.strip())


def connection_options():
    """Authentication and TLS options besides the URLs: an API key (ELASTICSEARCH_API_KEY) and
    the certificate authority to verify the cluster against (ELASTICSEARCH_CA_CERTS). Certificates
    of https:// nodes are always verified; there is deliberately no setting to turn that off."""
    options = {}
    if settings.ELASTICSEARCH_API_KEY:
        options["api_key"] = settings.ELASTICSEARCH_API_KEY
    if settings.ELASTICSEARCH_CA_CERTS:
        options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    return options


@cache
def _client_for(urls, timeout, options):
    return Elasticsearch(list(urls), request_timeout=timeout, retry_on_timeout=False, max_retries=1, **dict(options))


def get_client():
    """The shared client for the configured cluster; also elasticsearch-dsl's default connection."""
    client = _client_for(node_urls(), settings.SEARCH_TIMEOUT, tuple(sorted(connection_options().items())))
    connections.add_connection(ALIAS, client)
    return client


def index_name(name):
    """Every index and alias the portal owns carries the deployment's prefix."""
    return f"{settings.SEARCH_INDEX_PREFIX}_{name}"


def search_status():
    """Health of the search backend, for /healthz and the search page's notice."""
    if not elasticsearch_enabled():
        return {"status": "ok", "backend": "database"}
    try:
        health = get_client().cluster.health(timeout="2s")
    except Exception as exc:  # connection refused, timeout, auth: all mean "search degraded"
        logger.warning("health check: Elasticsearch unreachable: %s", exc.__class__.__name__)
        return {"status": "down", "backend": "elasticsearch"}
    status = "ok" if health["status"] in ("green", "yellow") else "degraded"
    return {"status": status, "backend": "elasticsearch", "cluster_status": health["status"]}


# Background writes to Elasticsearch retry while it is unreachable: seconds before each new
# attempt (the last delay repeats) up to MAX_ATTEMPTS, after which the task fails and the
# rebuild commands (`update_index`, `reindex_cases`) repair.
RETRY_DELAYS = (60, 300, 900, 3600)
MAX_ATTEMPTS = 30


def is_transient(exc):
    """Unreachable, timed out, overloaded or unavailable: worth trying again later."""
    if isinstance(exc, ApiError):
        return exc.status_code == 429 or exc.status_code >= 500
    return isinstance(exc, TransportError)


def retry_delay(attempt):
    """Seconds to wait after failed attempt number `attempt` (1-based)."""
    return RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]


def retry_later(task, args, attempt, exc, what):
    """After attempt number `attempt` of a background write met `exc`, queue `task(*args,
    attempt + 1)` for after the delay (once the surrounding transaction commits) and return
    True; return False, for the caller to re-raise, when `exc` is not worth a retry or the
    attempts are used up. `what` names the work in the log line."""
    if not is_transient(exc) or attempt >= MAX_ATTEMPTS:
        return False
    delay = retry_delay(attempt)
    logger.warning(
        "%s: Elasticsearch unavailable (%s), attempt %d of %d again in %d s",
        what,
        exc.__class__.__name__,
        attempt + 1,
        MAX_ATTEMPTS,
        delay,
    )
    run_after = timezone.now() + datetime.timedelta(seconds=delay)
    transaction.on_commit(lambda: task.using(run_after=run_after).enqueue(*args, attempt + 1))
    return True
