from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from services.accounts.wagtail_hooks import PermissionMenuItem

from . import admin_views
from .admin_views import HistoryPermissionPolicy, ImportBatchViewSet
from .bindings import REVIEW_BINDING
from .models import ImportBatch
from .publication import PUBLISH_DOCUMENT

register_permission_policy(ImportBatch, HistoryPermissionPolicy(ImportBatch))


@hooks.register("register_admin_viewset")
def register_import_batches():
    return ImportBatchViewSet("case_import_batches")


@hooks.register("register_admin_urls")
def register_binding_admin_urls():
    patterns = [
        path("bindings/", admin_views.binding_list, name="binding_list"),
        path("bindings/<int:pk>/", admin_views.binding_detail, name="binding_detail"),
        path("documents/", admin_views.document_list, name="document_list"),
        path("documents/<int:pk>/", admin_views.document_detail, name="document_detail"),
    ]
    return [path("cases/", include((patterns, "cases_admin"), namespace="cases_admin"))]


@hooks.register("register_admin_menu_item")
def binding_menu_item():
    return PermissionMenuItem(
        _("律师案件绑定"),
        reverse("cases_admin:binding_list"),
        icon_name="link",
        order=905,
        permission=REVIEW_BINDING,
    )


@hooks.register("register_admin_menu_item")
def document_menu_item():
    return PermissionMenuItem(
        _("法律文书公开核对"),
        reverse("cases_admin:document_list"),
        icon_name="doc-full",
        order=906,
        permission=PUBLISH_DOCUMENT,
    )
