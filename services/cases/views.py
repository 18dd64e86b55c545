from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.http import client_address, request_body_limit
from portal.pii import pii_hash
from services.accounts.decorators import verified_lawyer_required

from . import bindings
from .document_search import criteria_from, search_documents
from .documents import public_document_queryset
from .forms import BindingRequestForm, CaseQueryForm
from .importing import batch_report, import_lines
from .lookup import case_status, find_case_for_party
from .models import ImportBatch, ImportSource, LawyerBinding
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
    address = client_address(request)
    if not allow_attempt("address", address):
        context["limited"] = True
        return render(request, "cases/query.html", context, status=429)
    if form.is_valid():
        data = form.cleaned_data
        person = pii_hash(data["id_number"])
        if not (allow_attempt("person", f"{person}:{address}") and allow_attempt("person_everywhere", person)):
            context["limited"] = True
            return render(request, "cases/query.html", context, status=429)
        status, degraded = find_case_for_party(data["case_number"], data["party_name"], data["id_number"])
        context.update(status=status, not_found=status is None, degraded=degraded)
    return render(request, "cases/query.html", context)


def _bearer_token(request):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@csrf_exempt
@require_POST
@request_body_limit(
    lambda: settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    message=gettext_lazy("批次过大：每个批次不超过 %(limit)d MB，请拆分后分批发送。"),
)
def import_batch(request):
    """POST a JSON Lines batch with `Authorization: Bearer <token>` of an active source system."""
    token = _bearer_token(request)
    source = None
    if token:
        source = ImportSource.objects.filter(token_hash=ImportSource.hash_token(token), is_active=True).first()
    if source is None:
        return JsonResponse({"error": _("身份验证失败：缺少或无效的访问令牌。")}, status=401)
    lines = request.body.splitlines()
    if not any(line.strip() for line in lines):
        return JsonResponse({"error": _("批次为空：请求正文应为 JSON Lines，每行一条案件记录。")}, status=400)
    batch = import_lines(
        lines, channel=ImportBatch.Channel.HTTP, source=source, filename=request.headers.get("X-Batch-Name", "")
    )
    return JsonResponse(batch_report(batch), status=200, json_dumps_params={"ensure_ascii": False})


@verified_lawyer_required
@never_cache
@request_body_limit(lambda: 2 * settings.CASES_BINDING_LETTER_MAX_BYTES + 1024 * 1024)
def lawyer_bindings(request):
    """律师案件绑定: the lawyer's bindings with their states, and a form to request another."""
    form = BindingRequestForm()
    if request.method == "POST":
        form = BindingRequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                bindings.request_binding(
                    request.user,
                    data["case_number"],
                    data["role"],
                    data["letter_kind"],
                    data["letter"],
                    data["firm_letter"],
                )
            except ValidationError as error:
                for field, messages_ in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages_)
            else:
                messages.success(request, _("绑定申请已提交，案件管理部门审核后即可查询案件程序性信息。"))
                return redirect("cases:lawyer")
    own = LawyerBinding.objects.filter(lawyer=request.user).select_related("case").order_by("-submitted_at")
    return render(request, "cases/lawyer_bindings.html", {"form": form, "bindings": own})


@verified_lawyer_required
@never_cache
def lawyer_case(request, pk):
    """The timeline of a case the lawyer is bound to AND approved for; anything else is a 404."""
    status = case_status(bindings.approved_case_for(request.user, pk))
    if status is None:
        raise Http404
    return render(request, "cases/lawyer_case.html", {"status": status})


@login_required
def binding_letter(request, pk, which):
    """A binding's uploaded letter, for its owner and for staff who review bindings only."""
    binding = get_object_or_404(LawyerBinding, pk=pk)
    if binding.lawyer_id != request.user.pk and not request.user.has_perm(bindings.REVIEW_BINDING):
        raise Http404
    field = {"letter": binding.letter, "firm": binding.firm_letter}.get(which)
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), as_attachment=False, filename=field.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def documents(request):
    """法律文书公开: search the published, anonymised documents (never the full texts)."""
    criteria = criteria_from(request.GET)
    results = search_documents(criteria)
    return render(request, "cases/documents.html", {"criteria": criteria, "results": results})


def document_detail(request, pk):
    document = get_object_or_404(public_document_queryset(), pk=pk)
    return render(request, "cases/document_detail.html", {"document": document})
