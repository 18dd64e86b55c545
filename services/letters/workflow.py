"""Every change to a letter goes through one function here: it checks who may do it and
the letter's state, changes the data in a transaction, records a `LetterEvent`, and
queues the search-index update and notifications after commit."""

import datetime
import functools
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import notifications
from portal.models import next_in_sequence
from portal.pii import mask_phone, pii_hash
from portal.workdays import Calendar

from . import conf
from .models import (
    OPEN_STATUSES,
    Assignment,
    Attachment,
    Channel,
    Letter,
    LetterEvent,
    LetterType,
    Mailbox,
    ModerationReport,
    PublicVersion,
    Rating,
    Status,
    Supervision,
)
from .permissions import can_handle, is_official

PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - alphabet, not a password


def today():
    return timezone.localdate()


def _record(letter, action, label, actor=None, comment="", from_status="", department=None):
    return LetterEvent.objects.create(
        letter=letter,
        action=action,
        label=label,
        actor=actor if actor is not None and actor.is_authenticated else None,
        comment=comment,
        from_status=from_status,
        to_status=letter.status,
        department=department,
    )


def _changed(letter):
    """Bump the search version and queue the index update for after the commit."""
    from .search import index_letter_task

    Letter.objects.filter(pk=letter.pk).update(version=F("version") + 1)
    letter.refresh_from_db(fields=["version"])
    index_letter_task.enqueue(letter.pk)


def _require(condition, message):
    if not condition:
        raise ValidationError(message)


def _require_official(user, letter):
    if not is_official(user, letter):
        raise PermissionDenied(_("只有该信箱的管理员可以进行此操作。"))


def _lock(letter):
    return Letter.objects.select_for_update().get(pk=letter.pk)


# --- Notices to the staff who act next -----------------------------------------------------


def officials_of(letter):
    """The mailbox officials who must act on `letter` (never anyone of the body a 举报 accuses)."""
    officials = letter.mailbox.officials.filter(is_active=True, is_staff=True)
    if letter.is_report and letter.accused_department_id:
        officials = officials.exclude(department_id=letter.accused_department_id)
    return list(officials)


def handlers_of(department, letter):
    """The department's staff holding the 承办部门 role, who answer what is routed to it."""
    holds = Q(groups__permissions__codename="handle_letter", groups__permissions__content_type__app_label="letters")
    holds |= Q(user_permissions__codename="handle_letter", user_permissions__content_type__app_label="letters")
    if letter.is_report and letter.accused_department_id == department.pk:
        return []
    users = get_user_model().objects.filter(holds, department=department, is_active=True, is_staff=True)
    return list(users.distinct())


def _tell_staff(users, letter, subject, body):
    from django.urls import reverse

    notifications.notify_staff(
        users,
        subject=subject,
        body=_("信件%(no)s《%(title)s》：%(body)s") % {"no": letter.tracking_no, "title": letter.title, "body": body},
        url=reverse("letters_desk:detail", args=[letter.pk]),
    )


# --- Writing a letter -----------------------------------------------------------------


def new_query_password():
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(8))


def new_tracking_no(day):
    return f"{day:%Y%m%d}{next_in_sequence(f'letters-{day:%Y%m%d}'):04d}"


def _set_deadline(letter, start, workdays):
    """The deadline is the `workdays`-th working day after `start`; both are kept so that it can
    be counted again when the holiday calendar changes (`recount_deadlines`)."""
    letter.due_from, letter.due_workdays = start, workdays
    letter.due_on = Calendar().add_workdays(start, workdays)


def _clear_deadline(letter):
    letter.due_on = letter.due_from = letter.due_workdays = None


def mailbox_for_report(mailbox, accused):
    """A 举报 against the body whose mailbox it was written to goes to the independent report
    mailbox (信箱设置 → 独立受理举报), or, when none is named or it is the accused body's own,
    to the first active mailbox of another body."""
    if accused is None or mailbox.department_id != accused.pk:
        return mailbox
    others = Mailbox.objects.filter(is_active=True).exclude(department=accused)
    return others.filter(is_report_mailbox=True).first() or others.first() or mailbox


