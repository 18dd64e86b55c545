"""The officials' desk in the Wagtail admin: lists with filters and flags, a letter's
page with its timeline and the actions the user may take, attachments, Excel export.
Every list, export and statistic starts from `permissions.letters_for(user)`."""

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.exports import Spreadsheet, xlsx_bytes, xlsx_response
from portal.models import Department, StaffNotice
from portal.pii import mask_name, pii_hash
from portal.workdays import Calendar

from . import admin_forms, statistics, workflow, worklist
from .deadlines import DeadlineClock, Flags
from .models import (
    OPEN_STATUSES,
    Assignment,
    Attachment,
    GroupAlert,
    LetterType,
    ModerationReport,
    PublicVersion,
    Status,
    Supervision,
)
from .permissions import (
    can_handle,
    can_see_attachment,
    can_see_attachments,
    is_handler,
    is_letters_staff,
    is_official,
    letters_for,
    writer_for,
)


def _require_staff(request):
    if not is_letters_staff(request.user):
        raise PermissionDenied


def _filtered(user, letters, form, clock):
    """The desk's list for `form`: open letters unless a status is chosen."""
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "")
    if status == admin_forms.FilterForm.OPEN:
        letters = letters.filter(status__in=OPEN_STATUSES)
    elif status != admin_forms.FilterForm.ALL:
        letters = letters.filter(status=status)
    if data.get("letter_type"):
        letters = letters.filter(letter_type=data["letter_type"])
    if data.get("department"):
        letters = letters.filter(
            pk__in=Assignment.objects.filter(department=data["department"], current=True).values("letter")
        )
    if data.get("due") == "week":
        letters = letters.filter(deadline__range=(clock.today, clock.today + timedelta(days=6 - clock.today.weekday())))
    elif data.get("due") == "seven":
        letters = letters.filter(deadline__range=(clock.today, clock.today + timedelta(days=7)))
    if data.get("due_after"):
        letters = letters.filter(deadline__gte=data["due_after"])
    if data.get("due_before"):
        letters = letters.filter(deadline__lte=data["due_before"])
    if data.get("flag"):
        letters = letters.filter(worklist.flag_conditions(clock, user)[data["flag"]])
    if data.get("todo"):
        condition = worklist.todo_condition(user, data["todo"])
        letters = letters.filter(condition) if condition is not None else letters.none()
    if data.get("writer"):
        letters = _by_writer(user, letters, data["writer"])
    if data.get("q"):
        letters = _search(letters, data["q"])
    return letters


def _by_writer(user, letters, phone_hash):
    """Letters written from one phone number. A 举报's writer is protected: only its mailbox
    officials may find it by the writer's number."""
    letters = letters.filter(phone_hash=phone_hash, is_anonymous=False)
    if not user.is_superuser:
        letters = letters.exclude(Q(letter_type=LetterType.REPORT) & ~Q(mailbox__in=user.managed_mailboxes.all()))
    return letters


def _search(letters, query):
    """Full text through Elasticsearch; the database answers when it is unreachable."""
    from .search import search_letters

    try:
        ids = search_letters(query, letter_ids=list(letters.values_list("pk", flat=True)))
    except Exception:
        return letters.filter(Q(tracking_no=query) | Q(title__icontains=query) | Q(content__icontains=query))
    return letters.filter(pk__in=ids)


def desk_letters(request, clock):
    """(form, the filtered letters with `deadline` and the flags annotated) for the desk and the 台账."""
    user = request.user
    form = admin_forms.FilterForm(request.GET or None)
    letters = worklist.with_deadline(worklist.visible(user), user)
    flags = worklist.flag_conditions(clock, user)
    letters = letters.annotate(
        **{f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField()) for name, condition in flags.items()}
    )
    return form, _filtered(user, letters, form, clock)


