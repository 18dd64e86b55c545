"""好差评 after the service (国办发〔2019〕51号): five levels, one rating per booking; a poor
rating (不满意, 非常不满意) opens a follow-up (整改) for the department, due in
APPOINTMENTS_FOLLOW_UP_WORKDAYS working days, whose outcome is returned to the person."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import workdays

from . import notices
from .conf import setting
from .models import Booking, BookingEvent, FollowUp, Rating
from .permissions import follow_ups_for


def can_rate(booking):
    return booking.state == Booking.State.CHECKED_IN and not Rating.objects.filter(booking=booking).exists()


def rate(booking, user, level, comment=""):
    comment = (comment or "").strip()
    try:
        level = Rating.Level(int(level))
    except (TypeError, ValueError):
        raise ValidationError({"level": _("请选择评价等级。")}) from None
    if level in Rating.POOR_LEVELS and len(comment) < 5:
        raise ValidationError({"comment": _("请简要说明不满意的原因（至少5个字），以便承办部门核实整改。")})
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("service").get(pk=booking.pk)
        if booking.user_id != user.pk:
            raise PermissionDenied(_("只能评价本人的预约。"))
        if Rating.objects.filter(booking=booking).exists():
            raise ValidationError(_("您已评价过本次服务，每次服务只能评价一次。"))
        if booking.state != Booking.State.CHECKED_IN:
            raise ValidationError(_("办理签到后才能评价本次服务。"))
        rating = Rating.objects.create(booking=booking, level=level, comment=comment)
        BookingEvent.objects.create(booking=booking, action=BookingEvent.Action.RATED, by=user, comment=level.label)
        if rating.is_poor:
            today = timezone.localdate()
            follow_up = FollowUp.objects.create(
                rating=rating,
                department=booking.service.department,
                due_on=workdays.add_workdays(today, setting("APPOINTMENTS_FOLLOW_UP_WORKDAYS")),
            )
            BookingEvent.objects.create(
                booking=booking,
                action=BookingEvent.Action.FOLLOW_UP_OPENED,
                comment=_("%(department)s须在%(due)s前核实整改并反馈")
                % {"department": follow_up.department.name, "due": follow_up.due_on.isoformat()},
            )
    return rating


def close_follow_up(follow_up, by, outcome):
    outcome = (outcome or "").strip()
    if len(outcome) < 5:
        raise ValidationError({"outcome": _("请填写核实和整改情况（至少5个字），该内容会反馈给评价人。")})
    with transaction.atomic():
        if not follow_ups_for(by).filter(pk=follow_up.pk).exists():
            raise PermissionDenied(_("您没有办理该差评整改的权限。"))
        follow_up = FollowUp.objects.select_for_update().select_related("rating__booking__service").get(pk=follow_up.pk)
        if follow_up.state != FollowUp.State.OPEN:
            raise ValidationError(_("该差评整改已经办结。"))
        follow_up.state = FollowUp.State.CLOSED
        follow_up.outcome, follow_up.closed_at, follow_up.closed_by = outcome, timezone.now(), by
        follow_up.save(update_fields=["state", "outcome", "closed_at", "closed_by"])
        BookingEvent.objects.create(
            booking=follow_up.rating.booking, action=BookingEvent.Action.FOLLOW_UP_CLOSED, by=by, comment=outcome
        )
        notices.follow_up_closed(follow_up)
    return follow_up


def days_left(follow_up, today=None):
    """Working days until the follow-up's deadline (negative once overdue)."""
    return workdays.workdays_between(today or timezone.localdate(), follow_up.due_on)
