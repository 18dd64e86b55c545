"""Response headers and request limits every page gets, whichever app serves it."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .roles import ACCESS_ADMIN

ADMIN_PREFIX = "/admin/"
FORM_CONTENT_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class SecurityHeadersMiddleware(CSPMiddleware):
    """Content-Security-Policy (django-csp) with the strict public policy everywhere except the
    Wagtail admin, which gets ADMIN_CONTENT_SECURITY_POLICY; and Permissions-Policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body is larger than its view accepts, before anything
    reads it (Django would otherwise spool uploads to disk and only then refuse them). The
    limit is the view's `request_body_limit` (portal.http), else REQUEST_BODY_MAX_BYTES_STAFF for
    staff in the admin, else REQUEST_BODY_MAX_BYTES. Browsers get a page, other clients JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            view = view_for(request)
            limit = self.limit_for(request, view)
            if length > limit:
                return self.refuse(request, view, limit)
        return self.get_response(request)

    def limit_for(self, request, view):
        limit = getattr(view, "request_body_limit", None)
        if limit is not None:
            return limit() if callable(limit) else limit
        if request.path_info.startswith(ADMIN_PREFIX) and request.user.has_perm(ACCESS_ADMIN):
            return settings.REQUEST_BODY_MAX_BYTES_STAFF
        return settings.REQUEST_BODY_MAX_BYTES

    def refuse(self, request, view, limit):
        limit_mb = max(limit // (1024 * 1024), 1)
        message = getattr(view, "request_body_limit_message", None) or _(
            "提交的内容（含附件）合计不能超过 %(limit)d MB，未被接收。请压缩或减少附件后重新提交。"
        )
        message = message % {"limit": limit_mb}
        if request.content_type in FORM_CONTENT_TYPES:
            return render(request, "413.html", {"message": message}, status=413)
        return JsonResponse({"error": message}, status=413, json_dumps_params={"ensure_ascii": False})


def view_for(request):
    try:
        return resolve(request.path_info).func
    except Resolver404:
        return None


class PrivatePagesMiddleware:
    """Pages for a signed-in person, and for a visitor whose session holds something (a login in
    progress, a letter they may read), can show personal data: no browser or proxy cache may keep
    them (`Cache-Control: no-store`). Views that show personal data to a visitor without a session
    (a case query's answer) say so themselves with `never_cache`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response


def is_personal(request):
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    if session is None:
        return False
    return session.modified or (session.accessed and any(True for _key in session.keys()))
