import time

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.views import ActivateTOTPView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from portal.http import request_body_limit

from . import workflow
from .forms import DeleteAccountForm, LawyerApplicationForm, RealNameForm
from .models import LawyerProfile, Profile


def _to_public_login(request, default):
    next_url = request.GET.get("next", default)
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = default
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")


def admin_login(request):
    """The Wagtail admin signs in through the public login, which runs the MFA step."""
    return _to_public_login(request, "/admin/")


def frontend_login(request):
    """Wagtail's own sign-in for private pages (`/_util/login/`) would be a second door without
    the captcha, the lockout screens or the MFA step: it leads to the public login instead."""
    return _to_public_login(request, "/")


class StaffAwareActivateTOTPView(ActivateTOTPView):
    """Entering a valid code while activating proves the second factor for this session too,
    so a staff member sent here from the admin goes straight back to it."""

    def form_valid(self, form):
        response = super().form_valid(form)
        authenticator = self.request.user.authenticator_set.filter(type="totp").first()
        record_authentication(self.request, self.request.user, "mfa", type="totp", id=authenticator.pk)
        return response

    def get_success_url(self):
        next_url = self.request.session.pop("accounts_admin_next", None)
        if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={self.request.get_host()}):
            return next_url
        return super().get_success_url()


activate_totp = StaffAwareActivateTOTPView.as_view()


@login_required
def overview(request):
    """What the portal holds about the signed-in person (个人信息查阅), masked where it must be."""
    user = request.user
    context = {
        "profile": Profile.objects.filter(user=user).first(),
        "lawyer": LawyerProfile.objects.filter(user=user).prefetch_related("events").first(),
        "email_addresses": user.emailaddress_set.all(),
        "has_totp": user.authenticator_set.filter(type="totp").exists(),
    }
    return render(request, "accounts/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def real_name(request):
    profile = Profile.objects.filter(user=request.user).first()
    initial = {"real_name": profile.real_name} if profile else {}
    form = RealNameForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.save_real_name(request.user, form.cleaned_data["real_name"], form.cleaned_data["id_number"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("实名信息已保存。"))
            return redirect("accounts:overview")
    return render(request, "accounts/real_name.html", {"form": form, "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
@request_body_limit(lambda: settings.ACCOUNTS_CERTIFICATE_MAX_BYTES + 1024 * 1024)
def lawyer(request):
    current = LawyerProfile.objects.filter(user=request.user).first()
    may_apply = current is None or current.status in (LawyerProfile.Status.REJECTED, LawyerProfile.Status.REVOKED)
    form = None
    if may_apply:
        form = LawyerApplicationForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.submit_lawyer_application(
                    request.user,
                    form.cleaned_data["certificate_no"],
                    form.cleaned_data["law_firm"],
                    form.cleaned_data["certificate_scan"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("认证申请已提交，案件管理部门审核后会通知您。"))
                return redirect("accounts:lawyer")
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "accounts/lawyer.html",
        {"lawyer": current, "form": form, "has_profile": Profile.objects.filter(user=request.user).exists()},
    )


@login_required
def certificate(request, pk):
    """The certificate scan, for its owner and for staff who verify lawyers; never a public URL."""
    lawyer = get_object_or_404(LawyerProfile, pk=pk)
    if lawyer.user_id != request.user.pk and not request.user.has_perm(workflow.VERIFY_LAWYER):
        raise Http404
    if not lawyer.certificate_scan:
        raise Http404
    name = lawyer.certificate_scan.name.rsplit("/", 1)[-1]
    response = FileResponse(lawyer.certificate_scan.open("rb"), as_attachment=False, filename=name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def signed_in_by_code_recently(request):
    records = get_authentication_records(request, request.user)
    window = settings.ACCOUNTS_NEW_PASSWORD_WINDOW
    return any(r.get("method") == "code" and time.time() - r.get("at", 0) < window for r in records)


@login_required
@require_http_methods(["GET", "POST"])
def new_password(request):
    """Set a new password without the old one, right after signing in by a texted code."""
    if not signed_in_by_code_recently(request):
        messages.info(request, _("请先用短信验证码登录，再设置新密码；记得原密码可直接修改密码。"))
        return redirect("account_change_password")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("新密码已设置，下次可以用新密码登录。"))
        return redirect("accounts:overview")
    return render(request, "accounts/new_password.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        workflow.delete_account(user)
        messages.success(request, _("您的账号已注销，个人信息已删除。依法需要保存的记录已去除个人身份信息。"))
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})
