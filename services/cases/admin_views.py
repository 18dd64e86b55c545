"""Staff screens for case management (案管): import batch history, lawyer binding review and
the check of legal documents before publication (法律文书公开核对)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from portal.http import require_permission

from .bindings import REVIEW_BINDING, approve_binding, reject_binding, revoke_binding
from .forms import ApproveDocumentForm, RejectBindingForm, ReturnDocumentForm, RevokeBindingForm, WithdrawDocumentForm
from .models import ImportBatch, LawyerBinding, LegalDocument
from .publication import PUBLISH_DOCUMENT, approve_document, return_document, rule_output, withdraw_document


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


def binding_list(request):
    """Binding requests by state, pending ones by default, oldest first: the first one in is the
    first one reviewed. Approved ones are listed too, to be revoked when they no longer hold."""
    require_permission(request, REVIEW_BINDING)
    state = request.GET.get("state", LawyerBinding.State.PENDING)
    if state not in LawyerBinding.State.values:
        state = LawyerBinding.State.PENDING
    bindings = (
        LawyerBinding.objects.filter(state=state)
        .select_related("case", "lawyer", "lawyer__lawyer_profile", "lawyer__profile")
        .order_by("submitted_at", "pk")
    )
    page = Paginator(bindings, 30).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "cases/admin/binding_list.html",
        {"page_obj": page, "state": state, "states": LawyerBinding.State.choices},
    )


def binding_detail(request, pk):
    require_permission(request, REVIEW_BINDING)
    binding = get_object_or_404(
        LawyerBinding.objects.select_related("case", "lawyer", "lawyer__lawyer_profile", "lawyer__profile"), pk=pk
    )
    form, revoke_form = RejectBindingForm(), RevokeBindingForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                approve_binding(binding, request.user)
                messages.success(request, _("已通过该律师的案件绑定申请。"))
                return redirect("cases_admin:binding_list")
            if action == "revoke":
                revoke_form = RevokeBindingForm(request.POST)
                if revoke_form.is_valid():
                    revoke_binding(binding, request.user, revoke_form.cleaned_data["reason"])
                    messages.success(request, _("已撤销该律师的案件绑定，并已通知律师。"))
                    return redirect("cases_admin:binding_detail", pk=binding.pk)
            else:
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
        {
            "binding": binding,
            "form": form,
            "revoke_form": revoke_form,
            "parties": binding.case.parties.all(),
            "events": binding.events.select_related("by"),
        },
    )


def document_list(request):
    """Documents by publication state, 待核对 first by default, oldest first within it."""
    require_permission(request, PUBLISH_DOCUMENT)
    state = request.GET.get("state", LegalDocument.State.PENDING)
    if state not in LegalDocument.State.values:
        state = LegalDocument.State.PENDING
    documents = (
        LegalDocument.objects.filter(state=state)
        .select_related("case")
        .only("pk", "number", "doc_type", "issued_on", "state", "case__name", "case__case_number")
        .order_by("issued_on", "pk")
    )
    page = Paginator(documents, 30).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "cases/admin/document_list.html",
        {"page_obj": page, "state": state, "states": LegalDocument.State.choices},
    )


def document_detail(request, pk):
    """The rule output with each change marked, the editable public version, approve or return."""
    require_permission(request, PUBLISH_DOCUMENT)
    document = get_object_or_404(LegalDocument.objects.select_related("case", "reviewed_by"), pk=pk)
    rules = rule_output(document)
    flagged = [change for change in rules.changes if change.flagged]
    approve_form = ApproveDocumentForm(
        initial={"public_text": document.public_text, "basis": document.review_basis}, flagged=flagged
    )
    return_form, withdraw_form = ReturnDocumentForm(), WithdrawDocumentForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "approve":
            form = approve_form = ApproveDocumentForm(request.POST, flagged=flagged)
        elif action == "withdraw":
            form = withdraw_form = WithdrawDocumentForm(request.POST)
        else:
            form = return_form = ReturnDocumentForm(request.POST)
        if form.is_valid():
            try:
                if action == "approve":
                    data = form.cleaned_data
                    approve_document(
                        document,
                        request.user,
                        data["public_text"],
                        basis=data["basis"],
                        kept_names=data.get("kept_names", ()),
                    )
                    messages.success(request, _("文书已核对通过并公开。"))
                elif action == "withdraw":
                    withdraw_document(document, request.user, form.cleaned_data["reason"])
                    messages.success(request, _("文书已撤回，不再公开。"))
                else:
                    return_document(document, request.user, form.cleaned_data["reason"])
                    messages.success(request, _("文书已退回，不予公开。"))
                return redirect("cases_admin:document_list")
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:  # about the document's state: shown at the top, whichever forms the page offers now
                    messages.error(request, " ".join(error.messages))
                    document.refresh_from_db()
    return TemplateResponse(
        request,
        "cases/admin/document_detail.html",
        {
            "document": document,
            "rules": rules,
            "flagged": [(piece, change) for piece, change in rules.segments() if change and change.flagged],
            "approve_form": approve_form,
            "return_form": return_form,
            "withdraw_form": withdraw_form,
            "events": document.events.select_related("by"),
        },
    )
