"""Staff screens for case management (案管): the history of import batches with their reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .bindings import REVIEW_BINDING, approve_binding, reject_binding
from .forms import RejectBindingForm
from .models import ImportBatch, LawyerBinding


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


def _require_reviewer(request):
    if not request.user.has_perm(REVIEW_BINDING):
        raise PermissionDenied


def binding_list(request):
    """Pending binding requests, oldest first: the first one in is the first one reviewed."""
    _require_reviewer(request)
    pending = (
        LawyerBinding.objects.filter(state=LawyerBinding.State.PENDING)
        .select_related("case", "lawyer", "lawyer__lawyer_profile", "lawyer__profile")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(pending, 30).get_page(request.GET.get("p"))
    return TemplateResponse(request, "cases/admin/binding_list.html", {"page_obj": page})


def binding_detail(request, pk):
    _require_reviewer(request)
    binding = get_object_or_404(
        LawyerBinding.objects.select_related("case", "lawyer", "lawyer__lawyer_profile", "lawyer__profile"), pk=pk
    )
    form = RejectBindingForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "approve":
                approve_binding(binding, request.user)
                messages.success(request, _("已通过该律师的案件绑定申请。"))
                return redirect("cases_admin:binding_list")
            form = RejectBindingForm(request.POST)
            if form.is_valid():
                reject_binding(binding, request.user, form.cleaned_data["reason"])
                messages.success(request, _("已退回该律师的案件绑定申请。"))
                return redirect("cases_admin:binding_list")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("cases_admin:binding_detail", pk=binding.pk)
    return TemplateResponse(
        request,
        "cases/admin/binding_detail.html",
        {"binding": binding, "form": form, "events": binding.events.select_related("by")},
    )
