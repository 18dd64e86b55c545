"""Who may run which desk. `desk_services(user)` is the one selector every day sheet, check-in,
export and closure starts from; `follow_ups_for(user)` the same for 差评整改."""

from django.db.models import Q

from .models import FollowUp, Service

RUN_DESK = "appointments.run_desk"
FOLLOW_UP = "appointments.follow_up"
DECIDE_APPEAL = "appointments.decide_appeal"
HANDLE_RECEPTION = "appointments.handle_reception"


def _is_staff(user):
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def desk_services(user):
    """Services whose bookings the user handles: the desk staff of a department see the
    services it delivers or whose location it runs; the 信访 desk sees the leader receptions."""
    if not _is_staff(user):
        return Service.objects.none()
    if user.is_superuser:
        return Service.objects.all()
    scope = []
    if user.has_perm(RUN_DESK) and user.department_id:
        scope += [Q(department_id=user.department_id), Q(location__department_id=user.department_id)]
    if user.has_perm(HANDLE_RECEPTION):
        scope.append(Q(kind=Service.Kind.RECEPTION))
    if not scope:
        return Service.objects.none()
    condition = scope[0]
    for part in scope[1:]:
        condition |= part
    return Service.objects.filter(condition)


def can_run_desk(user, service):
    return desk_services(user).filter(pk=service.pk).exists()


def is_desk_staff(user):
    return desk_services(user).exists()


def follow_ups_for(user):
    """Follow-ups of poor ratings the user's department must handle."""
    if not _is_staff(user):
        return FollowUp.objects.none()
    if user.is_superuser:
        return FollowUp.objects.all()
    if not user.has_perm(FOLLOW_UP) or not user.department_id:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(
        Q(department_id=user.department_id) | Q(rating__booking__service__in=desk_services(user))
    ).distinct()


def can_decide_appeals(user):
    return _is_staff(user) and user.has_perm(DECIDE_APPEAL)
