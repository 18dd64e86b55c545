"""Background retries of Wagtail search-index writes that met Elasticsearch unreachable.

modelsearch writes a saved page or image to the index in a background task and only logs a
failure, so anything published during an outage stayed unsearchable until someone ran
`update_index`. The portal's backend (backend.py) queues `index_again` instead, with the
delays of search.connection.RETRY_DELAYS.
"""

from django.apps import apps
from django_tasks import task
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_instance


@task()
def index_again(app_label, model_name, pk, attempt):
    """Write the object's current state to the index, or remove it if it is gone or no
    longer indexed (deleted, or no longer matching its model's indexed objects)."""
    model = apps.get_model(app_label, model_name)
    instance = model._default_manager.filter(pk=pk).first()
    indexed = get_indexed_instance(instance) if instance is not None else None
    backend = get_search_backend()
    if indexed is not None:
        backend.add_or_retry(indexed, attempt)
    else:
        backend.delete_or_retry(model(pk=pk), attempt)