@never_cache
def desk(request):
    _require_staff(request)
    user = request.user
    clock = DeadlineClock()
    form, letters = desk_letters(request, clock)
    letters = letters.select_related("mailbox").order_by(F("deadline").asc(nulls_last=True), "-submitted_at")
    page = Paginator(letters, 50).get_page(request.GET.get("p"))
    rows = list(page.object_list.prefetch_related("assignments__department"))
    for row in rows:
        row.flags = Flags(
            due_soon=row.is_due_soon,
            overdue=row.is_overdue,
            red=row.is_red,
            provisional=clock.calendar.unknown_years(row.due_from, row.deadline) if row.deadline else (),
        )
        row.workdays_left = (
            clock.calendar.workdays_between(clock.today, row.deadline) if row.deadline and row.is_open else None
        )
    page.object_list = rows
    counts = worklist.count_where(
        worklist.with_deadline(worklist.visible(user), user), worklist.flag_conditions(clock, user)
    )
    by_status = dict(worklist.visible(user).order_by().values_list("status").annotate(n=Count("pk")))
    tabs = [(value, label, by_status.get(value, 0)) for value, label in Status.choices]
    return render(
        request,
        "letters/admin/desk.html",
        {
            "tabs": tabs,
            "form": form,
            "phone_form": admin_forms.PhoneSearchForm(),
            "handler_view": is_handler(user),
            "moderation": ModerationReport.objects.filter(
                reported_at__isnull=True, public_version__letter__in=letters_for(user)
            ).select_related("public_version__letter", "hidden_by")[:20],
            "page_obj": page,
            "total": page.paginator.count,
            "supervisions": worklist.open_supervisions(user)
            .filter(letter__in=worklist.visible(user))
            .select_related("letter", "department")
            .order_by("due_on")[:20],
            "today": clock.today,
            "alerts": GroupAlert.objects.filter(resolved=False, letters__in=letters_for(user)).distinct()[:10],
            "counts": counts,
        },
    )


@require_POST
def phone_search(request):
    """The writer's phone number arrives by POST and leaves as its keyed hash, so the number
    never appears in an address, the browser history or a server log."""
    _require_staff(request)
    form = admin_forms.PhoneSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(form.errors["phone"]))
        return redirect("letters_desk:index")
    query = urlencode({"status": admin_forms.FilterForm.ALL, "writer": pii_hash(form.cleaned_data["phone"], "phone")})
    return redirect(f"{reverse('letters_desk:index')}?{query}")


def _supervision_label(letter):
    if letter.is_supervision_overdue:
        return _("督办超期")
    return _("督办中") if letter.is_supervised else ""


@never_cache
def ledger(request):
    """台账: the letters of the desk's current filter, one row per letter."""
    _require_staff(request)
    clock = DeadlineClock()
    _form, letters = desk_letters(request, clock)
    letters = letters.select_related("mailbox", "reply_department").prefetch_related("assignments__department")
    headings = (
        _("信件编号"),
        _("来信渠道"),
        _("来信时间"),
        _("信箱"),
        _("类型"),
        _("标题"),
        _("来信人"),
        _("受理日期"),
        _("承办部门"),
        _("办理期限"),
        _("剩余工作日"),
        _("状态"),
        _("督办"),
        _("答复日期"),
        _("答复单位"),
        _("评价"),
        _("办结时间"),
    )
    book = Spreadsheet()
    append = book.add_sheet(_("信件台账"), headings, widths=(14, 10, 18, 14, 8, 40, 10, 12, 20, 12, 10, 10, 10, 12, 16))
    for letter in letters.order_by("submitted_at", "pk").iterator(chunk_size=500):
        writer = writer_for(request.user, letter)
        append(
            (
                letter.tracking_no,
                letter.get_channel_display(),
                letter.submitted_at,
                letter.mailbox.name,
                letter.get_letter_type_display(),
                letter.title,
                mask_name(writer["name"]) if writer else _("（保密）"),
                letter.accepted_on,
                "、".join(a.department.name for a in letter.assignments.all() if a.current),
                letter.deadline,
                clock.calendar.workdays_between(clock.today, letter.deadline)
                if letter.deadline and letter.is_open
                else None,
                letter.get_status_display(),
                _supervision_label(letter),
                letter.replied_on,
                letter.reply_department.name if letter.reply_department else "",
                letter.get_rating_display(),
                letter.closed_at,
            )
        )
    return xlsx_response(book.to_bytes(), f"信件台账-{clock.today:%Y%m%d}.xlsx")


def _visible_letter(request, pk):
    _require_staff(request)
    letter = letters_for(request.user).filter(pk=pk).select_related("mailbox", "accused_department").first()
    if letter is None:
        raise Http404
    return letter


@never_cache
def detail(request, pk):
    return _detail(request, _visible_letter(request, pk))


