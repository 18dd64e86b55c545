"""Booking rules (预约规则). Every write here checks who may do it and the booking's state,
changes the data in one transaction, records a `BookingEvent` and queues the notifications.
Views, admin screens, management commands and tests all call these functions.

Overbooking is impossible by construction: a place is taken by one conditional UPDATE of the
slot row (`booked = booked + 1 WHERE booked < capacity AND NOT is_closed`), which PostgreSQL
applies to the latest committed row version under a row lock, and which a CHECK constraint
backs; a reschedule releases and takes in the same transaction. A person's own bookings are
serialised by a lock on their user row, so the per-person rules (one booking per service and
day, the limit of active bookings, the idempotency key of a form) hold across app servers.
"""

import datetime
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import workdays
from portal.validators import validate_one_line
from services.accounts.workflow import is_verified_lawyer
from services.cases.models import LawyerBinding

from . import notices, schedule, tasks
from .conf import setting
from .models import Booking, BookingEvent, Closure, Service, Slot
from .permissions import can_run_desk
from .suspensions import active_suspension, record_no_show

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
CODE_LENGTH = 8


def new_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code


def normalise_code(value):
    """A code as people type it: any case, with spaces or dashes."""
    return "".join(character for character in str(value or "").upper() if character.isalnum())


# --- Who may book what ----------------------------------------------------------------------


def approved_bindings(user):
    """The lawyer's approved bindings to cases that may be disclosed, for 阅卷 and 会见."""
    if not is_verified_lawyer(user):
        return LawyerBinding.objects.none()
    return (
        LawyerBinding.objects.filter(
            lawyer=user, state=LawyerBinding.State.APPROVED, case__is_juvenile=False, case__is_secret=False
        )
        .select_related("case")
        .order_by("-reviewed_at")
    )


UNKNOWN = object()


def refusal(user, service, today=None, suspension=UNKNOWN):
    """Why `user` may not book `service` online at all (Chinese), or "" if they may.
    `suspension`: the person's active suspension (or None) when the caller has read it already."""
    if not service.is_active:
        return _("该事项已停止网上预约。")
    if not user.is_authenticated:
        return _("请先登录后再预约。")
    if service.for_lawyers and not is_verified_lawyer(user):
        return _("该事项仅向已通过认证的律师开放。律师请先在“我的账号”中完成律师认证。")
    if service.needs_case and not approved_bindings(user).exists():
        return _("预约阅卷或会见须先绑定代理的案件，并经检察院案件管理部门审核通过。")
    if suspension is UNKNOWN:
        suspension = active_suspension(user, today)
    if suspension:
        return _("您的网上预约已暂停至%(day)s（%(reason)s）。如有异议，可以申诉。") % {
            "day": date_format(suspension.ends_on, "Y年n月j日"),
            "reason": suspension.reason,
        }
    return ""


def _case_for(user, service, binding_id):
    if not service.needs_case:
        return None
    binding = approved_bindings(user).filter(pk=binding_id).first() if str(binding_id or "").isdigit() else None
    if binding is None:
        raise ValidationError({"binding": _("请选择您已获准绑定的案件。")})
    return binding.case


def lock_person(user):
    """Serialise one person's bookings (row lock on the user until the transaction ends)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def _check_person_rules(user, service, day, now, exclude=None):
    """One booking per service and day; a new booking also within the limit of upcoming ones.
    Both read in one query (the person's row is locked, so neither changes meanwhile)."""
    bookings = Booking.objects.filter(user=user)
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude.pk)
    same_day = Q(service=service, date=day, state__in=Booking.ACTIVE_STATES)
    found = bookings.aggregate(
        same_day=Min("code", filter=same_day),
        upcoming=Count("pk", filter=Q(state=Booking.State.BOOKED, slot__starts_at__gt=now)),
    )
    if found["same_day"]:
        raise ValidationError(
            _("您已预约%(day)s的该事项（预约码 %(code)s）。每人每个事项每天只能预约一次。")
            % {"day": date_format(day, "Y年n月j日"), "code": found["same_day"]},
            code="same_day",
        )
    if exclude is None:
        limit = setting("APPOINTMENTS_MAX_ACTIVE_BOOKINGS")
        upcoming = found["upcoming"]
        if upcoming >= limit:
            raise ValidationError(
                _("您已有%(count)s个尚未办理的预约，达到上限。请办理或取消后再预约。") % {"count": upcoming},
                code="limit",
            )


