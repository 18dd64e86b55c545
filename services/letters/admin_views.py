"""The officials' desk in the Wagtail admin: lists with filters and flags, a letter's
page with its timeline and the actions the user may take, attachments, Excel export.
Every list, export and statistic starts from `permissions.letters_for(user)`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.exports import xlsx_bytes, xlsx_response
from portal.models import Department

from . import admin_forms, statistics, workflow
from .deadlines import DeadlineClock
from .models import Assignment, Attachment, GroupAlert, ModerationReport, PublicVersion, Status, Supervision
from .permissions import can_handle, can_see_attachments, is_letters_staff, is_official, letters_for, writer_for


def _require_staff(request):
    if not is_letters_staff(request.user):
        raise PermissionDenied


def _filtered(request, letters, form):
    if not form.is_valid():
        return letters
    data = form.cleaned_data
    if data["status"]:
        letters = letters.filter(status=data["status"])
    if data["letter_type"]:
        letters = letters.filter(letter_type=data["letter_type"])
    if data["department"]:
        letters = letters.filter(assignments__department=data["department"], assignments__current=True)
    if data["q"]:
        letters = _search(letters, data["q"])
    return letters


def _search(letters, query):
    """Full text through Elasticsearch; the database answers when it is unreachable."""
    from .search import search_letters

    try:
        ids = search_letters(query, letter_ids=list(letters.values_list("pk", flat=True)))
    except Exception:
        return letters.filter(Q(tracking_no=query) | Q(title__icontains=query) | Q(content__icontains=query))
    return letters.filter(pk__in=ids)


@never_cache
def desk(request):
    _require_staff(request)
    form = admin_forms.FilterForm(request.GET or None)
    letters = (
        _filtered(request, letters_for(request.user), form)
        .select_related("mailbox")
        .order_by("due_on", "-submitted_at")
    )
    clock = DeadlineClock()
    rows = list(letters.prefetch_related("assignments__department")[:1000])
    clock.annotate(rows)
    flag = form.cleaned_data.get("flag") if form.is_valid() else ""
    if flag:
        rows = [row for row in rows if getattr(row.flags, flag)]
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    user = request.user
    supervisions = Supervision.objects.filter(letter__in=letters_for(user), letter__status__in=Status.values)
    if not user.is_superuser:
        supervisions = supervisions.filter(Q(department_id=user.department_id) | Q(letter__mailbox__officials=user))
    by_status = dict(letters_for(user).order_by().values_list("status").annotate(n=Count("pk", distinct=True)))
    tabs = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    return render(
        request,
        "letters/admin/desk.html",
        {
            "tabs": tabs,
            "form": form,
            "moderation": ModerationReport.objects.filter(
                reported_at__isnull=True, public_version__letter__in=letters_for(user)
            ).select_related("public_version__letter", "hidden_by")[:20],
            "page_obj": page,
            "total": len(rows),
            "supervisions": supervisions.select_related("letter", "department").distinct()[:20],
            "alerts": GroupAlert.objects.filter(resolved=False, letters__in=letters_for(user)).distinct()[:10],
            "counts": {
                "overdue": sum(1 for r in rows if r.flags.overdue),
                "due_soon": sum(1 for r in rows if r.flags.due_soon),
                "red": sum(1 for r in rows if r.flags.red),
            },
        },
    )


def _visible_letter(request, pk):
    _require_staff(request)
    letter = letters_for(request.user).filter(pk=pk).select_related("mailbox", "accused_department").first()
    if letter is None:
        raise Http404
    return letter


@never_cache
def detail(request, pk):
    letter = _visible_letter(request, pk)
    user = request.user
    official = is_official(user, letter)
    assignments = list(letter.assignments.select_related("department", "drafted_by"))
    mine = [a for a in assignments if a.current and can_handle(user, a)]
    DeadlineClock().annotate([letter])
    public = PublicVersion.objects.filter(letter=letter).first()
    forms = {}
    if official:
        if letter.status == Status.SUBMITTED:
            forms["accept"] = admin_forms.CommentForm()
            forms["decline"] = admin_forms.ReasonForm()
        if letter.status in (Status.ACCEPTED, Status.REOPENED):
            forms["route"] = admin_forms.RouteForm(letter=letter, initial={"due_on": letter.due_on})
        if letter.status == Status.DRAFTED:
            forms["approve"] = admin_forms.ApproveForm(
                initial={"reply": "\n\n".join(a.draft for a in assignments if a.current)}
            )
        if letter.status == Status.REPLIED:
            forms["close"] = admin_forms.CommentForm()
        if letter.extension_state == "requested":
            forms["decide_extension"] = admin_forms.DecideExtensionForm()
        if letter.is_open and any(a.current for a in assignments):
            forms["supervise"] = admin_forms.SuperviseForm(letter=letter)
        if (
            letter.consent_publish
            and not letter.is_report
            and public is None
            and letter.status in (Status.REPLIED, Status.CLOSED)
        ):
            forms["prepare_public"] = admin_forms.CommentForm()
        if public and public.state == PublicVersion.State.DRAFT:
            forms["publish_public"] = admin_forms.PublicVersionForm(
                initial={"title": public.title, "content": public.content, "reply": public.reply}
            )
        if public and public.state == PublicVersion.State.PUBLISHED:
            forms["hide_public"] = admin_forms.ReasonForm()
    if (
        (official or mine)
        and not letter.extension_state
        and letter.status in (Status.ACCEPTED, Status.ROUTED, Status.REOPENED)
    ):
        forms["request_extension"] = admin_forms.ReasonForm()
    return render(
        request,
        "letters/admin/detail.html",
        {
            "letter": letter,
            "official": official,
            "writer": writer_for(user, letter),
            "attachments": letter.attachments.all() if can_see_attachments(user, letter) else None,
            "assignments": assignments,
            "my_assignments": [
                (a, admin_forms.DraftForm(initial={"text": a.draft}))
                for a in mine
                if a.state in (Assignment.State.HANDLING, Assignment.State.RETURNED)
            ],
            "drafted": [a for a in assignments if a.current and a.state == Assignment.State.DRAFTED],
            "supervisions": letter.supervisions.select_related("department", "issued_by"),
            "events": letter.events.select_related("actor", "department"),
            "public": public,
            "forms": forms,
        },
    )


ACTIONS = {
    "accept": (
        admin_forms.CommentForm,
        lambda letter, user, data: workflow.accept_letter(letter, user, data["comment"]),
        gettext_lazy("已受理。"),
    ),
    "decline": (
        admin_forms.ReasonForm,
        lambda letter, user, data: workflow.decline_letter(letter, user, data["reason"]),
        gettext_lazy("已不予受理。"),
    ),
    "route": (
        admin_forms.RouteForm,
        lambda letter, user, data: workflow.route_letter(
            letter, user, data["departments"], data["instructions"], data["due_on"]
        ),
        gettext_lazy("已转办。"),
    ),
    "approve": (
        admin_forms.ApproveForm,
        lambda letter, user, data: workflow.approve_reply(letter, user, data["reply"]),
        gettext_lazy("答复已审核通过。"),
    ),
    "close": (
        admin_forms.CommentForm,
        lambda letter, user, data: workflow.close_letter(letter, user, data["comment"]),
        gettext_lazy("已办结。"),
    ),
    "request_extension": (
        admin_forms.ReasonForm,
        lambda letter, user, data: workflow.request_extension(letter, user, data["reason"]),
        gettext_lazy("延期申请已提交。"),
    ),
    "decide_extension": (
        admin_forms.DecideExtensionForm,
        lambda letter, user, data: workflow.decide_extension(letter, user, data["approve"], data["comment"]),
        gettext_lazy("已审批延期申请。"),
    ),
    "supervise": (
        admin_forms.SuperviseForm,
        lambda letter, user, data: workflow.supervise_letter(
            letter, user, data["department"], data["content"], data["due_on"]
        ),
        gettext_lazy("督办单已发出。"),
    ),
    "prepare_public": (
        admin_forms.CommentForm,
        lambda letter, user, data: workflow.prepare_public_version(letter, user),
        gettext_lazy("已生成公开版本，请审核。"),
    ),
    "publish_public": (
        admin_forms.PublicVersionForm,
        lambda letter, user, data: workflow.publish_public_version(
            letter.public_version, user, data["title"], data["content"], data["reply"]
        ),
        gettext_lazy("已公开。"),
    ),
    "hide_public": (
        admin_forms.ReasonForm,
        lambda letter, user, data: workflow.hide_public_version(letter.public_version, user, data["reason"]),
        gettext_lazy("已屏蔽，并生成违法信息处置记录（24小时内报告）。"),
    ),
}


@require_POST
def act(request, pk, action):
    letter = _visible_letter(request, pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run, done = ACTIONS[action]
    kwargs = {"letter": letter} if form_class in (admin_forms.RouteForm, admin_forms.SuperviseForm) else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("letters_desk:detail", pk=letter.pk)
    _report(request, lambda: run(letter, request.user, form.cleaned_data), done)
    return redirect("letters_desk:detail", pk=letter.pk)


def _report(request, action, done):
    """Run one workflow function and tell the official the outcome in Chinese."""
    try:
        action()
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("您没有权限进行此操作。"))


@require_POST
def draft(request, pk, assignment_pk):
    letter = _visible_letter(request, pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, letter=letter)
    form = admin_forms.DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写答复内容。"))
    else:
        _report(
            request,
            lambda: workflow.draft_reply(assignment, request.user, form.cleaned_data["text"]),
            _("答复已提交信箱管理员审核。"),
        )
    return redirect("letters_desk:detail", pk=letter.pk)


@require_POST
def return_draft(request, pk, assignment_pk):
    letter = _visible_letter(request, pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, letter=letter)
    form = admin_forms.ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写退回意见。"))
    else:
        _report(
            request,
            lambda: workflow.return_draft(assignment, request.user, form.cleaned_data["reason"]),
            _("已退回承办部门。"),
        )
    return redirect("letters_desk:detail", pk=letter.pk)


@never_cache
def attachment(request, pk):
    _require_staff(request)
    item = get_object_or_404(Attachment.objects.select_related("letter__mailbox"), pk=pk)
    if not can_see_attachments(request.user, item.letter):
        raise Http404
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


def export(request):
    """Monthly or quarterly statistics of the letters the user may see, as an Excel file."""
    _require_staff(request)
    today = timezone.localdate()
    form = admin_forms.ExportForm(
        request.GET or None, initial={"period": "month", "year": today.year, "number": today.month}
    )
    if not request.GET or not form.is_valid():
        return render(request, "letters/admin/export.html", {"form": form})
    data = form.cleaned_data
    period = (statistics.month if data["period"] == "month" else statistics.quarter)(data["year"], data["number"])
    letters = letters_for(request.user)
    headings = (
        _("统计周期"),
        _("单位"),
        _("收信"),
        _("答复"),
        _("按期答复"),
        _("按期答复率(%)"),
        _("平均办理天数"),
        _("评价数"),
        _("满意及基本满意"),
        _("满意率(%)"),
    )

    def row(name, figures):
        return (
            period.label,
            name,
            figures.received,
            figures.replied,
            figures.on_time,
            figures.on_time_rate,
            figures.average_days,
            figures.rated,
            figures.satisfied,
            figures.satisfaction_rate,
        )

    rows = [row(_("合计"), statistics.figures(letters, period))]
    departments = Department.objects.filter(pk__in=letters.values("assignments__department")).order_by("sort_order")
    for department in departments:
        handled = letters.filter(assignments__department=department).distinct()
        rows.append(row(department.name, statistics.figures(handled, period)))
    content = xlsx_bytes(_("统计"), headings, rows)
    return xlsx_response(content, f"letters-{period.start:%Y%m}-{data['period']}.xlsx")
