from django.db.models import Q
from django.dispatch import receiver
from django.utils.translation import gettext as _

from services.accounts.workflow import account_deleting, lawyer_revoked
from services.cases.bindings import binding_revoked

from . import notices
from .booking import cancel_withdrawn, forget_person
from .models import Booking, Service


@receiver(account_deleting)
def forget_deleted_account(sender, user, **kwargs):
    forget_person(user)


@receiver(lawyer_revoked)
def cancel_bookings_of_revoked_lawyer(sender, user, by, reason, **kwargs):
    """Upcoming bookings of lawyer-only services end with the verification; the answer lists them
    in the revocation notice."""
    lawyer_only = Booking.objects.filter(Q(service__lawyers_only=True) | Q(service__kind__in=Service.CASE_KINDS))
    cause = _("律师认证已撤销")
    cancelled = cancel_withdrawn(user, lawyer_only, by, _("%(cause)s：%(reason)s") % {"cause": cause, "reason": reason})
    return notices.withdrawn(cancelled, cause)


@receiver(binding_revoked)
def cancel_bookings_of_revoked_binding(sender, binding, by, reason, **kwargs):
    """Upcoming 阅卷 and 会见 on the case end with the binding; the answer lists them in the notice."""
    cause = _("案件%(case)s的绑定已撤销") % {"case": binding.case.case_number}
    cancelled = cancel_withdrawn(
        binding.lawyer,
        Booking.objects.filter(case=binding.case),
        by,
        _("%(cause)s：%(reason)s") % {"cause": cause, "reason": reason},
    )
    return notices.withdrawn(cancelled, cause)
