"""Who may see and do what with letters. `letters_for(user)` is the one selector every
desk list, export and statistic uses."""

from django.db.models import Q

from .models import Letter, LetterType


def is_official(user, letter):
    """Mailbox officials (and superusers) manage a letter: accept, route, approve, supervise."""
    if not user.is_authenticated or not user.is_staff:
        return False
    return user.is_superuser or letter.mailbox.officials.filter(pk=user.pk).exists()


def can_handle(user, assignment):
    return bool(
        user.is_authenticated
        and user.is_staff
        and user.department_id
        and user.department_id == assignment.department_id
    )


def letters_for(user):
    """Letters a staff member may see.

    Mailbox officials see their mailboxes' letters; a handling department sees the letters
    routed to it. A 举报 letter is seen by its mailbox officials and by the department
    it was routed to, never by the body it accuses (routing there is refused too).
    """
    if not user.is_authenticated or not user.is_staff:
        return Letter.objects.none()
    if user.is_superuser:
        return Letter.objects.all()
    own_mailbox = Q(mailbox__officials=user)
    if not user.department_id:
        return Letter.objects.filter(own_mailbox).distinct()
    routed = Q(assignments__department_id=user.department_id) & ~(
        Q(letter_type=LetterType.REPORT) & Q(accused_department_id=user.department_id)
    )
    return Letter.objects.filter(own_mailbox | routed).distinct()


def can_see_attachments(user, letter):
    """A 举报 letter's attachments never leave the mailbox officials' view."""
    if letter.is_report:
        return is_official(user, letter)
    return letters_for(user).filter(pk=letter.pk).exists()


def can_see_writer(user, letter):
    """Handling departments get the writer masked on a 举报 (the writer is protected)."""
    return is_official(user, letter) or not letter.is_report


def is_letters_staff(user):
    return (
        user.is_authenticated
        and user.is_staff
        and (user.is_superuser or user.managed_mailboxes.exists() or bool(user.department_id))
    )
