"""Public pages of 在线预约: services and their free slots, booking, 我的预约, a booking's page
(cancel, reschedule, calendar file, rating) reached through the account or a signed link, the
suspension notice with its appeal, and the published leader reception days."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from home.page_types import department_pages

from . import booking as rules
from . import schedule
from .conf import setting
from .forms import AppealForm, BookingForm, RatingForm, RescheduleForm
from .ics import calendar_response
from .links import booking_for_token, manage_url
from .models import Booking, ReceptionDay, Service
from .ratings import can_rate, rate
from .suspensions import active_suspension, appeal

NO_SERVICE = _("该预约事项不存在或已停止网上预约，请从“在线预约”页面重新选择。")
NO_BOOKING = _("未找到该预约。请核对预约码；登录后只能查看和办理本人的预约。")
BAD_LINK = _("链接无效：链接不完整或已被修改。请使用短信或邮件中的完整链接，或登录后在“我的预约”中办理。")


def _not_found(request, message, status=404):
    return render(request, "appointments/not_found.html", {"message": message}, status=status)


def _apply_errors(form, error):
    """Put a rule's ValidationError on the form: on its field when it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def index(request):
    services = list(Service.objects.filter(is_active=True).select_related("location", "department"))
    today = timezone.localdate()
    return render(
        request,
        "appointments/index.html",
        {
            "general": [s for s in services if not s.for_lawyers and not s.is_reception],
            "lawyers": [s for s in services if s.for_lawyers],
            "receptions": ReceptionDay.objects.filter(
                is_published=True, date__gte=today, service__is_active=True
            ).select_related("service")[:5],
            "department_pages": department_pages(service.department_id for service in services),
        },
    )


def _person_name(user):
    profile = getattr(user, "profile", None)
    return profile.real_name if profile else user.display_name


@never_cache
def service_page(request, slug):
    """The service with its free slots; signed-in people who may book it get the form."""
    service = Service.objects.select_related("location", "department").filter(slug=slug, is_active=True).first()
    if service is None:
        return _not_found(request, NO_SERVICE)
    user = request.user
    suspension = active_suspension(user)
    refusal = rules.refusal(user, service, suspension=suspension) if user.is_authenticated else ""
    form, status = None, 200
    if request.method == "POST" and not user.is_authenticated:
        return redirect_to_login(request.path)
    if user.is_authenticated and refusal:
        if request.method == "POST":
            messages.error(request, refusal)
            status = 403
    elif user.is_authenticated:
        bindings = list(rules.approved_bindings(user)) if service.needs_case else []
        if request.method == "POST":
            done = _submit_booking(request, service, bindings)
            if isinstance(done, Booking):
                return redirect("appointments:booking", code=done.code)
            form = done
        else:
            initial = {"name": _person_name(user), "slot": request.GET.get("slot")}
            form = BookingForm(service=service, bindings=bindings, initial=initial)
    return render(
        request,
        "appointments/service.html",
        {
            "service": service,
            "department_pages": department_pages([service.department_id]),
            "days": schedule.bookable_days(service),
            "form": form,
            "refusal": refusal,
            "selected": form["slot"].value() if form is not None else "",
            "suspension": suspension,
        },
        status=status,
    )