def take_place(service, planned):
    """Take one place in the planned slot, or refuse if it is full or closed.

    One statement: the slot row is inserted with its first booking, or, if it exists, its
    counter is raised only while below the capacity and the slot is open. PostgreSQL takes
    the row lock and re-checks that condition on the latest committed version of the row,
    so however many transactions race, at most `capacity` of them get a place."""
    table = connection.ops.quote_name(Slot._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (service_id, date, starts_at, ends_at, capacity, booked, is_closed, reception_day_id)
            VALUES (%s, %s, %s, %s, %s, 1, %s, %s)
            ON CONFLICT (service_id, starts_at) DO UPDATE
                SET booked = {table}.booked + 1, capacity = EXCLUDED.capacity
                WHERE {table}.booked < EXCLUDED.capacity AND NOT {table}.is_closed
            RETURNING id, booked
            """,  # noqa: S608 - the table name is the model's, every value a parameter
            [
                service.pk,
                _db_value("date", planned.date),
                _db_value("starts_at", planned.starts_at),
                _db_value("ends_at", planned.ends_at),
                planned.capacity,
                False,
                planned.reception_day.pk if planned.reception_day else None,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        if Slot.objects.filter(service=service, starts_at=planned.starts_at, is_closed=True).exists():
            raise ValidationError(_("所选时段已停办，请选择其他时段。"), code="closed")
        raise ValidationError(_("所选时段已约满，请选择其他时段。"), code="full")
    # The row as the statement left it, typed from the plan (raw rows are not converted).
    slot_id, booked = row
    return Slot(
        id=slot_id,
        service=service,
        date=planned.date,
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        capacity=planned.capacity,
        booked=booked,
        reception_day=planned.reception_day,
    )


def _db_value(field, value):
    """A value as the ORM would store it (raw SQL gets no conversion of its own)."""
    return Slot._meta.get_field(field).get_db_prep_value(value, connection)


def _release_place(slot):
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") - 1)


def _event(booking, action, by, comment=""):
    return BookingEvent.objects.create(booking=booking, action=action, by=by, comment=comment)


def book(user, service, starts_at, *, name, matter="", binding_id=None, idempotency_key=None, now=None):
    """Book `service` at `starts_at` for `user`. Returns (booking, created): a form submitted
    again with the same idempotency key returns the booking it made, with created False."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_person(user)
        if idempotency_key:
            earlier = Booking.objects.filter(idempotency_key=idempotency_key).select_related("slot").first()
            if earlier is not None:
                if earlier.user_id != user.pk:
                    raise ValidationError(_("预约表单已失效，请刷新页面后重新填写。"), code="stale_form")
                return earlier, False
        reason = refusal(user, service, timezone.localdate(now))
        if reason:
            raise PermissionDenied(reason)
        case = _case_for(user, service, binding_id)
        name = (name or "").strip()
        if len(name) < 2:
            raise ValidationError({"name": _("请填写预约人的真实姓名。")})
        try:
            validate_one_line(name)
        except ValidationError as error:
            raise ValidationError({"name": error.messages}) from error
        matter = (matter or "").strip()
        if service.is_reception and len(matter) < 5:
            raise ValidationError({"matter": _("请简要填写要反映的事项（至少5个字）。")})
        calendar = workdays.Calendar()  # one reading of the working days for all the checks below
        planned = schedule.bookable_slot(service, starts_at, now, calendar)
        _check_person_rules(user, service, planned.date, now)
        slot = take_place(service, planned)
        booking = Booking.objects.create(
            code=new_code(),
            service=service,
            slot=slot,
            date=slot.date,
            user=user,
            name=name,
            phone=user.phone or "",
            email=user.email or "",
            matter=matter,
            case=case,
            idempotency_key=idempotency_key or None,
        )
        _event(booking, BookingEvent.Action.BOOKED, user, schedule.when_label(slot))
        notices.booking_confirmed(booking)
        tasks.schedule_reminder(booking, now, calendar)
    return booking, True


def _lock_booking(booking):
    return Booking.objects.select_for_update().select_related("slot", "service__location").get(pk=booking.pk)


def _before_cutoff(booking, now, verb):
    cutoff = booking.slot.starts_at - datetime.timedelta(minutes=booking.service.cutoff_minutes)
    if now >= cutoff:
        raise ValidationError(
            _("已过%(verb)s截止时间：须在预约时段开始前%(minutes)s分钟之前%(verb)s。如有特殊情况请致电%(phone)s。")
            % {"verb": verb, "minutes": booking.service.cutoff_minutes, "phone": setting("APPOINTMENTS_HELP_PHONE")},
            code="cutoff",
        )


def _may_change(booking, user, now, verb):
    """The owner may cancel or reschedule a booking that is still booked, until the cut-off."""
    if booking.user_id != user.pk:
        raise PermissionDenied(_("只能办理本人的预约。"))
    if booking.state != Booking.State.BOOKED:
        raise ValidationError(
            _("该预约当前状态为“%(state)s”，不能%(verb)s。") % {"state": booking.get_state_display(), "verb": verb},
            code="state",
        )
    _before_cutoff(booking, now, verb)


def cancel(booking, user, *, now=None, via_link=False):
    """The person cancels their booking, until the cut-off; the place is released."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_booking(booking)
        _may_change(booking, user, now, _("取消"))
        _cancel(booking, user, now, _("通过短信或邮件中的链接取消") if via_link else "")
        notices.booking_cancelled(booking)
    return booking


def _cancel(booking, by, now, comment):
    """Cancel a locked, booked booking: its place is released and the event recorded."""
    booking.state = Booking.State.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["state", "cancelled_at"])
    _release_place(booking.slot)
    _event(booking, BookingEvent.Action.CANCELLED, by, comment)


def cancel_withdrawn(user, bookings, by, comment, *, now=None):
    """Staff withdrew what some of the person's bookings rest on (a lawyer's verification, a case
    binding): those of `bookings` still to come are cancelled as the person would cancel them
    (place released, event recorded with `comment`), whatever the cut-off. Past and already
    cancelled bookings stay as they are. Returns the bookings cancelled; the caller tells the person."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_person(user)
        upcoming = list(
            bookings.select_for_update(of=("self",))
            .filter(user=user, state=Booking.State.BOOKED, slot__starts_at__gt=now)
            .select_related("slot", "service")
            .order_by("slot__starts_at", "pk")
        )
        for booking in upcoming:
            _cancel(booking, by, now, comment)
    return upcoming


