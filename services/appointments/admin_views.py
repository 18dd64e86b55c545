"""The staff desk (预约工作台) in the Wagtail admin: the day sheet per service and location,
check-in by code, no-show marking, closing a slot or a day, the Excel export, 差评整改 with
their deadlines, and appeals against suspensions. Every list starts from
`permissions.desk_services(user)`; every action calls a function of `booking.py`,
`ratings.py` or `suspensions.py`."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.exports import xlsx_bytes, xlsx_response

from . import booking as rules
from . import schedule
from .admin_forms import AppealDecisionForm, CheckInForm, CloseForm, DaySheetFilter, FollowUpForm
from .models import Appeal, Booking, FollowUp, ReceptionDay, Service
from .permissions import can_decide_appeals, desk_services, follow_ups_for, is_desk_staff
from .ratings import close_follow_up, days_left
from .suspensions import decide_appeal


def has_desk(user):
    return is_desk_staff(user) or follow_ups_for(user).exists() or can_decide_appeals(user)


def _require_desk(request):
    if not has_desk(request.user):
        raise PermissionDenied


def _report(request, action, done):
    try:
        result = action()
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, "；".join(getattr(error, "messages", None) or [str(error)]))
        return None
    messages.success(request, done(result) if callable(done) else done)
    return result


def _sheet_filter(request):
    services = desk_services(request.user).select_related("location").order_by("sort_order", "pk")
    data = {"date": timezone.localdate().isoformat(), **request.GET.dict()}
    form = DaySheetFilter(data, services=services)
    if form.is_valid():
        day, service = form.cleaned_data["date"], form.cleaned_data["service"]
    else:
        day, service = timezone.localdate(), None
    chosen = [service] if service else list(services)
    return form, day, chosen


def _sheets(day, services):
    """For each service: the day's slots with their bookings."""
    now = timezone.now()
    bookings = (
        Booking.objects.filter(date=day, service__in=services)
        .select_related("slot", "case", "service")
        .order_by("slot__starts_at", "created_at")
    )
    by_service = {}
    for item in bookings:
        by_service.setdefault(item.service_id, []).append(item)
    sheets = []
    for service in services:
        planned = schedule.day_plan(service, day, now)
        rows = by_service.get(service.pk, [])
        if not planned.slots and not rows:
            continue
        counts = {state: sum(1 for row in rows if row.state == state) for state, _label in Booking.State.choices}
        sheets.append(
            {
                "service": service,
                "plan": planned,
                "bookings": rows,
                "counts": counts,
                "close_form": CloseForm(slots=[slot for slot in planned.slots if slot.starts_at > now])
                if day >= timezone.localdate() and not planned.closed_reason
                else None,
            }
        )
    return sheets


def desk(request):
    _require_desk(request)
    form, day, services = _sheet_filter(request)
    user = request.user
    today = timezone.localdate()
    follow_ups = list(
        follow_ups_for(user)
        .filter(state=FollowUp.State.OPEN)
        .select_related("rating__booking__service", "department")
        .order_by("due_on")[:50]
    )
    for item in follow_ups:
        item.days_left = days_left(item, today)
        item.overdue = -item.days_left
    return TemplateResponse(
        request,
        "appointments/admin/desk.html",
        {
            "form": form,
            "day": day,
            "sheets": _sheets(day, services),
            "check_in_form": CheckInForm(),
            "follow_ups": follow_ups,
            "appeals": Appeal.objects.filter(state=Appeal.State.PENDING).count() if can_decide_appeals(user) else 0,
            "receptions": ReceptionDay.objects.filter(
                service__in=desk_services(user), date__gte=today, is_published=True
            ).order_by("date", "starts_at")[:10],
            "query": urlencode(
                {"date": day.isoformat(), **({"service": services[0].pk} if len(services) == 1 else {})}
            ),
        },
    )


def _back(request):
    target = request.POST.get("next", "")
    if target.startswith(reverse("appointments_desk:index")):
        return redirect(target)
    return redirect("appointments_desk:index")


@require_POST
def check_in(request):
    _require_desk(request)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请输入预约码。"))
        return _back(request)
    service = Service.objects.filter(pk=request.POST.get("service") or None).first()
    _report(
        request,
        lambda: rules.check_in(form.cleaned_data["code"], request.user, service=service),
        lambda item: (
            _("%(name)s（预约码 %(code)s，%(service)s %(time)s）已签到。")
            % {
                "name": item.name or _("（已注销）"),
                "code": item.code,
                "service": item.service.name,
                "time": timezone.localtime(item.slot.starts_at).strftime("%H:%M"),
            }
        ),
    )
    return _back(request)


