import logging

from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from search.connection import search_status

from .context_processors import DISPLAY_MODE_COOKIE

logger = logging.getLogger(__name__)


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is unusable
        logger.error("health check: database unreachable: %s", exc.__class__.__name__)
        return {"status": "down", "vendor": connection.vendor}
    return {"status": "ok", "vendor": connection.vendor}


@never_cache
def healthz(request):
    """Liveness for the load balancer: 503 only when the database, the source of truth, is down."""
    database = database_status()
    search = search_status()
    healthy = database["status"] == "ok"
    body = {"status": "ok" if healthy else "down", "database": database, "search": search}
    return JsonResponse(body, status=200 if healthy else 503)


def accessibility(request):
    return render(request, "portal/accessibility.html")


@require_http_methods(["GET", "POST"])
def display_mode(request):
    """Switch the age-friendly display mode (适老化) with a plain link or form; no JavaScript needed."""
    mode = request.POST.get("mode") or request.GET.get("mode")
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if mode == "elder":
        response.set_cookie(DISPLAY_MODE_COOKIE, "elder", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(DISPLAY_MODE_COOKIE)
    return response
