"""Who may see and do what with letters. `letters_for(user)` is the one selector every
desk list, export and statistic uses; `writer_for(user, letter)` is the one answer to
"what may this staff member know of the writer", for every screen and export."""

from django.db.models import Q

from portal.pii import mask_address, mask_id_number, mask_name, mask_phone

from .models import Letter, LetterType

HANDLE_PERMISSION = "letters.handle_letter"


def _accused(user, letter):
    """A 举报 is never seen or handled by anyone of the body it accuses."""
    return bool(letter.is_report and user.department_id and user.department_id == letter.accused_department_id)


def is_official(user, letter):
    """Mailbox officials (and superusers) manage a letter: accept, route, approve, supervise."""
    if not user.is_authenticated or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    return not _accused(user, letter) and letter.mailbox.officials.filter(pk=user.pk).exists()


def is_handler(user):
    """The 承办部门 role: staff of a department allowed to handle the letters routed to it."""
    return bool(user.is_authenticated and user.is_staff and user.department_id and user.has_perm(HANDLE_PERMISSION))


def can_handle(user, assignment):
    return is_handler(user) and user.department_id == assignment.department_id and not _accused(user, assignment.letter)


def letters_for(user):
    """Letters a staff member may see.

    Mailbox officials see their mailboxes' letters; handlers (the 承办部门 role) see the
    letters routed to their department. A 举报 is never seen by anyone of the body it
    accuses, official or handler (routing there is refused too).
    """
    if not user.is_authenticated or not user.is_staff:
        return Letter.objects.none()
    if user.is_superuser:
        return Letter.objects.all()
    visible = Q(mailbox__officials=user)
    if is_handler(user):
        visible |= Q(assignments__department_id=user.department_id)
    if user.department_id:
        visible &= ~Q(letter_type=LetterType.REPORT, accused_department_id=user.department_id)
    return Letter.objects.filter(visible).distinct()


def can_see_attachments(user, letter):
    """A 举报 letter's attachments never leave the mailbox officials' view."""
    if letter.is_report:
        return is_official(user, letter)
    return letters_for(user).filter(pk=letter.pk).exists()


def can_see_attachment(user, attachment):
    """A reply's attachment is seen by the staff who see the letter (its department included,
    also for a 举报); the writer's attachments as can_see_attachments says."""
    if attachment.assignment_id:
        return letters_for(user).filter(pk=attachment.letter_id).exists()
    return can_see_attachments(user, attachment.letter)


def writer_for(user, letter):
    """What `user` may know of the writer at a glance: None when nothing (an anonymous letter,
    or a 举报 outside its mailbox officials), else the writer masked, the ID number included
    for the mailbox officials. The telephone and e-mail in full only through the recorded
    look (workflow.reveal_contact); the ID number and the account are never shown in full."""
    if letter.is_anonymous:
        return None
    official = is_official(user, letter)
    if letter.is_report and not official:
        return None
    writer = {
        "name": mask_name(letter.writer_name),
        "phone": mask_phone(letter.phone),
        "address": mask_address(letter.address),
    }
    if official:
        writer["id_number"] = mask_id_number(letter.id_number)
    return writer


def is_letters_staff(user):
    return (
        user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.managed_mailboxes.exists() or is_handler(user))
    )
