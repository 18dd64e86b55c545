"""Lawyer case bindings (律师案件绑定): a verified lawyer asks to follow a case with the
engagement or legal-aid letter and the law-firm letter; case-management staff approve or
reject it. Only an approved binding opens the case's procedural timeline to the lawyer."""

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal, receiver
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.accounts.workflow import is_verified_lawyer, lawyer_revoked, tell, with_consequences

from .models import BindingEvent, Case, LawyerBinding
from .records import normalise_case_number

REVIEW_BINDING = "cases.review_binding"
# Sent when a binding ends (revoked alone or with the lawyer's verification), so apps can end what
# it gave (bookings on the case). Arguments: binding, by, reason. A receiver may answer with a
# sentence for the lawyer's notice.
binding_revoked = Signal()
ALLOWED_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
# One answer for a case that does not exist, is restricted or cannot be bound: nothing is revealed.
NOT_BINDABLE = _("未找到可绑定的案件，请核对案件编号。")


def validate_letter(upload, missing_message):
    """A PDF/JPG/PNG within the size limit, its type read from the content, not the name."""
    if not upload:
        raise ValidationError(missing_message)
    limit = settings.CASES_BINDING_LETTER_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(_("文件不能超过%(limit)s。") % {"limit": filesizeformat(limit)})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    head = upload.read(261)
    upload.seek(0)
    kind = filetype.guess(head)
    if extension not in ALLOWED_TYPES or kind is None or kind.mime != ALLOWED_TYPES[extension]:
        raise ValidationError(_("只能上传PDF、JPG或PNG格式的文件。"))


def _bindable_case(case_number):
    case = Case.objects.filter(case_number=normalise_case_number(case_number)).first()
    if case is None or case.is_restricted:
        raise ValidationError({"case_number": NOT_BINDABLE})
    return case


@transaction.atomic
def request_binding(lawyer, case_number, role, letter_kind, letter, firm_letter):
    """Record a pending binding with its two letters; only for verified lawyers and for existing,
    unrestricted cases that the lawyer has no pending or approved binding to."""
    if not is_verified_lawyer(lawyer):
        raise PermissionDenied
    errors = {}
    if role not in LawyerBinding.Role.values:
        errors["role"] = _("请选择诉讼身份。")
    if letter_kind not in LawyerBinding.LetterKind.values:
        errors["letter_kind"] = _("请选择授权文书类型。")
    for field, upload, missing in (
        ("letter", letter, _("请上传委托书或法律援助公函。")),
        ("firm_letter", firm_letter, _("请上传律师事务所函。")),
    ):
        try:
            validate_letter(upload, missing)
        except ValidationError as error:
            errors[field] = error.messages
    try:
        case = _bindable_case(case_number)
    except ValidationError as error:
        errors.update(error.message_dict)
        case = None
    if case is not None and (
        LawyerBinding.objects.select_for_update()
        .filter(lawyer=lawyer, case=case, state__in=[LawyerBinding.State.PENDING, LawyerBinding.State.APPROVED])
        .exists()
    ):
        errors["case_number"] = _("您已申请绑定该案件，请勿重复提交。")
    if errors:
        raise ValidationError(errors)
    binding = LawyerBinding.objects.create(
        lawyer=lawyer, case=case, role=role, letter_kind=letter_kind, letter=letter, firm_letter=firm_letter
    )
    BindingEvent.objects.create(binding=binding, action=BindingEvent.Action.REQUESTED, by=lawyer)
    return binding


def _review(binding, by, state, action, reason=""):
    if not by.has_perm(REVIEW_BINDING):
        raise PermissionDenied
    binding = LawyerBinding.objects.select_for_update(of=("self",)).select_related("case", "lawyer").get(pk=binding.pk)
    if binding.state != LawyerBinding.State.PENDING:
        raise ValidationError(_("该绑定申请已审核，不能重复处理。"))
    binding.state = state
    binding.rejection_reason = reason
    binding.reviewed_at = timezone.now()
    binding.reviewed_by = by
    binding.save(update_fields=["state", "rejection_reason", "reviewed_at", "reviewed_by"])
    BindingEvent.objects.create(binding=binding, action=action, by=by, comment=reason)
    return binding