def reschedule(booking, user, starts_at, *, now=None, via_link=False):
    """Move the booking to another slot of the same service: the new place is taken and the
    old one released in one transaction, so a full slot stays full and nothing is lost."""
    now = now or timezone.now()
    with transaction.atomic():
        lock_person(user)
        booking = _lock_booking(booking)
        _may_change(booking, user, now, _("改约"))
        suspension = active_suspension(user, timezone.localdate(now))
        if suspension:
            raise PermissionDenied(
                _("您的网上预约已暂停至%(day)s，暂停期间不能改约，可以取消。")
                % {"day": date_format(suspension.ends_on, "Y年n月j日")}
            )
        if starts_at == booking.slot.starts_at:
            raise ValidationError(_("新时段与原时段相同，请选择其他时段。"), code="same_slot")
        calendar = workdays.Calendar()
        planned = schedule.bookable_slot(booking.service, starts_at, now, calendar)
        _check_person_rules(user, booking.service, planned.date, now, exclude=booking)
        old_slot = booking.slot
        # Lock both slot rows in one order, so two people swapping slots cannot deadlock.
        new_slot = take_place_in_order(booking.service, planned, old_slot)
        _release_place(old_slot)
        booking.slot, booking.date, booking.reminded_at = new_slot, new_slot.date, None
        booking.save(update_fields=["slot", "date", "reminded_at"])
        comment = _("由%(old)s改为%(new)s") % {
            "old": schedule.when_label(old_slot),
            "new": schedule.when_label(new_slot),
        }
        if via_link:
            comment += _("（通过短信或邮件中的链接）")
        _event(booking, BookingEvent.Action.RESCHEDULED, user, comment)
        notices.booking_rescheduled(booking, old_slot)
        tasks.schedule_reminder(booking, now, calendar)
    return booking


