"""Background work: keep the search indices in step with PostgreSQL (queued after commit)."""

from django_tasks import task

from search.connection import elasticsearch_enabled


@task()
def index_cases(case_ids):
    """Re-index these cases and their public documents from PostgreSQL."""
    if not elasticsearch_enabled():
        return 0
    from .documents import sync_cases

    sync_cases(case_ids)
    return len(case_ids)
