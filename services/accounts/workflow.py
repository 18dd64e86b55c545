"""Business rules of public accounts: real-name profiles, lawyer verification and account
deletion. Each write checks permission and state, runs in a transaction and records an event."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from portal.notifications import notify
from portal.pii import mask_id_number, pii_hash, validate_id_number
from portal.ratelimit import count_attempt
from portal.roles import ROLES_BY_CODE

from .models import LawyerProfile, LawyerVerificationEvent, Profile

# Sent before an account is de-identified, so apps holding records the law requires them to
# keep (letters, bookings) can strip the person from them. Arguments: user.
account_deleting = Signal()
# Sent when a lawyer's verification is revoked, so apps can end what it gave (case bindings,
# bookings). Arguments: user, by, reason. A receiver may answer with a sentence telling the lawyer
# what it ended; the answers are added to the one revocation notice.
lawyer_revoked = Signal()

VERIFY_LAWYER = "accounts.verify_lawyer"
RESOLVE_REAL_NAME = "accounts.resolve_real_name"


@transaction.atomic
def save_real_name(user, real_name, id_number):
    """Create or correct the user's real-name profile; the ID number is kept as hash + mask.

    The answer never depends on other accounts: a number another account claimed too is saved
    all the same, and every claim of it becomes disputed until staff confirm one
    (confirm_real_name) or revoke the others (revoke_real_name). Saves per account and day are
    limited (ACCOUNTS_REAL_NAME_SAVES_PER_DAY) so that numbers cannot be tried in bulk."""
    number = validate_id_number(id_number)
    if count_attempt(f"accounts:real-name:{user.pk}", 24 * 3600) > settings.ACCOUNTS_REAL_NAME_SAVES_PER_DAY:
        raise ValidationError(_("今天修改实名信息的次数已达上限，请明天再试。"))
    digest = pii_hash(number)
    previous = Profile.objects.select_for_update().filter(user=user).first()
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={"real_name": real_name.strip(), "id_number_hash": digest, "id_number_masked": mask_id_number(number)},
    )
    if previous is not None and previous.id_number_hash != digest:
        profile.status = Profile.Status.REGISTERED
        profile.save(update_fields=["status"])
        _settle_claims(previous.id_number_hash)
    _settle_claims(digest)
    profile.refresh_from_db()
    return profile


def _settle_claims(digest):
    """Claims of one ID number by several accounts are disputed (staff are told); a single claim
    left after a correction or revocation is no longer disputed."""
    claims = list(Profile.objects.select_for_update().filter(id_number_hash=digest).order_by("pk"))
    if len(claims) > 1:
        new = [claim.pk for claim in claims if claim.status == Profile.Status.REGISTERED]
        if new:
            Profile.objects.filter(pk__in=new).update(status=Profile.Status.DISPUTED)
            notify_resolvers(len(claims))
    elif claims and claims[0].status == Profile.Status.DISPUTED:
        claims[0].status = Profile.Status.REGISTERED
        claims[0].save(update_fields=["status"])


def notify_resolvers(claims):
    from .alerts import alert_administrators

    alert_administrators(
        "real-name-dispute",
        _("【待核实】有身份证号被多个账号实名登记"),
        _(
            "有一个身份证号被 %(n)s 个账号实名登记。请在管理后台“实名登记核实”中联系相关账号，"
            "核验身份证件后确认其中一个账号的登记，撤销其他登记。"
        )
        % {"n": claims},
        permission=RESOLVE_REAL_NAME,
    )


def tell(user, text, *, subject):
    """Tell a citizen about a staff decision: by SMS to a verified phone, otherwise by e-mail."""
    text = str(text)
    if user.phone and user.phone_verified:
        notify(phone=user.phone, body=text)
    elif user.email:
        notify(email=user.email, subject=subject, body=text)


def _check_resolver(by):
    if not by.has_perm(RESOLVE_REAL_NAME):
        raise PermissionDenied(_("您没有核实实名登记的权限。"))


@transaction.atomic
def confirm_real_name(profile, by, reason):
    """Staff checked the ID card: this account's claim stands, every other claim of the same
    number is revoked with the reason."""
    _check_resolver(by)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    if profile.status != Profile.Status.DISPUTED:
        raise ValidationError(_("该实名登记没有争议，无需核实。"))
    for other in Profile.objects.filter(id_number_hash=profile.id_number_hash).exclude(pk=profile.pk):
        _revoke(other, by, reason)
    profile.status = Profile.Status.CONFIRMED
    profile.save(update_fields=["status"])
    log(instance=profile.user, action="accounts.real_name_confirm", user=by, data={"reason": reason})
    tell(
        profile.user,
        _("您在本网站的实名登记（身份证号 %(id)s）已经工作人员核实。") % {"id": profile.id_number_masked},
        subject=_("实名登记核实结果"),
    )
    return profile


@transaction.atomic
def revoke_real_name(profile, by, reason):
    """Staff found this claim false: it is deleted and its owner told why."""
    _check_resolver(by)
    profile = Profile.objects.select_for_update().get(pk=profile.pk)
    digest = profile.id_number_hash
    _revoke(profile, by, reason)
    _settle_claims(digest)


def _revoke(profile, by, reason):
    log(instance=profile.user, action="accounts.real_name_revoke", user=by, data={"reason": reason})
    tell(
        profile.user,
        _("您在本网站登记的实名信息（身份证号 %(id)s）经核实不属于本账号，已被撤销。原因：%(reason)s")
        % {"id": profile.id_number_masked, "reason": reason},
        subject=_("实名登记核实结果"),
    )
    profile.delete()


def disputed_claims():
    """Every claim of an ID number that some disputed claim shares, grouped by number."""
    digests = Profile.objects.filter(status=Profile.Status.DISPUTED).values("id_number_hash")
    return (
        Profile.objects.filter(id_number_hash__in=digests)
        .select_related("user")
        .order_by("id_number_hash", "updated_at")
    )


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
    """Apply (or apply again after a rejection or revocation) for lawyer verification; state becomes pending."""
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
    disputed = Profile.objects.filter(user=lawyer.user, status=Profile.Status.DISPUTED).exists()
    if status == LawyerProfile.Status.VERIFIED and disputed:
        raise ValidationError(_("申请人登记的身份证号另有账号登记，请先在“实名登记核实”中核实身份。"))
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
    tell(
        lawyer.user,
        _("您在本网站的律师身份认证已通过，现在可以申请绑定案件，查询已绑定案件的程序性信息并预约阅卷、会见。"),
        subject=_("律师认证已通过"),
    )
    return lawyer


@transaction.atomic
def reject_lawyer(lawyer, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过的原因，申请人将看到该原因。")})
    lawyer = _review(lawyer, by, LawyerProfile.Status.REJECTED, LawyerVerificationEvent.Action.REJECTED, reason)
    tell(
        lawyer.user,
        _("您在本网站提交的律师身份认证申请未通过，请按原因补正后重新申请。原因：%(reason)s") % {"reason": reason},
        subject=_("律师认证未通过"),
    )
    return lawyer


@transaction.atomic
def revoke_lawyer(lawyer, by, reason):
    """Case-management staff withdraw a verification (licence suspended, documents found false…).
    From now on the account can neither bind cases nor book lawyer-only services, and its approved
    bindings no longer open any case (all of them ask is_verified_lawyer); the lawyer is told why."""
    if not by.has_perm(VERIFY_LAWYER):
        raise PermissionDenied(_("您没有审核律师身份的权限。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销认证的原因，律师将看到该原因。")})
    lawyer = LawyerProfile.objects.select_for_update().get(pk=lawyer.pk)
    if lawyer.status != LawyerProfile.Status.VERIFIED:
        raise ValidationError(_("只能撤销已通过认证的律师。"))
    lawyer.status = LawyerProfile.Status.REVOKED
    lawyer.rejection_reason = reason
    lawyer.reviewed_at = timezone.now()
    lawyer.reviewed_by = by
    lawyer.save()
    LawyerVerificationEvent.objects.create(
        lawyer=lawyer, action=LawyerVerificationEvent.Action.REVOKED, by=by, comment=reason
    )
    lawyer.user.groups.remove(_lawyer_group())
    answers = lawyer_revoked.send(sender=LawyerProfile, user=lawyer.user, by=by, reason=reason)
    tell(
        lawyer.user,
        with_consequences(
            _("您在本网站的律师认证已被撤销，不能再绑定案件、查询已绑定案件或预约律师服务。原因：%(reason)s")
            % {"reason": reason},
            answers,
        ),
        subject=_("律师认证已撤销"),
    )
    return lawyer


def with_consequences(text, answers):
    """A notice followed by what the receivers of a signal said they ended, one line each."""
    return "\n".join([str(text), *(str(answer) for _receiver, answer in answers if answer)])


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