def repeat_candidates(user):
    """The letters a new letter may repeat: those of the same verified writer (the signed-in
    account; typed contact details prove nothing) about a matter still open or already re-handled."""
    if user is None or not user.is_authenticated:
        return []
    same_matter = Q(status__in=OPEN_STATUSES) | Q(status=Status.CLOSED, reopen_count__gte=1)
    return list(Letter.objects.filter(same_matter, user=user).values_list("pk", flat=True))


def submit_letter(*, mailbox, data, files=(), user=None, received_at=None, channel=Channel.WEB, entered_by=None):
    """Save a validated letter with its attachments; returns (letter, query_password).

    `received_at` is for letters that arrived by post or telephone and are entered later by
    the official `entered_by` (`enter_letter`): deadlines run from the day they were received.

    A letter that says the same as an open letter of the same signed-in writer
    (`search.find_repeat`) is linked to it and not accepted as new. The link is for staff:
    the writer is told nothing that depends on other letters.
    """
    from .search import check_group_matter_task, find_repeat

    repeat_of = find_repeat(data["title"], data["content"], repeat_candidates(user))
    password = new_query_password()
    now = received_at or timezone.now()
    with transaction.atomic():
        letter_type = data["letter_type"]
        accused = data.get("accused_department") if letter_type == LetterType.REPORT else None
        letter = Letter(
            tracking_no=new_tracking_no(timezone.localtime(now).date()),
            query_password=make_password(password),
            mailbox=mailbox_for_report(mailbox, accused),
            letter_type=letter_type,
            topic=data["topic"],
            title=data["title"],
            content=data["content"],
            user=user if user is not None and user.is_authenticated else None,
            is_anonymous=data.get("is_anonymous", False),
            writer_name=data.get("writer_name", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            id_number=data.get("id_number", ""),
            address=data.get("address", ""),
            consent_publish=data.get("consent_publish", False) and letter_type != LetterType.REPORT,
            accused_department=accused,
            submitted_at=now,
            channel=channel,
        )
        rules = conf.deadlines(letter_type)
        _set_deadline(letter, timezone.localtime(now).date(), rules.get("accept") or rules["reply"])
        letter.phone_hash = pii_hash(letter.phone, purpose="phone") if letter.phone else ""
        letter.id_hash = pii_hash(letter.id_number) if letter.id_number else ""
        if repeat_of is not None:
            letter.status = Status.REPEAT
            letter.repeat_of = repeat_of
            _clear_deadline(letter)
        letter.save()
        for upload, content_type in files:
            Attachment.objects.create(
                letter=letter, file=upload, original_name=upload.name[:200], content_type=content_type, size=upload.size
            )
        _record(letter, "submitted", _("提交来信"))
        if repeat_of is not None:
            _record(
                letter,
                "linked",
                _("重复来信，并入原信件"),
                comment=_("与信件 %(no)s 内容相同，并入该信件办理。") % {"no": repeat_of.tracking_no},
            )
            _record(repeat_of, "repeat_received", _("收到重复来信"), comment=letter.tracking_no)
        _changed(letter)
        if repeat_of is not None:
            _changed(repeat_of)
        check_group_matter_task.enqueue(letter.pk)
        body = _("您的来信已收到，信件编号%(no)s，查询密码%(pw)s，请凭编号和密码查询办理情况。") % {
            "no": letter.tracking_no,
            "pw": password,
        }
        _notify_writer(letter, body, subject=_("来信已收到"))
        if letter.status == Status.SUBMITTED:
            _tell_staff(
                [official for official in officials_of(letter) if official != entered_by],
                letter,
                _("新来信待受理"),
                _("%(mailbox)s收到新来信，请在%(due)s前决定是否受理。")
                % {"mailbox": letter.mailbox.name, "due": f"{letter.due_on:%Y-%m-%d}"},
            )
    return letter, password


@functools.cache
def _stand_in_hash():
    """The hash checked when no letter has the tracking number given, so that an unknown
    number costs the same hashing as a wrong password (no timing oracle)."""
    return make_password(secrets.token_urlsafe(16))


def check_query_password(letter, password):
    """True if `letter` exists and `password` is its query password; the hash runs either way."""
    encoded = letter.query_password if letter is not None else _stand_in_hash()
    matches = check_password((password or "").strip().upper(), encoded)
    return letter is not None and matches


def reissue_query_password(letter):
    """A lost query password: a new one is texted only to the mobile number the signed-in writer
    verified (writer_contacts; never shown on the page) and the old one stops working. For a
    number merely typed into the form, or no letter (None), nothing is sent and the old password
    stays valid; the new password is hashed either way, so the time taken does not tell."""
    password = new_query_password()
    encoded = make_password(password)
    phone = writer_contacts(letter)[0] if letter is not None else ""
    if not phone:
        return None
    with transaction.atomic():
        letter = _lock(letter)
        letter.query_password = encoded
        letter.save(update_fields=["query_password"])
        _record(
            letter,
            "password_reissued",
            _("重新发送查询密码"),
            comment=_("新的查询密码已短信发送至%(phone)s，原密码作废。") % {"phone": mask_phone(phone)},
        )
        body = _("您的信件%(no)s的新查询密码是%(pw)s，原查询密码已作废。如非本人操作，请忽略。") % {
            "no": letter.tracking_no,
            "pw": password,
        }
        notifications.notify(phone=phone, subject=_("查询密码"), body=body)
    return letter


# --- Acceptance --------------------------------------------------------------------------


def accept_letter(letter, by, comment=""):
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.status == Status.SUBMITTED, _("只有待受理的信件可以受理。"))
        rules = conf.deadlines(letter.letter_type)
        letter.status = Status.ACCEPTED
        letter.accepted_on = today()
        if rules.get("accept"):
            _set_deadline(letter, letter.accepted_on, rules["reply"])
        letter.save()
        _record(letter, "accepted", _("受理"), actor=by, comment=comment, from_status=Status.SUBMITTED)
        _changed(letter)
        _notify_writer(letter, _("您的来信%(no)s已受理。") % {"no": letter.tracking_no})
    return letter


