from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import HistoryPermissionPolicy, ImportBatchViewSet
from .models import ImportBatch

register_permission_policy(ImportBatch, HistoryPermissionPolicy(ImportBatch))


@hooks.register("register_admin_viewset")
def register_import_batches():
    return ImportBatchViewSet("case_import_batches")
