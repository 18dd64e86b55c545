"""Staff reach the Wagtail admin only after a second factor (allauth MFA TOTP).

A staff member without TOTP is sent to set it up (with an explanation in Chinese); one who has
TOTP but signed in this session without using it is asked for a code first.
"""

from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

ADMIN_PREFIX = "/admin/"
# Signing in and out of the admin is handled by the public login (see portal/urls.py).
EXEMPT = ("/admin/login/", "/admin/logout/")


def is_staff_user(user):
    return user.is_authenticated and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def used_second_factor(request):
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(ADMIN_PREFIX) and not path.startswith(EXEMPT) and is_staff_user(request.user):
            if not has_totp(request.user):
                messages.info(
                    request,
                    _(
                        "为保护政务数据安全，工作人员进入管理后台必须启用双重验证。"
                        "如页面要求，请先再次输入密码确认身份；然后用手机上的身份验证器应用"
                        "（如“腾讯身份验证器”“Microsoft Authenticator”）扫描二维码，"
                        "并输入应用显示的6位动态码完成设置。"
                    ),
                )
                request.session["accounts_admin_next"] = request.get_full_path()
                return redirect(reverse("mfa_activate_totp"))
            if not used_second_factor(request):
                messages.info(request, _("请输入身份验证器应用显示的6位动态码后进入管理后台。"))
                return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class RateLimitedMiddleware:
    """Some allauth flows (texting a code) raise RateLimited instead of answering 429 themselves;
    answer it with the "too many requests" page rather than a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None