def decline_letter(letter, by, reason):
    _require((reason or "").strip(), _("请填写不予受理的理由。"))
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.status == Status.SUBMITTED, _("只有待受理的信件可以不予受理。"))
        letter.status = Status.DECLINED
        letter.decline_reason = reason.strip()
        _clear_deadline(letter)
        letter.save()
        _record(
            letter, "declined", _("不予受理"), actor=by, comment=letter.decline_reason, from_status=Status.SUBMITTED
        )
        _changed(letter)
        _notify_writer(
            letter, _("您的来信%(no)s不予受理，理由：%(reason)s") % {"no": letter.tracking_no, "reason": reason}
        )
    return letter


# --- Routing and replies -----------------------------------------------------------------


def route_letter(letter, by, departments, instructions="", due_on=None):
    """转办 to one or more handling departments with instructions and a deadline."""
    departments = list(departments)
    _require(departments, _("请至少选择一个承办部门。"))
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.status in (Status.ACCEPTED, Status.REOPENED), _("只有已受理或重办中的信件可以转办。"))
        if letter.is_report and letter.accused_department_id:
            _require(
                all(d.pk != letter.accused_department_id for d in departments),
                _("举报信件不得转给被举报单位办理。"),
            )
        # A department's deadline lies within the letter's; an overdue letter keeps its own.
        due_on = due_on or letter.due_on
        _require(due_on <= letter.due_on, _("承办期限不能晚于信件的办理期限。"))
        _require(due_on == letter.due_on or due_on >= today(), _("承办期限不能早于今天。"))
        previous = letter.status
        letter.assignments.filter(current=True).update(current=False)
        for department in departments:
            Assignment.objects.create(letter=letter, department=department, instructions=instructions, due_on=due_on)
        letter.status = Status.ROUTED
        letter.save()
        names = "、".join(d.name for d in departments)
        _record(
            letter, "routed", _("转办"), actor=by, comment=f"{names}：{instructions}".rstrip("："), from_status=previous
        )
        _changed(letter)
        for department in departments:
            _tell_staff(
                handlers_of(department, letter),
                letter,
                _("信件转办待办理"),
                _("%(who)s将信件转办%(dept)s办理，承办期限%(due)s。%(instructions)s")
                % {"who": by, "dept": department.name, "due": f"{due_on:%Y-%m-%d}", "instructions": instructions},
            )
    return letter


