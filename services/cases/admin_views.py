"""Staff screens for case management (案管): the history of import batches with their reports."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import ImportBatch


class HistoryPermissionPolicy(ModelPermissionPolicy):
    """Batches are written by imports only: nobody, superusers included, adds, edits or deletes one."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


class ImportBatchViewSet(ModelViewSet):
    model = ImportBatch
    icon = "upload"
    menu_label = _("案件导入批次")
    menu_order = 900
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["filename"]  # required by ModelViewSet; the policy refuses every add/edit
    list_display = [
        "__str__",
        "source",
        "channel",
        "total_lines",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
    ]
    list_filter = ["channel", "source"]
    inspect_view_fields = [
        "source",
        "channel",
        "filename",
        "imported_by",
        "started_at",
        "finished_at",
        "total_lines",
        "created_count",
        "updated_count",
        "unchanged_count",
        "rejected_count",
    ]
    inspect_template_name = "cases/admin/import_batch_inspect.html"