@transaction.atomic
def approve_binding(binding, by):
    binding = _review(binding, by, LawyerBinding.State.APPROVED, BindingEvent.Action.APPROVED)
    tell(
        binding.lawyer,
        _("您对案件%(case)s的绑定申请已通过，现在可以查询该案件的程序性信息并预约阅卷、会见。")
        % {"case": binding.case.case_number},
        subject=_("律师案件绑定已通过"),
    )
    return binding


@transaction.atomic
def reject_binding(binding, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写未通过原因。")})
    binding = _review(binding, by, LawyerBinding.State.REJECTED, BindingEvent.Action.REJECTED, reason)
    tell(
        binding.lawyer,
        _("您对案件%(case)s的绑定申请未通过，请按原因补正材料后重新申请。原因：%(reason)s")
        % {"case": binding.case.case_number, "reason": reason},
        subject=_("律师案件绑定未通过"),
    )
    return binding


@transaction.atomic
def revoke_binding(binding, by, reason):
    """Withdraw an approved binding (the engagement ended, the letter proved false…): the case
    leaves the lawyer's pages and case bookings at once, and the lawyer is told why."""
    if not by.has_perm(REVIEW_BINDING):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤销原因。")})
    binding = LawyerBinding.objects.select_for_update().select_related("case", "lawyer").get(pk=binding.pk)
    if binding.state != LawyerBinding.State.APPROVED:
        raise ValidationError(_("只能撤销已通过的案件绑定。"))
    answers = _end(binding, by, reason)
    tell(
        binding.lawyer,
        with_consequences(
            _("您对案件%(case)s的绑定已被撤销，不能再查询该案件的程序性信息。原因：%(reason)s")
            % {"case": binding.case.case_number, "reason": reason},
            answers,
        ),
        subject=_("律师案件绑定已撤销"),
    )
    return binding


def _end(binding, by, reason):
    """End the binding; returns the answers of `binding_revoked`'s receivers."""
    binding.state = LawyerBinding.State.REVOKED
    binding.rejection_reason = reason
    binding.reviewed_at = timezone.now()
    binding.reviewed_by = by
    binding.save(update_fields=["state", "rejection_reason", "reviewed_at", "reviewed_by"])
    BindingEvent.objects.create(binding=binding, action=BindingEvent.Action.REVOKED, by=by, comment=reason)
    return binding_revoked.send(sender=LawyerBinding, binding=binding, by=by, reason=reason)


@receiver(lawyer_revoked)
def end_bindings_of_revoked_lawyer(sender, user, by, reason, **kwargs):
    """A revoked verification ends the lawyer's pending and approved bindings with it (in the same
    transaction): should the lawyer be verified again, each case is asked for and checked anew.
    Answers what the ended bindings took with them, for the revocation notice."""
    active = (
        LawyerBinding.objects.select_for_update(of=("self",))
        .select_related("case", "lawyer")
        .filter(lawyer=user, state__in=[LawyerBinding.State.PENDING, LawyerBinding.State.APPROVED])
    )
    answers = [answer for binding in active for _receiver, answer in _end(binding, by, reason) if answer]
    return "\n".join(str(answer) for answer in answers)


def approved_case_for(lawyer, binding_id):
    """The case behind one of the lawyer's APPROVED bindings, or None (also for restricted cases)."""
    if not is_verified_lawyer(lawyer):
        return None
    binding = (
        LawyerBinding.objects.select_related("case")
        .filter(
            pk=binding_id,
            lawyer=lawyer,
            state=LawyerBinding.State.APPROVED,
            case__is_juvenile=False,
            case__is_secret=False,
        )
        .first()
    )
    return binding.case if binding else None