def draft_reply(assignment, by, text, files=(), remove=()):
    """The handling department submits its reply for approval, with `files` ([(upload, content
    type)] checked by forms.check_attachments) added to it and the attachments in `remove` (ids)
    taken off; attachments of a draft sent back stay with it until removed."""
    _require((text or "").strip(), _("请填写答复内容。"))
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        letter = _lock(assignment.letter)
        if not can_handle(by, assignment):
            raise PermissionDenied(_("只有承办部门可以拟写答复。"))
        _require(
            assignment.current and assignment.state in (Assignment.State.HANDLING, Assignment.State.RETURNED),
            _("该转办记录当前不能拟写答复。"),
        )
        dropped = list(assignment.reply_attachments.filter(pk__in=remove))
        kept = assignment.reply_attachments.count() - len(dropped)
        limit = conf.setting("LETTERS_ATTACHMENT_MAX_COUNT")
        _require(kept + len(files) <= limit, _("附件最多%(n)s个。") % {"n": limit})
        for item in dropped:
            storage, name = item.file.storage, item.file.name
            item.delete()
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        for upload, content_type in files:
            Attachment.objects.create(
                letter=letter,
                assignment=assignment,
                file=upload,
                original_name=upload.name[:200],
                content_type=content_type,
                size=upload.size,
            )
        assignment.state = Assignment.State.DRAFTED
        assignment.draft = text.strip()
        assignment.drafted_by = by
        assignment.drafted_at = timezone.now()
        assignment.save()
        previous = letter.status
        if not letter.assignments.filter(current=True).exclude(state=Assignment.State.DRAFTED).exists():
            letter.status = Status.DRAFTED
            letter.save()
        names = list(assignment.reply_attachments.values_list("original_name", flat=True))
        _record(
            letter,
            "drafted",
            _("承办部门拟写答复"),
            actor=by,
            department=assignment.department,
            from_status=previous,
            comment=_("附件：%(names)s") % {"names": "、".join(names)} if names else "",
        )
        _changed(letter)
        if letter.status == Status.DRAFTED:
            _tell_staff(
                officials_of(letter),
                letter,
                _("答复待审核"),
                _("%(dept)s %(who)s 已拟写答复，请审核。") % {"dept": assignment.department.name, "who": by},
            )
    return assignment


def return_draft(assignment, by, comment):
    _require((comment or "").strip(), _("请填写退回意见。"))
    with transaction.atomic():
        letter = _lock(assignment.letter)
        _require_official(by, letter)
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        _require(assignment.current and assignment.state == Assignment.State.DRAFTED, _("只有待审核的答复可以退回。"))
        assignment.state = Assignment.State.RETURNED
        assignment.save()
        previous = letter.status
        letter.status = Status.ROUTED
        letter.save()
        _record(
            letter,
            "returned",
            _("退回答复"),
            actor=by,
            comment=comment,
            department=assignment.department,
            from_status=previous,
        )
        _changed(letter)
        _tell_staff(
            handlers_of(assignment.department, letter),
            letter,
            _("答复被退回"),
            _("%(who)s退回了贵单位的答复，意见：%(comment)s") % {"who": by, "comment": comment.strip()},
        )
    return assignment


def approve_reply(letter, by, reply=None):
    """The mailbox official approves the departments' drafts; the letter is replied."""
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.status == Status.DRAFTED, _("只有答复待审核的信件可以审核通过。"))
        current = list(letter.assignments.filter(current=True).select_related("department"))
        text = (reply or "").strip() or "\n\n".join(a.draft for a in current)
        for assignment in current:
            assignment.state = Assignment.State.APPROVED
            assignment.save(update_fields=["state"])
        letter.status = Status.REPLIED
        letter.reply = text
        letter.replied_on = today()
        letter.reply_department = current[0].department if len(current) == 1 else letter.mailbox.department
        letter.rating = ""
        letter.rated_at = None
        letter.save()
        _record(letter, "replied", _("审核通过并答复"), actor=by, from_status=Status.DRAFTED)
        _changed(letter)
        _notify_writer(letter, _("您的来信%(no)s已答复，请凭编号和密码查看并评价。") % {"no": letter.tracking_no})
    return letter


