"""Staff act only after a second factor (allauth MFA TOTP), on every page, not only in the admin.

A staff member (services.accounts.second_factor.needs_second_factor) without TOTP is sent to set
it up (with an explanation in Chinese); one who has TOTP but signed in this session without
using it is asked for a code first. Only the pages that do either, sign out, or serve the captcha
are open before that, so every view that checks a staff permission sits behind the second factor.
"""

from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .second_factor import has_totp, needs_second_factor, used_second_factor


def open_before_second_factor():
    """Path prefixes a staff member may reach before using the second factor."""
    return (
        reverse("mfa_index"),  # /accounts/2fa/: set up TOTP, enter a code
        reverse("account_reauthenticate"),  # password again before setting up TOTP
        reverse("account_logout"),
        "/admin/logout/",
        "/captcha/",
        settings.STATIC_URL,
    )


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request.user) and not request.path_info.startswith(open_before_second_factor()):
            if not has_totp(request.user):
                messages.info(
                    request,
                    _(
                        "为保护政务数据安全，工作人员账号必须启用双重验证后才能办理业务。"
                        "如页面要求，请先再次输入密码确认身份；然后用手机上的身份验证器应用"
                        "（如“腾讯身份验证器”“Microsoft Authenticator”）扫描二维码，"
                        "并输入应用显示的6位动态码完成设置。"
                    ),
                )
                request.session["accounts_admin_next"] = request.get_full_path()
                return redirect(reverse("mfa_activate_totp"))
            if not used_second_factor(request):
                messages.info(request, _("请输入身份验证器应用显示的6位动态码后继续。"))
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