def take_place_in_order(service, planned, held_slot):
    """`take_place` for a reschedule: the slot rows involved are locked in primary-key order
    first (the new row created if needed), then the place is taken."""
    _ensure_slot_rows(service, [planned])
    list(
        Slot.objects.select_for_update()
        .filter(service=service, starts_at__in=[held_slot.starts_at, planned.starts_at])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return take_place(service, planned)


def _ensure_slot_rows(service, planned_slots):
    """Create the rows of planned slots nobody has touched yet (existing rows are left as they are)."""
    Slot.objects.bulk_create(
        [
            Slot(
                service=service,
                date=slot.date,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                capacity=slot.capacity,
                reception_day=slot.reception_day,
            )
            for slot in planned_slots
        ],
        ignore_conflicts=True,
    )


# --- The desk ---------------------------------------------------------------------------------


def _require_desk(user, service):
    if not can_run_desk(user, service):
        raise PermissionDenied(_("您没有办理该事项预约的权限。"))


def check_in(code, by, *, service=None, now=None):
    """Staff check a person in by their confirmation code, on the day of the booking. With
    `service`, a code of another service is refused (the desk of one window)."""
    now = now or timezone.now()
    code = normalise_code(code)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("slot", "service__location").filter(code=code).first()
        )
        if booking is None or not can_run_desk(by, booking.service):
            raise ValidationError(_("未找到预约码 %(code)s 的预约，请核对后重新输入。") % {"code": code or "—"})
        if service is not None and booking.service_id != service.pk:
            raise ValidationError(
                _("预约码 %(code)s 预约的是“%(service)s”，不是本事项。") % {"code": code, "service": booking.service}
            )
        today = timezone.localdate(now)
        if booking.state == Booking.State.CHECKED_IN:
            raise ValidationError(
                _("预约码 %(code)s 已于%(time)s签到。")
                % {"code": code, "time": timezone.localtime(booking.checked_in_at).strftime("%H:%M")}
            )
        if booking.state != Booking.State.BOOKED:
            raise ValidationError(
                _("预约码 %(code)s 的预约状态为“%(state)s”，不能签到。")
                % {"code": code, "state": booking.get_state_display()}
            )
        if booking.date != today:
            raise ValidationError(
                _("预约码 %(code)s 预约的是%(when)s，只能在当天签到。")
                % {"code": code, "when": schedule.when_label(booking.slot)}
            )
        booking.state = Booking.State.CHECKED_IN
        booking.checked_in_at = now
        booking.save(update_fields=["state", "checked_in_at"])
        _event(booking, BookingEvent.Action.CHECKED_IN, by)
    return booking


