"""Business rules of public accounts: real-name profiles, lawyer verification and account
deletion. Each write checks permission and state, runs in a transaction and records an event."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.pii import mask_id_number, pii_hash, validate_id_number
from portal.roles import ROLES_BY_CODE

from .models import LawyerProfile, LawyerVerificationEvent, Profile

# Sent before an account is de-identified, so apps holding records the law requires them to
# keep (letters, bookings) can strip the person from them. Arguments: user.
account_deleting = Signal()

VERIFY_LAWYER = "accounts.verify_lawyer"


@transaction.atomic
def save_real_name(user, real_name, id_number):
    """Create or correct the user's real-name profile; the ID number is kept as hash + mask."""
    number = validate_id_number(id_number)
    digest = pii_hash(number)
    if Profile.objects.filter(id_number_hash=digest).exclude(user=user).exists():
        raise ValidationError({"id_number": _("该身份证号已被其他账号实名登记。")})
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={"real_name": real_name.strip(), "id_number_hash": digest, "id_number_masked": mask_id_number(number)},
    )
    return profile


def _delete_file_after_commit(field_file):
    """Remove a stored file only once the change that dropped it is committed."""
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def _lawyer_group():
    group, _created = Group.objects.get_or_create(name=ROLES_BY_CODE["lawyer"].name)
    return group


@transaction.atomic
def submit_lawyer_application(user, certificate_no, law_firm, certificate_scan):
    """Apply (or apply again after a rejection) for lawyer verification; state becomes pending."""
    if not hasattr(user, "profile"):
        raise ValidationError(_("请先完成实名登记，再申请律师认证。"))
    lawyer = LawyerProfile.objects.select_for_update().filter(user=user).first()
    if lawyer and lawyer.status == LawyerProfile.Status.VERIFIED:
        raise ValidationError(_("您的律师身份已通过认证，无需重复申请。"))
    if lawyer is None:
        lawyer = LawyerProfile(user=user)
    else:
        _delete_file_after_commit(lawyer.certificate_scan)
    lawyer.certificate_no = certificate_no
    lawyer.law_firm = law_firm
    lawyer.certificate_scan = certificate_scan
    lawyer.status = LawyerProfile.Status.PENDING
    lawyer.rejection_reason = ""
    lawyer.submitted_at = timezone.now()
    lawyer.reviewed_at = None
    lawyer.reviewed_by = None
    lawyer.save()
    LawyerVerificationEvent.objects.create(lawyer=lawyer, action=LawyerVerificationEvent.Action.SUBMITTED, by=user)
    return lawyer


def _review(lawyer, by, status, action, reason=""):
    if not by.has_perm(VERIFY_LAWYER):
        raise PermissionDenied(_("您没有审核律师身份的权限。"))
    lawyer = LawyerProfile.objects.select_for_update().get(pk=lawyer.pk)
    if lawyer.status != LawyerProfile.Status.PENDING:
        raise ValidationError(_("该申请已审核，不能重复处理。"))
    lawyer.status = status
    lawyer.rejection_reason = reason
    lawyer.reviewed_at = timezone.now()
    lawyer.reviewed_by = by
    lawyer.save()
    LawyerVerificationEvent.objects.create(lawyer=lawyer, action=action, by=by, comment=reason)
    return lawyer


@transaction.atomic
def verify_lawyer(lawyer, by):
    """Case-management staff confirm the lawyer; only verified lawyers may bind to cases."""
    lawyer = _review(lawyer, by, LawyerProfile.Status.VERIFIED, LawyerVerificationEvent.Action.VERIFIED)
    lawyer.user.groups.add(_lawyer_group())
    return lawyer


@transaction.atomic
def reject_lawyer(lawyer, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因，申请人将看到该原因。")})
    return _review(lawyer, by, LawyerProfile.Status.REJECTED, LawyerVerificationEvent.Action.REJECTED, reason)


def is_verified_lawyer(user):
    """The one check other apps use before case binding or lawyer bookings."""
    return bool(
        user.is_authenticated and LawyerProfile.objects.filter(user=user, status=LawyerProfile.Status.VERIFIED).exists()
    )


@transaction.atomic
def delete_account(user):
    """Delete the person, keep the row: records the law requires (letters…) stay linked to an
    anonymous, unusable account instead of being deleted with it."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    account_deleting.send(sender=type(user), user=user)
    lawyer = LawyerProfile.objects.filter(user=user).first()
    if lawyer:
        _delete_file_after_commit(lawyer.certificate_scan)
        lawyer.delete()
    Profile.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.phone = None
    user.phone_verified = False
    user.first_name = user.last_name = user.display_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    return user