def reply_attachments(letter):
    """The attachments of the approved replies: the writer receives them with the reply text
    (never the public letters pages, which carry the published reply text only)."""
    return Attachment.objects.filter(letter=letter, assignment__state=Assignment.State.APPROVED).order_by("pk")


def rating_window_ends(letter):
    """The last day the writer may rate a reply or ask for re-handling (DOMAIN: 30 days)."""
    return letter.replied_on + datetime.timedelta(days=conf.setting("LETTERS_REOPEN_WINDOW_DAYS"))


def can_close(letter):
    """An official closes a replied letter only once the writer's time to rate it and ask for
    re-handling has run out: a rating closes it earlier, and closing sooner would take the
    writer's 评价 and 重办 away."""
    return letter.status == Status.REPLIED and today() > rating_window_ends(letter)


def close_letter(letter, by, comment=""):
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.status == Status.REPLIED, _("只有已答复的信件可以办结。"))
        _require(
            can_close(letter),
            _("来信人在%(day)s前（含当日）可评价或申请重办，期满未评价的方可办结。")
            % {"day": f"{rating_window_ends(letter):%Y-%m-%d}"},
        )
        letter.status = Status.CLOSED
        letter.closed_at = timezone.now()
        letter.save()
        _record(letter, "closed", _("办结"), actor=by, comment=comment, from_status=Status.REPLIED)
        _changed(letter)
    return letter


# --- The writer's rating and re-handling -------------------------------------------------


def rate_letter(letter, rating, comment=""):
    """The writer rates the reply; a satisfied rating, or any rating after re-handling, closes it."""
    _require(rating in Rating.values, _("请选择评价结果。"))
    with transaction.atomic():
        letter = _lock(letter)
        _require(letter.status == Status.REPLIED, _("信件答复后才能评价。"))
        _require(not letter.rating, _("您已评价过这封信件。"))
        letter.rating = rating
        letter.rated_at = timezone.now()
        if rating != Rating.DISSATISFIED or letter.reopen_count:
            letter.status = Status.CLOSED
            letter.closed_at = letter.rated_at
        letter.save()
        _record(
            letter,
            "rated",
            _("来信人评价：%(r)s") % {"r": Rating(rating).label},
            comment=comment,
            from_status=Status.REPLIED,
        )
        _changed(letter)
    return letter


def request_reopen(letter, reason):
    """A dissatisfied writer asks, once and within the window, for the letter to be handled again."""
    _require((reason or "").strip(), _("请说明申请重办的理由。"))
    with transaction.atomic():
        letter = _lock(letter)
        _require(
            letter.status == Status.REPLIED and letter.rating == Rating.DISSATISFIED,
            _("只有评价为不满意的信件可以申请重办。"),
        )
        _require(letter.reopen_count == 0, _("该信件已经重办过，同一事项不再重复受理。"))
        window = conf.setting("LETTERS_REOPEN_WINDOW_DAYS")
        _require(
            today() <= letter.replied_on + datetime.timedelta(days=window),
            _("已超过答复后%(days)s日的重办申请期限。") % {"days": window},
        )
        letter.status = Status.REOPENED
        letter.reopen_count += 1
        _set_deadline(letter, today(), conf.setting("LETTERS_REOPEN_REPLY_WORKDAYS"))
        letter.extension_state = ""
        letter.save()
        _record(letter, "reopened", _("申请重办"), comment=reason, from_status=Status.REPLIED)
        _changed(letter)
        _tell_staff(
            officials_of(letter),
            letter,
            _("来信人申请重办"),
            _("来信人对答复不满意并申请重办，请在%(due)s前重新转办答复。") % {"due": f"{letter.due_on:%Y-%m-%d}"},
        )
    return letter


# --- Extension and supervision -----------------------------------------------------------


