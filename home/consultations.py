"""意见征集: citizens comment on an open consultation, staff moderate before anything is shown,
and export the comments. Every door (the page's form, the staff screen, tests) calls the
functions here."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.captcha import CaptchaField, CaptchaFormMixin
from portal.exports import xlsx_bytes, xlsx_response
from portal.http import require_permission
from portal.validators import validate_visible_text

from .models import ConsultationComment, ConsultationPage

MODERATE = "home.moderate_consultationcomment"


class CommentRefused(Exception):
    """A comment or moderation the rules refuse; the message is shown as it is."""


class CommentForm(CaptchaFormMixin, forms.Form):
    body = forms.CharField(
        label=_("您的意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写意见内容。"), "max_length": _("意见内容不能超过2000字。")},
        validators=[validate_visible_text],
    )
    captcha = CaptchaField()


@transaction.atomic
def submit_comment(page, user, body):
    """A signed-in citizen's comment on an open consultation; it waits for moderation."""
    if not user.is_authenticated:
        raise CommentRefused(_("请先登录后再提交意见。"))
    if not page.live or not page.is_open:
        raise CommentRefused(_("本次意见征集不在征集期内，不能提交意见。"))
    body = body.strip()
    if not body:
        raise CommentRefused(_("请填写意见内容。"))
    return ConsultationComment.objects.create(page=page, author=user, body=body)


@transaction.atomic
def moderate_comment(comment, by, *, approve, reason=""):
    """Approve (publish) or refuse a pending comment; refusing needs a reason. Only once."""
    if not by.has_perm(MODERATE):
        raise PermissionDenied
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    if comment.status != ConsultationComment.Status.PENDING:
        raise CommentRefused(_("这条意见已经审核过。"))
    if not approve and not reason.strip():
        raise CommentRefused(_("不予公开须填写理由。"))
    comment.status = ConsultationComment.Status.APPROVED if approve else ConsultationComment.Status.REJECTED
    comment.reason = "" if approve else reason.strip()
    comment.moderated_by = by
    comment.moderated_at = timezone.now()
    comment.save(update_fields=["status", "reason", "moderated_by", "moderated_at"])
    return comment


def comment_view(request, page):
    """POST of the consultation page's comment form."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': page.url})}")
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            submit_comment(page, request.user, form.cleaned_data["body"])
        except CommentRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("您的意见已提交，经工作人员审核后公开。感谢您的参与！"))
            return redirect(page.url)
    context = page.get_context(request)
    context["form"] = form
    return TemplateResponse(request, page.get_template(request), context)


# --- Staff screens ---------------------------------------------------------------------------


def moderation(request):
    require_permission(request, MODERATE)
    pending = ConsultationComment.objects.filter(status=ConsultationComment.Status.PENDING)
    return TemplateResponse(
        request,
        "home/admin/consultation_moderation.html",
        {
            "pending": pending.select_related("page", "author"),
            "consultations": ConsultationPage.objects.order_by("-closes_on"),
        },
    )


@require_POST
def moderate(request, pk):
    require_permission(request, MODERATE)
    comment = get_object_or_404(ConsultationComment, pk=pk)
    try:
        moderate_comment(
            comment,
            request.user,
            approve=request.POST.get("action") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except CommentRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已审核。"))
    return redirect("home_consultation_moderation")


def export(request, page_id):
    """Every comment of one consultation as .xlsx (authors masked), for the 采纳情况 report."""
    require_permission(request, MODERATE)
    page = get_object_or_404(ConsultationPage, pk=page_id)
    rows = [
        (
            comment.created_at,
            comment.author_display,
            comment.body,
            comment.get_status_display(),
            comment.reason,
        )
        for comment in page.comments.select_related("author")
    ]
    headings = [_("提交时间"), _("提出人"), _("意见内容"), _("状态"), _("不予公开的理由")]
    content = xlsx_bytes(str(_("征集意见")), [str(h) for h in headings], rows, widths=(20, 10, 80, 10, 30))
    return xlsx_response(content, f"{page.title}-征集意见.xlsx")
