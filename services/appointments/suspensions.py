"""No-shows (爽约) and the suspension of online booking they lead to, with the appeal (申诉).

Rule (settings, defaults from DOMAIN.md): APPOINTMENTS_NO_SHOW_LIMIT no-shows whose booking
date lies within the last APPOINTMENTS_NO_SHOW_WINDOW_DAYS days suspend online booking for
APPOINTMENTS_SUSPENSION_MONTHS months from the day the last one is recorded. No-shows already
counted towards an earlier suspension are not counted again.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from . import notices
from .conf import setting
from .models import Appeal, Booking, Suspension, SuspensionEvent
from .permissions import can_decide_appeals


def add_months(day, months):
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def active_suspension(user, today=None):
    if not user.is_authenticated:
        return None
    today = today or timezone.localdate()
    return (
        Suspension.objects.filter(user=user, lifted_at__isnull=True, starts_on__lte=today, ends_on__gte=today)
        .order_by("-ends_on")
        .first()
    )


def record_no_show(booking, now):
    """Called in the no-show's transaction: suspend the person if this one reaches the limit."""
    user = booking.user
    today = timezone.localdate(now)
    if active_suspension(user, today):
        return None
    no_shows = Booking.objects.filter(
        user=user,
        state=Booking.State.NO_SHOW,
        date__gt=today - datetime.timedelta(days=setting("APPOINTMENTS_NO_SHOW_WINDOW_DAYS")),
    )
    previous = Suspension.objects.filter(user=user).order_by("-created_at").first()
    if previous is not None:
        no_shows = no_shows.filter(no_show_at__gt=previous.created_at)
    days = sorted(no_shows.values_list("date", flat=True))
    if len(days) < setting("APPOINTMENTS_NO_SHOW_LIMIT"):
        return None
    reason = _("%(window)s日内爽约%(count)s次（%(days)s）") % {
        "window": setting("APPOINTMENTS_NO_SHOW_WINDOW_DAYS"),
        "count": len(days),
        "days": "、".join(date_format(day, "n月j日") for day in days),
    }
    suspension = Suspension.objects.create(
        user=user,
        starts_on=today,
        ends_on=add_months(today, setting("APPOINTMENTS_SUSPENSION_MONTHS")) - datetime.timedelta(days=1),
        reason=reason,
    )
    SuspensionEvent.objects.create(suspension=suspension, action=SuspensionEvent.Action.SUSPENDED, comment=reason)
    notices.suspended(suspension)
    return suspension


def appeal(suspension, user, reason):
    """The person appeals against their own active suspension; one pending appeal at a time."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("请写明申诉理由（至少5个字），例如当天未能到场的原因。")})
    with transaction.atomic():
        suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
        if suspension.user_id != user.pk:
            raise PermissionDenied(_("只能对本人的预约暂停提出申诉。"))
        if suspension.lifted_at or suspension.ends_on < timezone.localdate():
            raise ValidationError(_("该预约暂停已经结束，无需申诉。"))
        if suspension.appeals.filter(state=Appeal.State.PENDING).exists():
            raise ValidationError(_("您的申诉正在处理中，请勿重复提交。"))
        item = Appeal.objects.create(suspension=suspension, reason=reason)
        SuspensionEvent.objects.create(
            suspension=suspension, action=SuspensionEvent.Action.APPEALED, by=user, comment=reason
        )
    return item


def decide_appeal(item, by, grant, decision):
    """Staff decide an appeal: granted lifts the suspension at once; either way the person is told."""
    if not can_decide_appeals(by):
        raise PermissionDenied(_("您没有处理爽约申诉的权限。"))
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("请填写处理意见，申诉人会收到该意见。")})
    now = timezone.now()
    with transaction.atomic():
        item = Appeal.objects.select_for_update().select_related("suspension__user").get(pk=item.pk)
        if item.state != Appeal.State.PENDING:
            raise ValidationError(_("该申诉已经处理。"))
        item.state = Appeal.State.GRANTED if grant else Appeal.State.REJECTED
        item.decision, item.decided_at, item.decided_by = decision, now, by
        item.save(update_fields=["state", "decision", "decided_at", "decided_by"])
        suspension = item.suspension
        if grant:
            suspension.lifted_at = now
            suspension.save(update_fields=["lifted_at"])
        action = SuspensionEvent.Action.APPEAL_GRANTED if grant else SuspensionEvent.Action.APPEAL_REJECTED
        SuspensionEvent.objects.create(suspension=suspension, action=action, by=by, comment=decision)
        notices.appeal_decided(item)
    return item
