"""Publication of legal documents (法律文书公开): rules first, then a staff check.

On import the portal writes the public version itself with the rules of `anonymise.py`. A
document the source marks public, of a type the rules allow to publish now, waits in the
待核对 queue; case-management staff read the rule output with its changes marked, may edit
it, and approve it (then it is indexed and public) or return it. Approval is refused while
the residual scan still finds personal data. If the text of an imported document changes,
it goes back to 待核对 (and out of the public index) until it is approved again.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .anonymise import anonymise, residual_findings
from .models import DocumentEvent, LegalDocument
from .tasks import index_cases

PUBLISH_DOCUMENT = "cases.publish_document"

# A change in any of these sends the document back through the rules and the staff check.
CHECKED_FIELDS = (
    "doc_type",
    "full_text",
    "source_public_text",
    "source_publishable",
    "judgment_effective_on",
    "rule_text",
)


def protected_names(case):
    return [party.name for party in case.parties.all() if party.is_protected]


def rule_output(document):
    """What the rules make of the document today, with each change located (for the staff screen)."""
    return anonymise(document.source_public_text or document.full_text, protected_names(document.case))


def receive_document(document, case, fields):
    """Store an imported document (new or existing, `fields` as parsed from the record).

    A new document, or one whose text or publishability changed, gets the rule output as its
    public version and waits for the staff check (待核对) if publishable, else is withheld.
    Anything else (e.g. only the date) keeps its state and the public text staff approved."""
    is_new = document.pk is None
    previous = document.state
    changed = is_new or any(getattr(document, name) != fields[name] for name in CHECKED_FIELDS)
    document.case = case
    for name, value in fields.items():
        setattr(document, name, value)
    if not changed:
        document.save()
        return document
    document.public_text = document.rule_text
    document.reviewed_at = document.reviewed_by = None
    document.state = LegalDocument.State.PENDING if document.is_publishable else LegalDocument.State.WITHHELD
    document.save()
    if document.state == LegalDocument.State.PENDING:
        comment = _("新导入的文书") if is_new else _("文书内容或公开条件已变更，需重新核对")
        DocumentEvent.objects.create(document=document, action=DocumentEvent.Action.QUEUED, comment=comment)
    elif is_new or previous != LegalDocument.State.WITHHELD:
        DocumentEvent.objects.create(
            document=document,
            action=DocumentEvent.Action.WITHHELD,
            comment=_("来源系统未标记公开，或判决尚未生效"),
        )
    return document


def _checked(document, by, state=LegalDocument.State.PENDING, refusal=None):
    """The document locked for `by` to act on, if they may and it is still in `state`."""
    if not by.has_perm(PUBLISH_DOCUMENT):
        raise PermissionDenied
    document = LegalDocument.objects.select_for_update().select_related("case").get(pk=document.pk)
    if document.state != state:
        raise ValidationError(refusal or _("该文书不在待核对状态，不能重复处理。"))
    return document


def describe_findings(findings):
    """Staff-facing list of what the residual scan found: 身份证号“…”、姓名“…”."""
    seen = []
    for finding in findings:
        item = f"{finding.label}“{finding.original}”"
        if item not in seen:
            seen.append(item)
    return "、".join(seen)


@transaction.atomic
def approve_document(document, by, public_text, basis=None, kept_names=()):
    """Publish `public_text` as the document's public version, if nothing personal is left in it.

    `basis` is the document's `review_basis` when staff opened it: if an import changed the
    text since, the approval is refused rather than publishing a check of the old text.
    `kept_names` are words the rules found after a role word that staff confirm are not names
    to anonymise (a lawyer's name, a false hit); they are recorded with the approval."""
    document = _checked(document, by)
    if basis is not None and basis != document.review_basis:
        raise ValidationError(_("该文书在您核对期间已被重新导入，请重新核对。"))
    if document.case.is_restricted:
        raise ValidationError(_("未成年人案件和涉密案件的文书不予公开。"))
    if not document.is_publishable:
        raise ValidationError(_("该文书不符合公开条件（来源系统未标记公开，或判决尚未生效）。"))
    text = (public_text or "").strip()
    if not text:
        raise ValidationError({"public_text": _("公开版本不能为空。")})
    kept_names = [name for name in kept_names if name in text]
    findings = residual_findings(text, protected_names(document.case), kept_names)
    if findings:
        message = _("公开版本仍含有个人信息，不能公开：%(found)s。请删除或按“姓+某”处理后再提交。")
        raise ValidationError({"public_text": message % {"found": describe_findings(findings)}})
    document.public_text = text
    document.state = LegalDocument.State.APPROVED
    document.reviewed_at = timezone.now()
    document.reviewed_by = by
    document.save(update_fields=["public_text", "state", "reviewed_at", "reviewed_by"])
    comment = ""
    if kept_names:
        comment = _("核对人确认以下词语不是需要隐名的姓名：%(names)s") % {"names": "、".join(kept_names)}
    DocumentEvent.objects.create(document=document, action=DocumentEvent.Action.APPROVED, by=by, comment=comment)
    case_id = document.case_id
    transaction.on_commit(lambda: index_cases.enqueue([case_id]))
    return document


@transaction.atomic
def return_document(document, by, reason):
    """Send the document back (not published); it returns to 待核对 when the source sends a new text."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回原因。")})
    document = _checked(document, by)
    document.state = LegalDocument.State.RETURNED
    document.reviewed_at = timezone.now()
    document.reviewed_by = by
    document.save(update_fields=["state", "reviewed_at", "reviewed_by"])
    DocumentEvent.objects.create(document=document, action=DocumentEvent.Action.RETURNED, by=by, comment=reason)
    return document


@transaction.atomic
def withdraw_document(document, by, reason):
    """Take an approved document off the public site at once (personal data found after
    publication, a corrected judgment…); it comes back to 待核对 when the source sends a new text."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写撤回原因。")})
    document = _checked(document, by, LegalDocument.State.APPROVED, _("该文书未公开，无需撤回。"))
    document.state = LegalDocument.State.RETURNED
    document.reviewed_at = timezone.now()
    document.reviewed_by = by
    document.save(update_fields=["state", "reviewed_at", "reviewed_by"])
    DocumentEvent.objects.create(document=document, action=DocumentEvent.Action.WITHDRAWN, by=by, comment=reason)
    case_id = document.case_id
    transaction.on_commit(lambda: index_cases.enqueue([case_id]))
    return document