def _detail(request, letter, bound_draft=None):
    """The letter's page; `bound_draft` is a department's reply form sent back with its errors,
    shown in place of the blank one so that nothing typed is lost."""
    user = request.user
    official = is_official(user, letter)
    assignments = list(
        letter.assignments.select_related("department", "drafted_by").prefetch_related("reply_attachments")
    )
    mine = [a for a in assignments if a.current and can_handle(user, a)]
    DeadlineClock().annotate([letter])
    public = PublicVersion.objects.filter(letter=letter).first()
    StaffNotice.objects.filter(recipient=user, url=request.path, read_at__isnull=True).update(read_at=timezone.now())
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
            if workflow.can_close(letter):
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
            "attachments": letter.attachments.filter(assignment=None) if can_see_attachments(user, letter) else None,
            "assignments": assignments,
            "my_assignments": [
                (
                    a,
                    bound_draft
                    if bound_draft is not None and bound_draft.assignment == a
                    else admin_forms.DraftForm(initial={"text": a.draft}, assignment=a),
                )
                for a in mine
                if a.state in (Assignment.State.HANDLING, Assignment.State.RETURNED)
            ],
            "drafted": [a for a in assignments if a.current and a.state == Assignment.State.DRAFTED],
            "supervisions": [
                (supervision, admin_forms.SupervisionAnswerForm() if _answers(user, supervision, mine) else None)
                for supervision in letter.supervisions.select_related("department", "issued_by", "answered_by")
            ],
            "may_reveal_contact": not letter.is_anonymous
            and (official or (bool(mine) and letter.is_open and not letter.is_report)),
            "rating_window_ends": workflow.rating_window_ends(letter) if letter.status == Status.REPLIED else None,
            "workdays_left": Calendar().workdays_between(timezone.localdate(), letter.due_on)
            if letter.is_open and letter.due_on
            else None,
            "events": letter.events.select_related("actor", "department"),
            "today": timezone.localdate(),
            "public": public,
            "forms": forms,
        },
    )


def _answers(user, supervision, mine):
    """`user` may answer this 督办: it is open and addressed to a department they handle for."""
    return not supervision.answered_at and any(a.department_id == supervision.department_id for a in mine)


@never_cache
@require_POST
def contact(request, pk):
    """The writer's telephone and e-mail in full for the mailbox officials or the handling
    department, once per request, recorded in the letter's history (workflow.reveal_contact)."""
    letter = _visible_letter(request, pk)
    try:
        writer = workflow.reveal_contact(letter, request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        return redirect("letters_desk:detail", pk=letter.pk)
    return render(request, "letters/admin/contact.html", {"letter": letter, "writer": writer})


@never_cache
def enter(request):
    """Enter a letter received by post, telephone or visit (mailbox officials)."""
    _require_staff(request)
    if not (request.user.is_superuser or request.user.managed_mailboxes.exists()):
        raise PermissionDenied
    form = admin_forms.EntryForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter, password = workflow.enter_letter(
                by=request.user,
                mailbox=data["mailbox"],
                data=data,
                files=data["attachments"],
                received_on=data["received_on"],
                channel=data["channel"],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, "；".join(getattr(error, "messages", [str(error)])))
        else:
            return render(request, "letters/admin/entered.html", {"letter": letter, "password": password})
    return render(request, "letters/admin/enter.html", {"form": form})


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


def _act_on_part(request, pk, model, part_pk, form_class, run, missing, done):
    """One action on a part of a letter (a department's assignment, a 督办) from its own
    one-field form; `missing` is the message when that field is left empty."""
    letter = _visible_letter(request, pk)
    part = get_object_or_404(model, pk=part_pk, letter=letter)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, missing)
    else:
        (value,) = form.cleaned_data.values()
        _report(request, lambda: run(part, request.user, value), done)
    return redirect("letters_desk:detail", pk=letter.pk)


@never_cache
@require_POST
def draft(request, pk, assignment_pk):
    """The department's reply with its attachments; a refused one comes back with what was typed."""
    letter = _visible_letter(request, pk)
    assignment = get_object_or_404(Assignment, pk=assignment_pk, letter=letter)
    form = admin_forms.DraftForm(request.POST, request.FILES, assignment=assignment)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workflow.draft_reply(
                assignment, request.user, data["text"], data["attachments"], [a.pk for a in data.get("remove") or []]
            )
        except PermissionDenied as error:
            messages.error(request, str(error) or _("您没有权限进行此操作。"))
            return redirect("letters_desk:detail", pk=letter.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("答复已提交信箱管理员审核。"))
            return redirect("letters_desk:detail", pk=letter.pk)
    problems = [message for errors in form.errors.values() for message in errors]
    messages.error(request, _("答复未提交：%(problems)s") % {"problems": "；".join(problems)})
    return _detail(request, letter, bound_draft=form)


@require_POST
def return_draft(request, pk, assignment_pk):
    return _act_on_part(
        request,
        pk,
        Assignment,
        assignment_pk,
        admin_forms.ReasonForm,
        workflow.return_draft,
        _("请填写退回意见。"),
        _("已退回承办部门。"),
    )


@require_POST
def answer_supervision(request, pk, supervision_pk):
    return _act_on_part(
        request,
        pk,
        Supervision,
        supervision_pk,
        admin_forms.SupervisionAnswerForm,
        workflow.answer_supervision,
        _("请填写督办回复。"),
        _("督办回复已发送。"),
    )


@never_cache
def attachment(request, pk):
    _require_staff(request)
    item = get_object_or_404(Attachment.objects.select_related("letter__mailbox"), pk=pk)
    if not can_see_attachment(request.user, item):
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