def request_extension(letter, by, reason):
    _require((reason or "").strip(), _("请填写延期理由。"))
    with transaction.atomic():
        letter = _lock(letter)
        handles = any(can_handle(by, a) for a in letter.assignments.filter(current=True))
        if not (handles or is_official(by, letter)):
            raise PermissionDenied(_("只有承办部门或信箱管理员可以申请延期。"))
        _require(letter.status in (Status.ACCEPTED, Status.ROUTED, Status.REOPENED), _("该信件当前不能申请延期。"))
        _require(not letter.extension_state, _("每封信件只能延期一次。"))
        letter.extension_state = "requested"
        letter.extension_reason = reason.strip()
        letter.save()
        _record(
            letter,
            "extension_requested",
            _("申请延期"),
            actor=by,
            comment=reason,
            department=by.department,
            from_status=letter.status,
        )
        _changed(letter)
        _tell_staff(
            officials_of(letter),
            letter,
            _("延期申请待审批"),
            _("%(who)s申请延期，理由：%(reason)s") % {"who": by, "reason": reason.strip()},
        )
    return letter


def decide_extension(letter, by, approve, comment=""):
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.extension_state == "requested", _("没有待批准的延期申请。"))
        if approve:
            days = conf.deadlines(letter.letter_type)["extension"]
            _set_deadline(letter, letter.due_from, letter.due_workdays + days)
            letter.extension_state = "approved"
            letter.assignments.filter(current=True).update(due_on=letter.due_on)
            label = _("批准延期至%(d)s") % {"d": f"{letter.due_on:%Y-%m-%d}"}
        else:
            letter.extension_state = "rejected"
            label = _("不批准延期")
        letter.save()
        _record(letter, "extension_decided", label, actor=by, comment=comment, from_status=letter.status)
        _changed(letter)
    return letter


def recount_deadlines(letter_ids, reason, calendar=None):
    """Count the deadlines of these letters again after the holiday calendar changed (`reason`
    says how), in one transaction. Each moved deadline is recorded from what to what; the
    departments' deadlines that followed the letter's move with it and none stays later than
    the letter's; letters no longer open keep theirs. Returns how many moved; running it again
    changes nothing."""
    from .search import sweep_pending_letters_task

    calendar = calendar or Calendar()
    with transaction.atomic():
        letters = Letter.objects.select_for_update().filter(
            pk__in=letter_ids, status__in=OPEN_STATUSES, due_from__isnull=False
        )
        moves, events = {}, []
        for letter in letters.order_by("pk"):
            new = calendar.add_workdays(letter.due_from, letter.due_workdays)
            if new == letter.due_on:
                continue
            moves.setdefault((letter.due_on, new), []).append(letter.pk)
            events.append(
                LetterEvent(
                    letter=letter,
                    action="deadline_moved",
                    label=_("办理期限由%(old)s调整为%(new)s")
                    % {"old": f"{letter.due_on:%Y-%m-%d}", "new": f"{new:%Y-%m-%d}"},
                    comment=_("%(reason)s办理期限自%(start)s起按%(n)s个工作日重新计算。")
                    % {"reason": reason, "start": f"{letter.due_from:%Y-%m-%d}", "n": letter.due_workdays},
                    from_status=letter.status,
                    to_status=letter.status,
                )
            )
        # Deadlines move in a few steps (a holiday's length), so one update per step suffices.
        for (old, new), ids in moves.items():
            Letter.objects.filter(pk__in=ids).update(due_on=new, version=F("version") + 1)
            Assignment.objects.filter(letter_id__in=ids, current=True).filter(Q(due_on=old) | Q(due_on__gt=new)).update(
                due_on=new
            )
        LetterEvent.objects.bulk_create(events)
        if events:
            sweep_pending_letters_task.enqueue()
    return len(events)


def supervise_letter(letter, by, department, content, due_on):
    """督办: issue a supervision order to a handling department."""
    _require((content or "").strip(), _("请填写督办意见。"))
    _require(due_on and due_on >= today(), _("督办期限不能早于今天。"))
    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.status in OPEN_STATUSES, _("只有未办结的信件可以督办。"))
        _require(
            letter.assignments.filter(current=True, department=department).exists(),
            _("只能向正在办理该信件的承办部门督办。"),
        )
        supervision = Supervision.objects.create(
            letter=letter, department=department, content=content.strip(), due_on=due_on, issued_by=by
        )
        _record(
            letter, "supervised", _("督办"), actor=by, comment=content, department=department, from_status=letter.status
        )
        _changed(letter)
        _tell_staff(
            handlers_of(department, letter),
            letter,
            _("督办待回复"),
            _("%(who)s向%(dept)s发出督办单，请在%(due)s前回复：%(content)s")
            % {"who": by, "dept": department.name, "due": f"{due_on:%Y-%m-%d}", "content": content.strip()},
        )
    return supervision


