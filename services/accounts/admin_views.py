"""Admin screens: lawyer verification, disputed real-name claims, and unlocking sign-in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.http import require_permission

from . import lockout, workflow
from .alerts import UNLOCK_ACCOUNT
from .forms import RejectLawyerForm, ResolveRealNameForm, RevokeLawyerForm
from .models import LawyerProfile, Profile


def lawyer_list(request):
    require_permission(request, workflow.VERIFY_LAWYER)
    status = request.GET.get("status", LawyerProfile.Status.PENDING)
    lawyers = LawyerProfile.objects.select_related("user", "user__profile").order_by("-submitted_at")
    if status in LawyerProfile.Status.values:
        lawyers = lawyers.filter(status=status)
    page = Paginator(lawyers, 30).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "accounts/admin/lawyer_list.html",
        {"page_obj": page, "status": status, "statuses": LawyerProfile.Status.choices},
    )


def lawyer_detail(request, pk):
    require_permission(request, workflow.VERIFY_LAWYER)
    lawyer = get_object_or_404(LawyerProfile.objects.select_related("user", "user__profile"), pk=pk)
    form, revoke_form = RejectLawyerForm(), RevokeLawyerForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                workflow.verify_lawyer(lawyer, request.user)
                messages.success(request, _("已通过该律师的身份认证。"))
                return redirect("accounts_admin:lawyer_list")
            if action == "revoke":
                revoke_form = RevokeLawyerForm(request.POST)
                if revoke_form.is_valid():
                    workflow.revoke_lawyer(lawyer, request.user, revoke_form.cleaned_data["reason"])
                    messages.success(request, _("已撤销该律师的身份认证，并已通知律师。"))
                    return redirect("accounts_admin:lawyer_detail", pk=lawyer.pk)
            else:
                form = RejectLawyerForm(request.POST)
                if form.is_valid():
                    workflow.reject_lawyer(lawyer, request.user, form.cleaned_data["reason"])
                    messages.success(request, _("已退回该律师的认证申请。"))
                    return redirect("accounts_admin:lawyer_list")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts_admin:lawyer_detail", pk=lawyer.pk)
    return TemplateResponse(
        request,
        "accounts/admin/lawyer_detail.html",
        {"lawyer": lawyer, "form": form, "revoke_form": revoke_form, "events": lawyer.events.select_related("by")},
    )


def lockout_list(request):
    require_permission(request, UNLOCK_ACCOUNT)
    attempts = list(lockout.locked_attempts()[:200])
    users = lockout.users_for_attempts(attempts)
    rows = [(attempt, users.get(attempt.username)) for attempt in attempts]
    return TemplateResponse(request, "accounts/admin/lockout_list.html", {"rows": rows})


@require_POST
def unlock(request, pk):
    require_permission(request, UNLOCK_ACCOUNT)
    attempt = get_object_or_404(lockout.locked_attempts(), pk=pk)
    lockout.unlock(attempt, by=request.user)
    messages.success(request, _("已解除锁定，用户可以重新登录。"))
    return redirect("accounts_admin:lockout_list")


def real_name_list(request):
    """实名登记核实: ID numbers claimed by several accounts, each group with its claims."""
    require_permission(request, workflow.RESOLVE_REAL_NAME)
    groups = {}
    for claim in workflow.disputed_claims():
        groups.setdefault(claim.id_number_hash, []).append(claim)
    return TemplateResponse(
        request, "accounts/admin/real_name_list.html", {"groups": list(groups.values()), "form": ResolveRealNameForm()}
    )


@require_POST
def resolve_real_name(request, pk):
    require_permission(request, workflow.RESOLVE_REAL_NAME)
    profile = get_object_or_404(Profile, pk=pk)
    form = ResolveRealNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("accounts_admin:real_name_list")
    try:
        if request.POST.get("action") == "confirm":
            workflow.confirm_real_name(profile, request.user, form.cleaned_data["reason"])
            messages.success(request, _("已确认该账号的实名登记，同号的其他登记已撤销并通知本人。"))
        else:
            workflow.revoke_real_name(profile, request.user, form.cleaned_data["reason"])
            messages.success(request, _("已撤销该账号的实名登记并通知本人。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts_admin:real_name_list")
