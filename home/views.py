"""The review screen of each level, the review audit report, the printable 审签单 of an item and
the 网站总编's cancellation of a review (admin screens, registered in home.wagtail_hooks), and the
public door to uploaded pictures (/media/…)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page, PageLogEntry

from portal.exports import xlsx_response
from portal.forms import ReasonForm
from portal.media import send_media_file

from . import audit, files, review, sign_off
from .models import ArticlePage, ColumnPage, ReviewTask


class AuditFilterForm(forms.Form):
    column = forms.ModelChoiceField(label=_("栏目"), queryset=ColumnPage.objects.none(), required=False)
    user = forms.ModelChoiceField(label=_("操作人"), queryset=get_user_model().objects.none(), required=False)
    level = forms.ChoiceField(label=_("审核级次"), required=False)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = ColumnPage.objects.order_by("path")
        actors = PageLogEntry.objects.filter(action__in=audit.ACTIONS).values("user")
        self.fields["user"].queryset = get_user_model().objects.filter(pk__in=actors).order_by("username")
        names = ReviewTask.objects.order_by("pk").values_list("name", flat=True)
        self.fields["level"].choices = [("", _("全部"))] + [(name, name) for name in names]

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("date_from"), cleaned_data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return cleaned_data


def review_audit(request):
    if not request.user.has_perm("home.view_review_audit"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid():
        entries = PageLogEntry.objects.none()
    else:
        entries = audit.review_log(**{name: value for name, value in filters.items() if value})
    if request.GET.get("export") == "xlsx":
        return xlsx_response(audit.to_xlsx(audit.rows(entries)), f"审核记录-{timezone.localdate():%Y%m%d}.xlsx")
    page_obj = Paginator(entries, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    query.pop("export", None)
    table = audit.rows(page_obj.object_list)
    return render(
        request,
        "home/admin/review_audit.html",
        {
            "form": form,
            "page_obj": page_obj,
            "table": table,
            "listing": zip(table, [entry.page_id for entry in page_obj.object_list], strict=True),
            "headings": audit.HEADINGS,
            "query": query.urlencode(),
        },
    )


def review_sheet(request, page_id):
    """The printable 审签单 of one item, for the staff who may see it (home.sign_off.may_see)."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not sign_off.may_see(request.user, page):
        raise PermissionDenied
    if page.permissions_for_user(request.user).can_edit():
        back_url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    else:
        back_url = reverse("wagtailadmin_home")
    return render(
        request,
        "home/admin/review_sheet.html",
        {"sheet": sign_off.sheet_of(page), "back_url": back_url, "printed_at": timezone.now()},
    )


def media_file(request, path):
    """An image file (original or rendition) under MEDIA_ROOT: to anyone once a live page shows the
    image, to the staff who may use it in the admin before that, to nobody else. Documents are
    served by Wagtail's /documents/ view; nothing else under MEDIA_ROOT is served here."""
    image = files.image_stored_as(path)
    if image is None:
        raise Http404
    if files.is_public(image):
        return send_media_file(request, path, public=True)
    if files.staff_may_see(request.user, image):
        return send_media_file(request, path, public=False)
    raise Http404


class CancelReviewForm(ReasonForm):
    reason_label = _("取消理由")


def cancel_review(request, page_id):
    """The 网站总编's cancellation of a review: a confirmation screen asking for the reason, which
    the review audit report keeps; then back to the work list."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not review.may_cancel_review(request.user):
        messages.error(request, review.NOT_A_CANCELLER)
        return redirect("wagtailadmin_pages:edit", page.pk)
    if page.current_workflow_state is None:
        messages.error(request, review.NO_REVIEW_TO_CANCEL)
        return redirect("wagtailadmin_home")
    form = CancelReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = review.cancel_review(page, request.user, form.cleaned_data["reason"])
        if refusal is None:
            messages.success(request, _("《%(title)s》的审核已取消。") % {"title": page.get_admin_display_title()})
            return redirect("wagtailadmin_home")
        form.add_error(None, refusal)
    state = page.current_workflow_state
    return render(
        request,
        "home/admin/cancel_review.html",
        {
            "page": page,
            "state": state,
            "form": form,
            "back_url": get_valid_next_url_from_request(request) or reverse("wagtailadmin_home"),
        },
    )


NOT_YOUR_LEVEL = _("这条信息目前不在您的审核环节：只有当前这一级的审核人可以打开审核页面（同一人不能在两个级次审核）。")
ALREADY_HANDLED = _("这条信息在您打开审核页面后已由他人处理，请在待我审核中查看它现在的状态。")


@require_http_methods(["GET", "POST"])
def review_item(request, page_id):
    """The read-only review screen of the level waiting for the signed-in reviewer: the version
    under review as it will appear, why it is at this level, the review so far, what changed since
    the reviewer last saw it, and 同意 / 退回修改. Acting goes through the task's own action
    (ReviewTask.on_action, as Wagtail's approve / send-back dialog does), then to the work list."""
    page = get_object_or_404(Page, pk=page_id).specific
    task_state = page.current_workflow_task_state
    task = task_state.task.specific if task_state is not None else None
    if request.method == "POST" and request.POST.get("task_state") != str(getattr(task_state, "pk", "")):
        messages.error(request, ALREADY_HANDLED)
        return redirect("wagtailadmin_home")
    offered = {name for name, _label, _modal in task.get_actions(page, request.user)} if task else set()
    if not offered:
        return render(request, "home/admin/review_refused.html", {"page": page, "message": NOT_YOUR_LEVEL}, status=403)
    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in offered:
            raise PermissionDenied
        form = task.get_form_for_action(action)(request.POST)
        if form.is_valid():
            return redirect(task.on_action(task_state, request.user, action, **form.cleaned_data))
    item = task_state.revision.as_object() if task_state.revision_id else page
    base, base_heading = review.comparison_base(task_state, request.user)
    return render(
        request,
        "home/admin/review_item.html",
        {
            "page": page,
            "item": item,
            "is_article": isinstance(item, ArticlePage),
            "task_state": task_state,
            "column": review.column_of(page),
            "why": review.why_at_level(task_state, item),
            "events": review.review_so_far(page),
            "base_heading": base_heading,
            "changes": review.changes_between(page, request, base, item) if base is not None else None,
            "form": form,
            "comment": request.POST.get("comment", "") if form is not None else "",
            "can_cancel": review.may_cancel_review(request.user),
        },
    )
