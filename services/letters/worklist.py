"""What each letters role has to do, counted in the database: the admin home panel, the
menu and the desk's 「待办」 filters all use these definitions, so a count and the list it
opens always agree. Mailbox officials accept, route, approve and decide extensions; handling
departments answer what is routed to them and the 督办 issued to them."""

import datetime

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OPEN_STATUSES, Assignment, Letter, Status, Supervision
from .permissions import is_handler, is_letters_staff, letters_for

OFFICIAL_TODOS = {
    "accept": _("待受理"),
    "route": _("待转办"),
    "approve": _("答复待审核"),
    "extension": _("延期待审批"),
}
HANDLER_TODOS = {
    "answer": _("待答复"),
    "supervision": _("督办待回复"),
}
TODOS = {**OFFICIAL_TODOS, **HANDLER_TODOS}


def visible(user):
    """The letters `user` may see, as a plain queryset (no joins, so counts are exact)."""
    return Letter.objects.filter(pk__in=letters_for(user).values("pk"))


def _managed(user):
    return Q() if user.is_superuser else Q(mailbox__in=user.managed_mailboxes.all())


def open_supervisions(user):
    """督办 not yet answered on open letters that `user` answers (their department's) or
    issued from their mailbox."""
    supervisions = Supervision.objects.filter(answered_at__isnull=True, letter__status__in=OPEN_STATUSES)
    if user.is_superuser:
        return supervisions
    scope = Q(letter__mailbox__in=user.managed_mailboxes.all())
    if is_handler(user):
        scope |= Q(department_id=user.department_id)
    return supervisions.filter(scope)


def todo_condition(user, name):
    """The condition a letter meets when it waits for `user` to do `name`."""
    if name in OFFICIAL_TODOS:
        if not (user.is_superuser or user.managed_mailboxes.exists()):
            return None
        return (
            _managed(user)
            & {
                "accept": Q(status=Status.SUBMITTED),
                "route": Q(status__in=(Status.ACCEPTED, Status.REOPENED)),
                "approve": Q(status=Status.DRAFTED),
                "extension": Q(extension_state="requested", status__in=OPEN_STATUSES),
            }[name]
        )
    if name in HANDLER_TODOS and is_handler(user):
        if name == "answer":
            waiting = Assignment.objects.filter(
                letter=OuterRef("pk"),
                current=True,
                department_id=user.department_id,
                state__in=(Assignment.State.HANDLING, Assignment.State.RETURNED),
            )
            return Q(Exists(waiting), status__in=OPEN_STATUSES)
        supervised = Supervision.objects.filter(
            letter=OuterRef("pk"), department_id=user.department_id, answered_at__isnull=True
        )
        return Q(Exists(supervised), status__in=OPEN_STATUSES)
    return None


def todo_names(user):
    return [name for name in TODOS if todo_condition(user, name) is not None]


def count_where(letters, conditions):
    """{name: how many of `letters` meet the condition}, in one query. Each condition is
    selected first, so conditions holding subqueries on the letter count correctly."""
    if not conditions:
        return {}
    marked = letters.annotate(
        **{
            f"meets_{name}": ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in conditions.items()
        }
    )
    return marked.aggregate(**{name: Count("pk", filter=Q(**{f"meets_{name}": True})) for name in conditions})


def counts(user):
    """{todo name: count} for the roles `user` holds, in one query."""
    return count_where(visible(user), {name: todo_condition(user, name) for name in todo_names(user)})


def with_deadline(letters, user):
    """Annotate `deadline`: the department's own 承办期限 for a handling department (the
    earliest of its current assignments), the letter's 办理期限 otherwise."""
    if not is_handler(user):
        return letters.annotate(deadline=F("due_on"))
    own = Assignment.objects.filter(letter=OuterRef("pk"), current=True, department_id=user.department_id)
    return letters.annotate(deadline=Coalesce(Subquery(own.order_by("due_on").values("due_on")[:1]), "due_on"))


def _letter_supervisions(user):
    """Open 督办 on the outer letter that concern `user`: all of them for its officials, the
    department's own for a handling department. No joins: it runs as a correlated subquery."""
    supervisions = Supervision.objects.filter(letter=OuterRef("pk"), answered_at__isnull=True)
    if user.is_superuser or user.managed_mailboxes.exists():
        return supervisions
    return supervisions.filter(department_id=user.department_id)


def flag_conditions(clock, user):
    """The desk's flags as database conditions on a queryset annotated by `with_deadline`."""
    red_before = timezone.make_aware(datetime.datetime.combine(clock.red_before, datetime.time.min))
    is_open = Q(status__in=OPEN_STATUSES)
    supervisions = _letter_supervisions(user)
    return {
        "overdue": is_open & Q(deadline__lt=clock.today),
        "due_soon": is_open & Q(deadline__gte=clock.today, deadline__lte=clock.soon_limit),
        "red": is_open & Q(submitted_at__lt=red_before),
        "supervised": is_open & Q(Exists(supervisions)),
        "supervision_overdue": is_open & Q(Exists(supervisions.filter(due_on__lt=clock.today))),
    }


def overdue_count(user, clock):
    """Open letters past their deadline, in one query: those `user` finds on the desk under
    「已超期」 (the department's own deadline for a handling department), or all letters for staff
    without the desk (the editors' inspection panel names the figure, not the letters)."""
    letters = visible(user) if is_letters_staff(user) else Letter.objects.all()
    overdue = flag_conditions(clock, user)["overdue"]
    return count_where(with_deadline(letters, user), {"overdue": overdue})["overdue"]
