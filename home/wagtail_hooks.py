"""Admin wiring of the editorial review: an article under review is frozen, resubmission restarts
the chain, the admin API asks the review rules, reviewer and freshness panels on the dashboard,
the review audit report."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, CancelWorkflowMenuItem, SubmitForModerationMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import TaskState, WorkflowState

from services.letters import worklist as letters_worklist
from services.letters.deadlines import DeadlineClock
from services.letters.permissions import is_letters_staff

from . import annual_report_admin, consultations, files, freshness, publishing, review, sign_off, views, withdrawal
from .admin_api import ReviewedPagesAdminAPIViewSet
from .forms import SEND_BACK_NEEDS_REASON, send_back_reason
from .models import ReviewedPage
from .site_search import PageSource


@hooks.register("insert_editor_js")
def autosave_never_creates_a_page_twice():
    """Holds a save pressed while the create screen's first autosave is creating the page, so it
    is sent to the new page's edit screen instead of creating the page a second time."""
    return format_html('<script src="{}"></script>', static("js/admin-autosave.js"))


@hooks.register("before_edit_page")
def send_back_banner(request, page):
    """The editor opening an item sent back sees, on top of the form, who sent it back and why."""
    if request.method == "GET" and isinstance(page.specific, ReviewedPage):
        notice = review.send_back_notice(page)
        if notice is not None:
            messages.warning(request, notice)


@hooks.register("before_edit_page")
def reviewers_are_pointed_to_the_review_screen(request, page):
    """A reviewer who opens the edit form of an item waiting for them (from the page tree or its
    history) is told where to review it."""
    if request.method != "GET" or not isinstance(page.specific, ReviewedPage):
        return
    task_state = page.current_workflow_task_state
    if task_state is not None and task_state.task.specific.get_actions(page, request.user):
        link = format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            reverse("home_review", args=(page.pk,)),
            _("打开审核页面"),
        )
        messages.info(request, format_html("{} {}", _("这条信息正等待您审核，请在审核页面同意或退回修改："), link))


@hooks.register("before_edit_page")
def content_under_review_is_frozen(request, page):
    """While an item is under review its edit screen (and the revert screen, which is the same
    view) accepts only the reviewer's approve / send back and the withdrawal of the review; every
    save, autosave, revert or publish is refused with the reason."""
    if request.method != "POST" or not isinstance(page.specific, ReviewedPage):
        return None
    state = review.review_in_progress(page)
    if state is None:
        return None
    if _is_review_action(request, page, state):
        if request.POST.get("workflow-action-name") != "reject" or _send_back_reason(request) is not None:
            return None
        message = SEND_BACK_NEEDS_REASON
    else:
        message = publishing.change_refusal(page)
    if not request.accepts("text/html"):
        return JsonResponse({"success": False, "error_code": "locked", "error_message": str(message)}, status=400)
    messages.error(request, message)
    return redirect("wagtailadmin_pages:edit", page.pk)


def _send_back_reason(request):
    try:
        data = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        return None
    return send_back_reason(data) if isinstance(data, dict) else None


def _is_review_action(request, page, state):
    if request.POST.get("action-cancel-workflow"):
        # The submitter withdraws their own submission; the 网站总编 cancels with a reason
        # (home.views.cancel_review); other reviewers approve or send back.
        return state.requested_by_id == request.user.pk and state.user_can_cancel(request.user)
    if request.POST.get("action-workflow-action"):
        task = state.current_task_state.task.specific
        offered = [name for name, _label, _modal in task.get_actions(page, request.user)]
        return request.POST.get("workflow-action-name") in offered
    return False


@hooks.register("before_edit_page")
def resubmission_starts_at_the_first_level(request, page):
    if request.method == "POST" and request.POST.get("action-submit") and isinstance(page.specific, ReviewedPage):
        review.restart_after_rejection(page, request.user)


@hooks.register("before_unpublish_page")
def withdrawal_needs_a_reason(request, page):
    return withdrawal.withdraw_on_unpublish_screen(request, page)


# After Wagtail's own bulk unpublish, which this one replaces (same action type).
hooks.register("register_bulk_action", withdrawal.WithdrawalBulkAction, order=100)


@hooks.register("before_convert_alias_page")
def no_aliases_of_articles(request, page):
    refusal = publishing.alias_refusal(page)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("before_create_page")
def columns_are_created_by_the_administrator(request, parent_page, page_class):
    refusal = publishing.creation_refusal(request.user, page_class)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", parent_page.pk)


@hooks.register("before_copy_page")
def columns_are_copied_by_the_administrator(request, page):
    refusal = publishing.structure_copy_refusal(request.user, page)
    if refusal is None:
        return None
    messages.error(request, refusal)
    return redirect("wagtailadmin_explore", page.get_parent().pk)


# Wagtail's own reports overlap the portal's (审核记录 for the review, 栏目更新监测 for ageing
# pages) and its help menu points to Wagtail's English guide: only the site administrator sees them.
WAGTAIL_REPORTS = {"workflows", "workflow-tasks", "site-history", "aging-pages", "page-types-usage"}


