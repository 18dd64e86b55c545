"""Admin wiring of the editorial review: resubmission restarts the chain, reviewer and freshness
panels on the dashboard, the review audit report."""

from django.conf import settings
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from . import consultations, freshness, review, views
from .models import ReviewedPage


@hooks.register("before_edit_page")
def resubmission_starts_at_the_first_level(request, page):
    if request.method == "POST" and request.POST.get("action-submit") and isinstance(page.specific, ReviewedPage):
        review.restart_after_rejection(page, request.user)


class ResubmitMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = _("修改后重新提交审核（从第一级开始）")
        return context


@hooks.register("construct_page_action_menu")
def label_resubmission(menu_items, request, context):
    page = context.get("page")
    state = page.current_workflow_state if page is not None and page.pk else None
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return
    for index, item in enumerate(menu_items):
        if isinstance(item, SubmitForModerationMenuItem):
            menu_items[index] = ResubmitMenuItem(order=item.order)


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path("reports/review-audit/", views.review_audit, name="home_review_audit"),
        path("consultations/", consultations.moderation, name="home_consultation_moderation"),
        path("consultations/<int:pk>/moderate/", consultations.moderate, name="home_consultation_moderate"),
        path("consultations/<int:page_id>/export/", consultations.export, name="home_consultation_export"),
    ]


class ConsultationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(consultations.MODERATE)


@hooks.register("register_admin_menu_item")
def consultation_menu_item():
    return ConsultationMenuItem(
        _("征集意见审核"), reverse("home_consultation_moderation"), icon_name="comment", order=320
    )


class ReviewAuditMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("home.view_review_audit")


@hooks.register("register_reports_menu_item")
def review_audit_menu_item():
    return ReviewAuditMenuItem(_("审核记录"), reverse("home_review_audit"), icon_name="clipboard-list", order=50)


class AwaitingReviewPanel(Component):
    """What waits for the signed-in reviewer, oldest first, with how long it has waited."""

    name = "awaiting_my_review"
    template_name = "home/admin/awaiting_review_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["items"] = review.awaiting_review(parent_context["request"].user)
        return context


class FreshnessPanel(Component):
    name = "column_freshness"
    template_name = "home/admin/freshness_panel.html"
    order = 95

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["findings"] = freshness.findings()
        context["limits"] = settings.PORTAL_FRESHNESS
        return context


@hooks.register("construct_homepage_panels")
def review_panels(request, panels):
    # Ours replaces Wagtail's "awaiting your review", which lists newest first without the age.
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "workflow_objects_to_moderate"]
    panels.append(AwaitingReviewPanel())
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(FreshnessPanel())
