"""The 审签单 of an item: one printable page saying, for each review round and each level, who
approved or sent back which revision, when and with what opinion, and when the item was
published or withdrawn (撤下) and why. Read from Wagtail's workflow states and page log; nothing
here writes."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from .review import column_of

ROUND_OUTCOMES = {
    WorkflowState.STATUS_IN_PROGRESS: _("审核中"),
    WorkflowState.STATUS_APPROVED: _("审核通过"),
    WorkflowState.STATUS_NEEDS_CHANGES: _("退回修改"),
    WorkflowState.STATUS_CANCELLED: _("已撤回或取消"),
}
LEVEL_OUTCOMES = {
    TaskState.STATUS_IN_PROGRESS: _("待审核"),
    TaskState.STATUS_APPROVED: _("同意"),
    TaskState.STATUS_REJECTED: _("退回修改"),
    TaskState.STATUS_SKIPPED: _("跳过"),
    TaskState.STATUS_CANCELLED: _("未审（审核已终止）"),
}
EVENTS = {
    "wagtail.publish": _("发布"),
    "wagtail.publish.scheduled": _("定时发布"),
    "wagtail.unpublish": _("撤下"),
    "wagtail.unpublish.scheduled": _("到期撤下"),
    "wagtail.workflow.cancel": _("撤回或取消审核"),
    "home.review.restart": _("重新审核"),
}


@dataclass
class Level:
    name: str
    outcome: str
    who: object
    when: object
    revision: int | None
    opinion: str
    stood_in: bool = False  # the 网站总编 acted for a level they do not hold (home.review.stands_in)


@dataclass
class Round:
    number: int
    workflow: str
    submitted_by: object
    submitted_at: object
    revision: int | None
    outcome: str
    levels: list = field(default_factory=list)


@dataclass
class Event:
    when: object
    action: str
    who: object
    revision: int | None
    comment: str


@dataclass
class Sheet:
    page: object
    column: object
    index_no: str
    document_no: str
    rounds: list
    events: list


def _round_outcome(state, task_states):
    # A round sent back is closed (cancelled) when the item is resubmitted; it still reads 退回修改.
    if any(task_state.status == TaskState.STATUS_REJECTED for task_state in task_states):
        return LEVEL_OUTCOMES[TaskState.STATUS_REJECTED]
    return ROUND_OUTCOMES.get(state.status, state.status)


def _levels_held(task_states):
    """{(user id, level id)} for the people who acted and the review levels whose groups they are in."""
    from django.contrib.auth import get_user_model

    from .models import ReviewTask

    people = {task_state.finished_by_id for task_state in task_states if task_state.finished_by_id}
    memberships = get_user_model().groups.through.objects.filter(user_id__in=people).values_list("user_id", "group_id")
    levels_of_group = {}
    for task_id, group_id in ReviewTask.objects.values_list("pk", "groups"):
        levels_of_group.setdefault(group_id, set()).add(task_id)
    return {(user_id, task_id) for user_id, group_id in memberships for task_id in levels_of_group.get(group_id, ())}


def may_see(user, page):
    """The 审签单 is for the staff who may read the review record (网站主编 and above, the county
    office and leader levels) and for those who may edit the item (its editors, its department)."""
    if not user.is_active:
        return False
    return user.has_perm("home.view_review_audit") or page.permissions_for_user(user).can_edit()


def sheet_of(page):
    """The whole review record of `page`, oldest first; revisions are numbered 第1版, 第2版… in
    the order they were saved."""
    page = page.specific
    numbers = {
        pk: number
        for number, pk in enumerate(
            Revision.objects.for_instance(page).order_by("created_at", "pk").values_list("pk", flat=True), start=1
        )
    }
    states = list(
        WorkflowState.objects.for_instance(page)
        .select_related("workflow", "requested_by")
        .prefetch_related("task_states__task", "task_states__finished_by")
        .order_by("created_at", "pk")
    )
    holds = _levels_held([task_state for state in states for task_state in state.task_states.all()])
    rounds = []
    for number, state in enumerate(states, start=1):
        task_states = sorted(state.task_states.all(), key=lambda task_state: (task_state.started_at, task_state.pk))
        first = task_states[0] if task_states else None
        rounds.append(
            Round(
                number=number,
                workflow=state.workflow.name,
                submitted_by=state.requested_by,
                submitted_at=state.created_at,
                revision=numbers.get(first.revision_id) if first else None,
                outcome=_round_outcome(state, task_states),
                levels=[
                    Level(
                        name=task_state.task.name,
                        outcome=LEVEL_OUTCOMES.get(task_state.status, task_state.status),
                        who=task_state.finished_by,
                        when=task_state.finished_at,
                        revision=numbers.get(task_state.revision_id),
                        opinion=task_state.comment,
                        stood_in=bool(task_state.finished_by_id)
                        and (task_state.finished_by_id, task_state.task_id) not in holds,
                    )
                    for task_state in task_states
                ],
            )
        )
    entries = (
        PageLogEntry.objects.filter(page_id=page.pk, action__in=EVENTS)
        .select_related("user")
        .order_by("timestamp", "pk")
    )
    events = [
        Event(
            when=entry.timestamp,
            action=EVENTS[entry.action],
            who=entry.user,
            revision=numbers.get(entry.revision_id),
            comment=(entry.data or {}).get("comment", ""),
        )
        for entry in entries
    ]
    column = column_of(page)
    disclosed = bool(column and column.is_disclosure)
    return Sheet(
        page=page,
        column=column,
        index_no=getattr(page, "index_no", "") if disclosed else "",
        document_no=getattr(page, "document_no", ""),
        rounds=rounds,
        events=events,
    )