def answer_supervision(supervision, by, text):
    """The supervised department answers a 督办 in writing; the issuer is told."""
    _require((text or "").strip(), _("请填写督办回复。"))
    with transaction.atomic():
        supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
        letter = _lock(supervision.letter)
        current = letter.assignments.filter(current=True, department=supervision.department)
        if not any(can_handle(by, assignment) for assignment in current):
            raise PermissionDenied(_("只有被督办的承办部门可以回复督办。"))
        _require(not supervision.answered_at, _("该督办单已经回复。"))
        supervision.answer = text.strip()
        supervision.answered_by = by
        supervision.answered_at = timezone.now()
        supervision.save(update_fields=["answer", "answered_by", "answered_at"])
        _record(
            letter,
            "supervision_answered",
            _("回复督办"),
            actor=by,
            comment=supervision.answer,
            department=supervision.department,
            from_status=letter.status,
        )
        _changed(letter)
        _tell_staff(
            [supervision.issued_by],
            letter,
            _("督办已回复"),
            _("%(dept)s %(who)s 回复了督办：%(text)s")
            % {"dept": supervision.department.name, "who": by, "text": supervision.answer},
        )
    return supervision


def reveal_contact(letter, by):
    """The writer's telephone and e-mail in full, to call or write back: for the mailbox
    officials of any letter but an anonymous one, and for a handling department on an open
    letter routed to it, except a 举报 (the writer is protected). Each look is recorded in the
    letter's history; the ID number is never revealed."""
    with transaction.atomic():
        letter = _lock(letter)
        _require(not letter.is_anonymous, _("匿名来信没有联系方式。"))
        if is_official(by, letter):
            label, department = _("信箱管理员查看来信人联系方式"), None
        else:
            if not any(can_handle(by, a) for a in letter.assignments.filter(current=True)):
                raise PermissionDenied(_("只有正在办理该信件的承办部门可以查看来信人联系方式。"))
            _require(not letter.is_report, _("举报人信息保密，承办部门不能查看。"))
            _require(letter.is_open, _("信件已答复，不能再查看来信人联系方式。"))
            label, department = _("承办部门查看来信人联系方式"), by.department
        _record(letter, "contact_viewed", label, actor=by, department=department, from_status=letter.status)
    return {"name": letter.writer_name, "phone": letter.phone, "email": letter.email}


def enter_letter(*, by, mailbox, data, files=(), received_on, channel):
    """An official enters a letter received by post, telephone or visit. Its deadlines run from
    the day it was received, which may be earlier than today but not later."""
    _require(channel in (Channel.POST, Channel.PHONE, Channel.VISIT), _("请选择来信渠道。"))
    _require(received_on <= today(), _("收到日期不能晚于今天。"))
    if not (by.is_superuser or mailbox.officials.filter(pk=by.pk).exists()):
        raise PermissionDenied(_("只有该信箱的管理员可以登记来信。"))
    received_at = timezone.make_aware(datetime.datetime.combine(received_on, datetime.time(9)))
    with transaction.atomic():
        letter, password = submit_letter(
            mailbox=mailbox, data=data, files=files, received_at=received_at, channel=channel, entered_by=by
        )
        _record(
            letter,
            "entered",
            _("登记%(channel)s") % {"channel": Channel(channel).label},
            actor=by,
            comment=_("收到日期%(day)s") % {"day": f"{received_on:%Y-%m-%d}"},
            from_status=letter.status,
        )
    return letter, password


# --- Public display ------------------------------------------------------------------------


