"""Request facts every app needs the same way."""

from django.conf import settings
from django.core.exceptions import PermissionDenied


def client_address(request):
    """The client's address. Behind N reverse proxies (setting TRUSTED_PROXY_COUNT, default 0)
    it is the Nth address from the right of X-Forwarded-For; entries further left are
    written by the client and cannot be trusted."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def require_permission(request, permission):
    """Staff screens: refuse (403) a user without `permission` ("app.codename")."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


def request_body_limit(limit, message=None):
    """Declare the largest request body (bytes, or a callable returning them) a view accepts;
    portal.middleware.RequestBodyLimitMiddleware refuses larger ones before reading them, with
    `message` (formatted with %(limit)d, the limit in MB) if given."""

    def decorate(view):
        view.request_body_limit = limit
        view.request_body_limit_message = message
        return view

    return decorate