@hooks.register("construct_main_menu")
def no_wagtail_help_menu(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != "help"]


@hooks.register("construct_reports_menu")
def wagtail_reports_only_for_the_administrator(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in WAGTAIL_REPORTS]


@hooks.register("before_serve_document")
def unpublished_documents_are_not_public(document, request):
    """A document no live page shows answers 404, except to the staff who may use it."""
    if files.is_public(document) or files.staff_may_see(request.user, document):
        return None
    raise Http404


@hooks.register("construct_admin_api")
def review_rules_in_the_admin_api(router):
    router.register_endpoint("pages", ReviewedPagesAdminAPIViewSet)


@hooks.register("register_log_actions")
def review_log_actions(actions):
    actions.register_action("home.review.restart", _("重新审核"), _("审核从第一级重新开始"))


class ResubmitMenuItem(SubmitForModerationMenuItem):
    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = _("修改后重新提交审核（从第一级开始）")
        return context


class CancelReviewMenuItem(ActionMenuItem):
    """The 网站总编's way to cancel someone else's review: a screen asking for the reason."""

    label = _("取消审核（须填写理由）")
    name = "action-cancel-review"
    icon_name = "error"

    def get_url(self, parent_context):
        page = parent_context["page"]
        back = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        return f"{reverse('home_cancel_review', args=(page.pk,))}?{urlencode({'next': back})}"


@hooks.register("construct_page_action_menu")
def only_the_submitter_withdraws_and_the_chief_cancels(menu_items, request, context):
    page = context.get("page")
    state = page.current_workflow_state if page is not None and page.pk else None
    if state is None or not isinstance(page.specific, ReviewedPage):
        return
    if state.requested_by_id != request.user.pk:
        menu_items[:] = [item for item in menu_items if not isinstance(item, CancelWorkflowMenuItem)]
        if review.may_cancel_review(request.user):
            menu_items.append(CancelReviewMenuItem(order=900))


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
        path("reports/annual-report/", annual_report_admin.annual_report, name="home_annual_report"),
        path("review/<int:page_id>/", views.review_item, name="home_review"),
        path("review/<int:page_id>/cancel/", views.cancel_review, name="home_cancel_review"),
        path("review/<int:page_id>/sheet/", views.review_sheet, name="home_review_sheet"),
        path("consultations/", consultations.moderation, name="home_consultation_moderation"),
        path("consultations/<int:pk>/moderate/", consultations.moderate, name="home_consultation_moderate"),
        path("consultations/<int:page_id>/export/", consultations.export, name="home_consultation_export"),
    ]


class ReviewSheetButton(PageMenuItem):
    label = _("审签单")
    icon_name = "clipboard-list"
    url_name = "home_review_sheet"
    priority = 55

    def is_shown(self, user):
        return isinstance(self.page.specific_deferred, ReviewedPage) and sign_off.may_see(user, self.page)


@hooks.register("register_page_header_buttons")
def review_sheet_on_the_edit_screen(page, user, view_name, next_url=None):
    yield ReviewSheetButton(page=page)


@hooks.register("register_page_listing_more_buttons")
def review_sheet_in_the_page_listing(page, user, next_url=None):
    yield ReviewSheetButton(page=page)


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


class AnnualReportMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(annual_report_admin.publishable_columns(request.user))


@hooks.register("register_reports_menu_item")
def annual_report_menu_item():
    return AnnualReportMenuItem(_("政府网站工作年度报表"), reverse("home_annual_report"), icon_name="table", order=60)


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
        user = parent_context["request"].user
        context["findings"] = freshness.findings()
        context["limits"] = settings.PORTAL_FRESHNESS
        context["broken_links"] = freshness.broken_links()
        context["overdue_letters"] = letters_worklist.overdue_count(user, DeadlineClock())
        context["letters_desk"] = is_letters_staff(user)
        return context


@hooks.register("after_edit_page")
def reviewers_land_on_their_work_list(request, page):
    """Approving or sending back from the edit screen ends, as the dialog does, on the reviewer's
    work list with one message saying what happened (never on a column listing a county office or
    leader may not open)."""
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    acted = (
        TaskState.objects.filter(workflow_state__object_id=str(page.pk), finished_by=request.user)
        .order_by("-finished_at", "-pk")
        .first()
    )
    if acted is None:
        return None
    list(messages.get_messages(request))  # Wagtail's "page updated" message: the work list says more
    return redirect(review.work_list_after(acted))


@hooks.register("construct_homepage_panels")
def review_panels(request, panels):
    acted = review.last_action_of(request.user, request.GET.get("acted", ""))
    if acted is not None:
        messages.success(request, review.outcome_of(acted))
    # Ours replaces Wagtail's "awaiting your review", which lists newest first without the age.
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "workflow_objects_to_moderate"]
    panels.append(AwaitingReviewPanel())
    if request.user.has_perm("wagtailadmin.access_admin"):
        panels.append(FreshnessPanel())


@hooks.register("register_site_search_source")
def pages_in_site_search():
    return PageSource()