@require_POST
def no_show(request, pk):
    _require_desk(request)
    item = get_object_or_404(Booking.objects.filter(service__in=desk_services(request.user)), pk=pk)
    _report(request, lambda: rules.mark_no_show(item, request.user), _("已登记爽约。"))
    return _back(request)


@require_POST
def close(request, service_pk, day):
    _require_desk(request)
    service = get_object_or_404(desk_services(request.user), pk=service_pk)
    try:
        day = datetime.date.fromisoformat(day)
    except ValueError:
        messages.error(request, _("日期无效。"))
        return _back(request)
    planned = schedule.day_plan(service, day)
    form = CloseForm(request.POST, slots=planned.slots)
    if not form.is_valid():
        messages.error(request, "；".join(message for errors in form.errors.values() for message in errors))
        return _back(request)
    starts_at = schedule.parse_slot_key(form.cleaned_data["slot"]) if form.cleaned_data["slot"] else None
    _report(
        request,
        lambda: rules.close(service, day, request.user, form.cleaned_data["reason"], starts_at=starts_at),
        lambda result: _("已停办，已通知%(count)s位预约人。") % {"count": len(result[1])},
    )
    return _back(request)


def export(request):
    """The day sheet (the filter's date and services) as an Excel file."""
    _require_desk(request)
    _form, day, services = _sheet_filter(request)
    rows = (
        Booking.objects.filter(date=day, service__in=services)
        .select_related("slot", "service__location", "case", "slot__reception_day")
        .order_by("service__sort_order", "slot__starts_at", "created_at")
    )
    headings = (
        _("日期"),
        _("时段"),
        _("事项"),
        _("地点"),
        _("预约码"),
        _("预约人"),
        _("手机号码"),
        _("状态"),
        _("签到时间"),
        _("案件编号"),
        _("反映事项"),
    )
    content = xlsx_bytes(
        _("预约日表"),
        headings,
        (
            (
                day,
                f"{timezone.localtime(item.slot.starts_at):%H:%M}—{timezone.localtime(item.slot.ends_at):%H:%M}",
                item.service.name,
                item.slot.reception_day.place if item.slot.reception_day else item.service.location.name,
                item.code,
                item.name,
                item.masked_phone,
                item.get_state_display(),
                item.checked_in_at,
                item.case.case_number if item.case else "",
                item.matter,
            )
            for item in rows.iterator()
        ),
        widths=(12, 14, 20, 20, 12, 10, 14, 10, 18, 24, 40),
    )
    return xlsx_response(content, f"预约日表-{day:%Y%m%d}.xlsx")


def follow_up(request, pk):
    _require_desk(request)
    item = get_object_or_404(
        follow_ups_for(request.user).select_related("rating__booking__service", "department"), pk=pk
    )
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _report(
            request,
            lambda: close_follow_up(item, request.user, form.cleaned_data["outcome"]),
            _("整改情况已反馈给评价人。"),
        )
        if done:
            return redirect("appointments_desk:index")
    return TemplateResponse(
        request,
        "appointments/admin/follow_up.html",
        {"item": item, "form": form, "days_left": days_left(item), "booking": item.rating.booking},
    )


def appeals(request):
    if not can_decide_appeals(request.user):
        raise PermissionDenied
    pending = Appeal.objects.filter(state=Appeal.State.PENDING).select_related("suspension__user")
    decided = Appeal.objects.exclude(state=Appeal.State.PENDING).select_related("suspension__user", "decided_by")
    return TemplateResponse(
        request,
        "appointments/admin/appeals.html",
        {
            "pending": [(item, _no_shows(item), AppealDecisionForm(prefix=str(item.pk))) for item in pending],
            "decided": decided.order_by("-decided_at")[:30],
        },
    )


def _no_shows(item):
    return Booking.objects.filter(
        user=item.suspension.user, state=Booking.State.NO_SHOW, no_show_at__lte=item.suspension.created_at
    ).select_related("service", "slot")


@require_POST
def decide(request, pk):
    if not can_decide_appeals(request.user):
        raise PermissionDenied
    item = get_object_or_404(Appeal, pk=pk)
    form = AppealDecisionForm(request.POST, prefix=str(item.pk))
    if not form.is_valid():
        messages.error(request, _("请选择处理结果并填写处理意见。"))
    else:
        data = form.cleaned_data
        _report(request, lambda: decide_appeal(item, request.user, data["grant"], data["decision"]), _("申诉已处理。"))
    return redirect("appointments_desk:appeals")