def _submit_booking(request, service, bindings):
    """Handle the booking form; returns the booking, or the form with its errors.

    The person's row is locked first, so a second submission of the same form (a double
    click, a retried request) waits for the first and is sent to the booking it made, even
    though the captcha it carries has been used up by then."""
    user = request.user
    key = request.POST.get("idempotency_key", "")
    with transaction.atomic():
        rules.lock_person(user)
        earlier = Booking.objects.filter(idempotency_key=key, user=user).first() if key else None
        if earlier is not None:
            messages.info(request, _("该预约已经提交成功，请勿重复提交。"))
            return earlier
        form = BookingForm(request.POST, service=service, bindings=bindings)
        if not form.is_valid():
            return form
        data = form.cleaned_data
        try:
            item, _created = rules.book(
                user,
                service,
                data["slot"],
                name=data["name"],
                matter=data.get("matter", ""),
                binding_id=data.get("binding"),
                idempotency_key=data["idempotency_key"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
            return form
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return form
    messages.success(request, _("预约成功！您的预约码是 %(code)s，请凭预约码按时到场签到。") % {"code": item.code})
    return item


@login_required
def mine(request):
    bookings = list(
        Booking.objects.filter(user=request.user).select_related("service", "slot").order_by("-slot__starts_at")
    )
    now = timezone.now()
    return render(
        request,
        "appointments/mine.html",
        {
            # The next one due first; the history latest first.
            "upcoming": [b for b in reversed(bookings) if b.state == Booking.State.BOOKED and b.slot.starts_at > now],
            "history": [b for b in bookings if not (b.state == Booking.State.BOOKED and b.slot.starts_at > now)],
            "suspension": active_suspension(request.user),
        },
    )


# --- One booking, through the account (code) or a signed link (token) -------------------------


def _own(request, code):
    if not request.user.is_authenticated:
        return None
    return (
        Booking.objects.select_related("service__location", "slot__reception_day", "case")
        .filter(code=rules.normalise_code(code), user=request.user)
        .first()
    )


def _linked(token):
    try:
        return booking_for_token(token)
    except signing.BadSignature:
        return None


class Door:
    """How the person reached the booking: their account or the signed link they were sent."""

    def __init__(self, booking, token=None):
        self.booking, self.token = booking, token

    @property
    def via_link(self):
        return self.token is not None

    def url(self, action=""):
        name = "appointments:manage" if self.via_link else "appointments:booking"
        name += f"_{action}" if action else ""
        return reverse(name, args=[self.token if self.via_link else self.booking.code])


def _door(request, code=None, token=None):
    """The booking and its door, or the page telling why there is none."""
    if token is not None:
        item = _linked(token)
        return (Door(item, token), None) if item else (None, _not_found(request, BAD_LINK, status=400))
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.path)
    item = _own(request, code)
    return (Door(item), None) if item else (None, _not_found(request, NO_BOOKING))


def _may_change(item, now):
    cutoff = item.slot.starts_at - datetime.timedelta(minutes=item.service.cutoff_minutes)
    return item.state == Booking.State.BOOKED and now < cutoff


@never_cache
def booking_page(request, code=None, token=None):
    door, refused = _door(request, code, token)
    if refused:
        return refused
    item = door.booking
    now = timezone.now()
    rating = getattr(item, "rating", None)
    return render(
        request,
        "appointments/booking.html",
        {
            "booking": item,
            "door": door,
            "may_change": _may_change(item, now),
            "rating": rating,
            "follow_up": getattr(rating, "follow_up", None) if rating else None,
            "rating_form": RatingForm() if not door.via_link and can_rate(item) else None,
            "events": item.events.all(),
            "help_phone": setting("APPOINTMENTS_HELP_PHONE"),
            "manage_url": manage_url(item) if not door.via_link else "",
        },
    )


def cancel_booking(request, code=None, token=None):
    door, refused = _door(request, code, token)
    if refused:
        return refused
    if request.method != "POST":  # a link opened or typed: the booking's page, with its button
        return redirect(door.url())
    try:
        rules.cancel(door.booking, door.booking.user, via_link=door.via_link)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("预约已取消，名额已释放。"))
    return redirect(door.url())


@never_cache
def reschedule_booking(request, code=None, token=None):
    door, refused = _door(request, code, token)
    if refused:
        return refused
    item = door.booking
    form = RescheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rules.reschedule(item, item.user, form.cleaned_data["slot"], via_link=door.via_link)
        except ValidationError as error:
            _apply_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("改约成功，预约码不变。"))
            return redirect(door.url())
    return render(
        request,
        "appointments/reschedule.html",
        {
            "booking": item,
            "door": door,
            "form": form,
            "may_change": _may_change(item, timezone.now()),
            "days": schedule.bookable_days(item.service),
            "selected": form["slot"].value() or "",
        },
        status=400 if form.errors else 200,
    )


def booking_calendar(request, code=None, token=None):
    door, refused = _door(request, code, token)
    if refused:
        return refused
    return calendar_response(door.booking, manage_url(door.booking))


@login_required
def rate_booking(request, code):
    item = _own(request, code)
    if item is None:
        return _not_found(request, NO_BOOKING)
    if request.method != "POST":  # the rating form is on the booking's page
        return redirect("appointments:booking", code=item.code)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rate(item, request.user, form.cleaned_data["level"], form.cleaned_data["comment"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("感谢您的评价。"))
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect("appointments:booking", code=item.code)


@login_required
@never_cache
def suspension_page(request):
    suspension = active_suspension(request.user)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and suspension is not None and form.is_valid():
        try:
            appeal(suspension, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("申诉已提交，政务服务中心核实后会通过短信或邮件告知结果。"))
            return redirect("appointments:suspension")
    return render(
        request,
        "appointments/suspension.html",
        {
            "suspension": suspension,
            "appeals": suspension.appeals.all() if suspension else [],
            "form": form,
            "help_phone": setting("APPOINTMENTS_HELP_PHONE"),
        },
    )


def receptions(request):
    """领导接访日: who receives, when and where; upcoming first, then the last month's."""
    today = timezone.localdate()
    published = ReceptionDay.objects.filter(is_published=True, service__is_active=True).select_related("service")
    return render(
        request,
        "appointments/receptions.html",
        {
            "upcoming": published.filter(date__gte=today).order_by("date", "starts_at"),
            "past": published.filter(date__lt=today, date__gte=today - datetime.timedelta(days=31)).order_by("-date"),
        },
    )
