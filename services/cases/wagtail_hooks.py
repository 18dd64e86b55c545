from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from portal.service_registry import PublicService, Section
from services.accounts.wagtail_hooks import PermissionMenuItem

from . import admin_views, monitoring_admin
from .admin_views import HistoryPermissionPolicy, ImportBatchViewSet
from .bindings import REVIEW_BINDING
from .models import ImportBatch, LawyerBinding, LegalDocument
from .monitoring import MONITOR_TIME_LIMITS
from .monitoring_admin import StageTimeLimitViewSet
from .publication import PUBLISH_DOCUMENT
from .site_search import DocumentSource

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
        waiting=lambda: LawyerBinding.objects.filter(state=LawyerBinding.State.PENDING).count(),
    )


@hooks.register("register_admin_viewset")
def register_stage_time_limits():
    return StageTimeLimitViewSet("case_stage_time_limits")


@hooks.register("register_admin_urls")
def register_monitoring_admin_urls():
    patterns = [
        path("", monitoring_admin.time_limit_list, name="list"),
        path("export/", monitoring_admin.time_limit_export, name="export"),
    ]
    return [path("cases/time-limits/", include((patterns, "cases_time_limits"), namespace="cases_time_limits"))]


@hooks.register("register_admin_menu_item")
def time_limit_menu_item():
    return PermissionMenuItem(
        _("案件期限监测"),
        reverse("cases_time_limits:list"),
        icon_name="warning",
        order=906,
        permission=MONITOR_TIME_LIMITS,
    )


@hooks.register("register_admin_menu_item")
def document_menu_item():
    return PermissionMenuItem(
        _("法律文书公开核对"),
        reverse("cases_admin:document_list"),
        icon_name="doc-full",
        order=908,
        permission=PUBLISH_DOCUMENT,
        waiting=lambda: LegalDocument.objects.filter(state=LegalDocument.State.PENDING).count(),
    )


@hooks.register("register_site_search_source")
def documents_in_site_search():
    return DocumentSource()


@hooks.register("register_public_services")
def case_services():
    cases = (Section.CASE_INFORMATION,)
    return [
        PublicService(
            key="cases.query",
            title=_("案件程序性信息查询"),
            summary=_("当事人及其法定代理人、近亲属凭案件编号、姓名和身份证号查询案件办理进程。"),
            url_name="cases:query",
            sections=cases,
            order=30,
        ),
        PublicService(
            key="cases.documents",
            title=_("法律文书公开"),
            summary=_("检索已公开的起诉书、抗诉书、不起诉决定书和刑事申诉复查决定书（已隐名处理）。"),
            url_name="cases:documents",
            sections=cases,
            order=31,
        ),
        PublicService(
            key="cases.lawyer",
            title=_("律师案件绑定"),
            summary=_("认证律师提交委托材料申请绑定代理的案件，审核通过后查询案件程序性信息。"),
            url_name="cases:lawyer",
            sections=cases,
            requires_login=True,
            lawyers_only=True,
            order=32,
        ),
    ]