def mark_no_show(booking, by, *, now=None):
    """Staff record that the person did not come; repeated no-shows suspend online booking."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _lock_booking(booking)
        _require_desk(by, booking.service)
        if booking.state != Booking.State.BOOKED:
            raise ValidationError(
                _("该预约状态为“%(state)s”，不能登记爽约。") % {"state": booking.get_state_display()}, code="state"
            )
        if booking.slot.starts_at > now:
            raise ValidationError(_("预约时段尚未开始，不能登记爽约。"), code="not_started")
        booking.state = Booking.State.NO_SHOW
        booking.no_show_at = now
        booking.save(update_fields=["state", "no_show_at"])
        _event(booking, BookingEvent.Action.NO_SHOW, by)
        record_no_show(booking, now)
    return booking


def close(service, day, by, reason, *, starts_at=None, now=None):
    """Close a whole day or one slot of a service (停办): every active booking there is called
    off and its person notified. The day's slot rows are created closed first, so a booking
    racing with the closure either commits before it (and is called off) or finds it closed."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写停办原因，预约人会收到该原因。")})
    with transaction.atomic():
        service = Service.objects.select_related("location").get(pk=service.pk)
        _require_desk(by, service)
        if day < timezone.localdate(now):
            raise ValidationError(_("不能停办已经过去的日期。"), code="past")
        planned = schedule.day_plan(service, day, now)
        if planned.closed_reason:
            raise ValidationError(_("%(day)s已经停办。") % {"day": date_format(day, "Y年n月j日")}, code="closed")
        targets = planned.slots
        if starts_at is not None:
            targets = [slot for slot in planned.slots if slot.starts_at == starts_at]
            if not targets:
                raise ValidationError(_("该日没有这个时段。"), code="not_planned")
            if targets[0].closed_reason:
                raise ValidationError(_("该时段已经停办。"), code="closed")
            if targets[0].starts_at <= now:
                raise ValidationError(_("该时段已经开始，不能停办。"), code="started")
        _ensure_slot_rows(service, targets)
        rows = Slot.objects.select_for_update().filter(service=service, date=day)
        if starts_at is not None:
            rows = rows.filter(starts_at=starts_at)
        else:
            rows = rows.filter(starts_at__gt=now)
        slot_ids = list(rows.order_by("pk").values_list("pk", flat=True))
        closure = Closure.objects.create(service=service, date=day, starts_at=starts_at, reason=reason, created_by=by)
        called_off = list(
            Booking.objects.select_for_update()
            .filter(slot_id__in=slot_ids, state=Booking.State.BOOKED)
            .select_related("slot", "service__location")
        )
        for booking in called_off:
            booking.state = Booking.State.CALLED_OFF
            booking.cancelled_at = now
            booking.save(update_fields=["state", "cancelled_at"])
            _event(booking, BookingEvent.Action.CALLED_OFF, by, reason)
            notices.booking_called_off(booking, reason)
        Slot.objects.filter(pk__in=slot_ids).update(is_closed=True, booked=_active_bookings_of_slot())
    return closure, called_off


def _active_bookings_of_slot():
    """The number of active bookings of the slot being updated (a correlated subquery)."""
    active = (
        Booking.objects.filter(slot=OuterRef("pk"), state__in=Booking.ACTIVE_STATES)
        .order_by()
        .values("slot")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(active), Value(0))


def forget_person(user, now=None):
    """The person deletes their account: upcoming bookings are cancelled (places released, no
    reminder sent) and their name and contacts are removed from every booking they made."""
    now = now or timezone.now()
    with transaction.atomic():
        upcoming = list(
            Booking.objects.select_for_update()
            .filter(user=user, state=Booking.State.BOOKED, slot__starts_at__gt=now)
            .select_related("slot")
        )
        for booking in upcoming:
            _cancel(booking, None, now, _("账号注销，预约自动取消"))
        for booking in Booking.objects.filter(user=user).exclude(name=""):
            _event(booking, BookingEvent.Action.ANONYMISED, None)
        Booking.objects.filter(user=user).update(name="", phone="", email="")