def prepare_public_version(letter, by):
    """Make the de-identified draft of the public version; the original stays as written."""
    from .deidentify import deidentify

    with transaction.atomic():
        letter = _lock(letter)
        _require_official(by, letter)
        _require(letter.consent_publish, _("来信人未同意公开，不能公开。"))
        _require(not letter.is_report, _("举报信件一律不公开。"))
        _require(letter.status in (Status.REPLIED, Status.CLOSED), _("信件答复后才能公开。"))
        _require(not hasattr(letter, "public_version"), _("已经生成过公开版本。"))
        version = PublicVersion.objects.create(
            letter=letter,
            title=deidentify(letter.title, letter),
            content=deidentify(letter.content, letter),
            reply=deidentify(letter.reply, letter),
        )
        _record(letter, "public_drafted", _("生成公开版本（已自动去除个人信息）"), actor=by, from_status=letter.status)
    return version


def publish_public_version(version, by, title, content, reply):
    from .deidentify import contains_personal_data

    with transaction.atomic():
        version = PublicVersion.objects.select_for_update().get(pk=version.pk)
        letter = version.letter
        _require_official(by, letter)
        _require(version.state == PublicVersion.State.DRAFT, _("只有待审核的公开版本可以发布。"))
        for label, value in ((_("标题"), title), (_("内容"), content), (_("答复"), reply)):
            _require((value or "").strip(), _("公开版本的%(f)s不能为空。") % {"f": label})
            _require(
                not contains_personal_data(value, letter),
                _("公开版本的%(f)s仍含有来信人的个人信息，请删除后再发布。") % {"f": label},
            )
        version.title, version.content, version.reply = title.strip(), content.strip(), reply.strip()
        version.state = PublicVersion.State.PUBLISHED
        version.approved_by = by
        version.published_at = timezone.now()
        version.save()
        _record(letter, "published", _("审核通过并公开"), actor=by, from_status=letter.status)
        _changed(letter)
    return version


def hide_public_version(version, by, reason):
    """Hide illegal content at once; the original is kept and a report record made."""
    _require((reason or "").strip(), _("请填写屏蔽原因。"))
    with transaction.atomic():
        version = PublicVersion.objects.select_for_update().get(pk=version.pk)
        _require_official(by, version.letter)
        _require(version.state == PublicVersion.State.PUBLISHED, _("只有已公开的信件可以屏蔽。"))
        version.state = PublicVersion.State.HIDDEN
        version.save(update_fields=["state"])
        now = timezone.now()
        report = ModerationReport.objects.create(
            public_version=version,
            reason=reason.strip(),
            hidden_by=by,
            report_due_at=now + datetime.timedelta(hours=24),
        )
        _record(
            version.letter, "hidden", _("屏蔽公开内容"), actor=by, comment=reason, from_status=version.letter.status
        )
        _changed(version.letter)
    return report


def withdraw_publication_consent(letter, by=None):
    """The writer no longer agrees to publication: the public version is deleted at once
    (it leaves the public list and the search with the index task this queues) and the
    letter cannot be published again. The letter itself and its history stay."""
    with transaction.atomic():
        letter = _lock(letter)
        _require(letter.consent_publish, _("此信件未同意公开，无需撤回。"))
        letter.consent_publish = False
        letter.save(update_fields=["consent_publish"])
        PublicVersion.objects.filter(letter=letter).delete()
        _record(letter, "consent_withdrawn", _("来信人撤回公开同意"), actor=by, from_status=letter.status)
        _changed(letter)
    return letter


def verified_phone(user, phone):
    """`phone` if it is the confirmed mobile number of the signed-in `user`, else ""."""
    if not (phone and user.is_authenticated and user.is_active and user.phone_verified):
        return ""
    return phone if user.phone == phone else ""


def writer_contacts(letter):
    """The phone number and e-mail address to notify: only those the writer has verified (the
    signed-in account's confirmed mobile number and e-mail address). A number merely typed
    into the form is never texted, so the form cannot send messages to someone else."""
    user = letter.user
    if user is None or not user.is_active:
        return "", ""
    phone = verified_phone(user, letter.phone)
    email = letter.email
    if email and not EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists():
        email = ""
    return phone, email


def _notify_writer(letter, body, subject=None):
    phone, email = writer_contacts(letter)
    notifications.notify(phone=phone, email=email, subject=subject or _("来信办理情况"), body=body)
