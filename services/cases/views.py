from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.http import client_address
from portal.pii import pii_hash

from .forms import CaseQueryForm
from .importing import batch_report, import_lines
from .lookup import find_case_for_party
from .models import ImportBatch, ImportSource
from .ratelimit import allow_attempt


@never_cache
def query(request):
    """案件程序性信息查询: one generic answer for every mismatch, whichever field it was."""
    context = {"status": None, "not_found": False, "degraded": False, "limited": False}
    if request.method != "POST":
        context["form"] = CaseQueryForm()
        return render(request, "cases/query.html", context)

    form = CaseQueryForm(request.POST)
    context["form"] = form
    if not allow_attempt("address", client_address(request)):
        context["limited"] = True
        return render(request, "cases/query.html", context, status=429)
    if form.is_valid():
        data = form.cleaned_data
        if not allow_attempt("person", pii_hash(data["id_number"])):
            context["limited"] = True
            return render(request, "cases/query.html", context, status=429)
        status, degraded = find_case_for_party(data["case_number"], data["party_name"], data["id_number"])
        context.update(status=status, not_found=status is None, degraded=degraded)
        if status is not None:
            context["form"] = CaseQueryForm()  # do not echo the ID number back into the page
    return render(request, "cases/query.html", context)


def _bearer_token(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@csrf_exempt
@require_POST
def import_batch(request):
    """POST a JSON Lines batch with `Authorization: Bearer <token>` of an active source system."""
    token = _bearer_token(request)
    source = None
    if token:
        source = ImportSource.objects.filter(token_hash=ImportSource.hash_token(token), is_active=True).first()
    if source is None:
        return JsonResponse({"error": _("身份验证失败：缺少或无效的访问令牌。")}, status=401)
    try:
        lines = request.body.splitlines()
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1
        message = _("批次过大：每个批次不超过 %(limit)d MB，请拆分后分批发送。") % {"limit": limit}
        return JsonResponse({"error": message}, status=413)
    if not any(line.strip() for line in lines):
        return JsonResponse({"error": _("批次为空：请求正文应为 JSON Lines，每行一条案件记录。")}, status=400)
    batch = import_lines(
        lines, channel=ImportBatch.Channel.HTTP, source=source, filename=request.headers.get("X-Batch-Name", "")
    )
    return JsonResponse(batch_report(batch), status=200, json_dumps_params={"ensure_ascii": False})
