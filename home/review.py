"""Editorial review (三级审核) of articles: which workflow an item goes through, what must be
filled in before it is submitted, who may act at which level, and how approval publishes.

County policy (see DOMAIN.md, "Editorial review"): every article is drafted by a column editor
and reviewed by the managing editor then the editor-in-chief; sensitive items add the county
government office and a county leader; department columns start with the department's leader.
One person acts at only one level of one item's review; when the submitter is the only one who
could act at a level, the 网站总编 stands in there (stands_in). Only completing the workflow publishes.
"""

import datetime

from django.db import transaction
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import Page, Revision, TaskState, Workflow, WorkflowState, WorkflowTask

# The levels of review: task name, role code (portal.roles) and whether the reviewer must
# belong to the department responsible for the item's column.
LEVELS = {
    "deptleader": (_("部门分管领导审核"), "deptleader", True),
    "managing": (_("网站主编审核"), "managing", False),
    "chief": (_("网站总编审核"), "chief", False),
    "office": (_("县政府办公室审核"), "office", False),
    "leader": (_("县政府领导审核"), "leader", False),
}


def workflow_levels():
    from .models import ReviewWorkflow

    kind = ReviewWorkflow.Kind
    return {
        kind.STANDARD: ("managing", "chief"),
        kind.SENSITIVE: ("managing", "chief", "office", "leader"),
        kind.DEPARTMENT: ("deptleader", "managing", "chief"),
        kind.DEPARTMENT_SENSITIVE: ("deptleader", "managing", "chief", "office", "leader"),
    }


# --- Where an item sits ----------------------------------------------------------------


def columns_above(page):
    """The columns holding `page` (itself included if it is one), nearest first."""
    from .models import ColumnPage

    if page is None or not page.pk:
        return []
    return list(ColumnPage.objects.ancestor_of(page, inclusive=True).order_by("-depth"))


def column_of(page):
    columns = columns_above(page)
    return columns[0] if columns else None


def department_of(page):
    """The department responsible ("谁上网谁负责") for the nearest column that names one."""
    for column in columns_above(page):
        if column.department_id:
            return column.department
    return None


# --- Which workflow --------------------------------------------------------------------


def _sensitive_reviews(page):
    from .models import ReviewWorkflow

    sensitive = (ReviewWorkflow.Kind.SENSITIVE, ReviewWorkflow.Kind.DEPARTMENT_SENSITIVE)
    return WorkflowState.objects.for_instance(page).filter(workflow__review_kind__kind__in=sensitive)


def was_ever_sensitive(page):
    """Whether the item was ever marked sensitive: its saved flag, any of its revisions, or an
    earlier sensitive review. The mark is sticky: no revert, API call or edit takes it away."""
    from .models import ArticlePage

    if not page.pk:
        return False
    sensitive_revisions = Revision.objects.for_instance(page).filter(content__is_sensitive=True)
    return (
        ArticlePage.objects.filter(pk=page.pk)
        .filter(Q(is_sensitive=True) | Exists(sensitive_revisions) | Exists(_sensitive_reviews(page)))
        .exists()
    )


def is_sensitive_item(page):
    """Sensitive: a sensitive column above it, its own flag, or any earlier sensitive version or
    review (so clearing a flag, reverting or moving the item never downgrades its review)."""
    if getattr(page, "is_sensitive", False):
        return True
    if any(column.is_sensitive for column in columns_above(page)):
        return True
    return was_ever_sensitive(page)


def review_kind(page):
    from .models import ReviewWorkflow

    sensitive = is_sensitive_item(page)
    if department_of(page) is not None:
        return ReviewWorkflow.Kind.DEPARTMENT_SENSITIVE if sensitive else ReviewWorkflow.Kind.DEPARTMENT
    return ReviewWorkflow.Kind.SENSITIVE if sensitive else ReviewWorkflow.Kind.STANDARD


def workflow_for(page):
    """The active workflow for `page`, or None (then nobody can submit it, so nothing is published)."""
    from .models import ReviewWorkflow

    route = ReviewWorkflow.objects.filter(kind=review_kind(page), workflow__active=True).select_related("workflow")
    route = route.first()
    return route.workflow if route else None


# --- What must be filled in -------------------------------------------------------------

REQUIRED_ALWAYS = (
    ("source", _("提交审核前请填写信息来源。")),
    ("collected_on", _("提交审核前请填写采集日期。")),
    ("collector", _("提交审核前请填写采集人。")),
)
REQUIRED_FOR_EXCERPTS = (
    ("author", _("摘编信息提交审核前必须填写作者。")),
    ("original_source", _("摘编信息提交审核前必须填写原文出处。")),
)
REQUIRED_FOR_DISCLOSURE = (
    ("summary", _("政府信息公开目录要求填写摘要。")),
    ("issuing_body", _("政府信息公开目录要求填写发布机构。")),
    ("written_on", _("政府信息公开目录要求填写成文日期。")),
    ("topic", _("政府信息公开目录要求选择主题分类。")),
)


def metadata_errors(data, *, is_disclosure):
    """{field: Chinese message} for each piece of the editorial record still missing in `data`.
    The index number is never asked for: the system assigns it on publication."""
    required = list(REQUIRED_ALWAYS)
    if data.get("is_excerpt"):
        required += REQUIRED_FOR_EXCERPTS
    if is_disclosure:
        required += REQUIRED_FOR_DISCLOSURE
    errors = {}
    for field, message in required:
        value = data.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[field] = message
    return errors


def article_metadata_errors(article):
    """What is still missing before `article` may be submitted; other reviewed page types
    (leaders, departments, statements…) have no editorial record to check."""
    from .models import ArticlePage, InterpretationPage

    if not isinstance(article, ArticlePage):
        return {}
    names = {field for field, _message in REQUIRED_ALWAYS + REQUIRED_FOR_EXCERPTS + REQUIRED_FOR_DISCLOSURE}
    data = {name: getattr(article, name) for name in names | {"is_excerpt"}}
    column = column_of(article)
    errors = metadata_errors(data, is_disclosure=bool(column and column.is_disclosure))
    if isinstance(article, InterpretationPage):
        errors.update(interpretation_errors(article))
    return errors


def interpretation_errors(page):
    """A 解读 names its policy; a 图解 carries its picture and text, a 问答 its questions."""
    errors = {}
    if page.policy_id is None:
        errors["policy"] = _("提交审核前请选择所解读的政策文件。")
    if page.form == page.Form.GRAPHIC and not (page.graphic_id and page.graphic_text.strip()):
        errors["graphic"] = _("图解形式须上传图解图片并填写图中文字的说明。")
    if page.form == page.Form.QA and not page.questions.all():
        errors["form"] = _("问答形式须至少填写一组问答。")
    return errors


class ReviewRefused(Exception):
    """A transition the rules refuse; the message is shown to the user as it is."""


@transaction.atomic
def submit_for_review(article, user):
    """Save the article's current state as a revision and start its review, as the editor's
    "submit" button does. Refused while the editorial record is incomplete."""
    errors = article_metadata_errors(article)
    if errors:
        raise ReviewRefused("".join(str(message) for message in errors.values()))
    if not article.permissions_for_user(user).can_submit_for_moderation():
        raise ReviewRefused(_("您不能提交这条信息，或它已在审核中。"))
    restart_after_rejection(article, user)
    article.save_revision(user=user, log_action=True)
    return article.get_workflow().start(article, user)


# --- Who may act ----------------------------------------------------------------------------


def current_cycle(page):
    """Workflow states of the review cycle under way: those started since the last publication."""
    states = WorkflowState.objects.for_instance(page)
    last_published_at = Page.objects.filter(pk=page.pk).values_list("last_published_at", flat=True).first()
    if last_published_at:
        states = states.filter(created_at__gt=last_published_at)
    return states


def acted_at_another_level(page, task, user):
    """Whether `user` submitted this item or approved/sent it back at a level other than `task`
    in the current review cycle; if so they may not act at `task` (separation of duties). Standing
    in at a level they do not hold (stands_in) does not count: it is that level's review, done by
    the 网站总编 because nobody who holds it could."""
    from .models import ReviewTask

    states = current_cycle(page)
    if states.filter(requested_by=user).exists():
        return True
    return (
        TaskState.objects.filter(
            workflow_state__in=states,
            finished_by=user,
            status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
            task_id__in=ReviewTask.objects.filter(groups__in=user.groups.all()).values("pk"),
        )
        .exclude(task_id=task.pk)
        .exists()
    )


def not_acted_at_another_level(task_states, task, user):
    """`task_states` (of level `task`) without those whose item `user` submitted or approved/sent
    back at another level in the current review cycle: acted_at_another_level for a whole list,
    in one query."""
    from django.db.models import DateTimeField, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Coalesce

    from .models import ReviewTask

    published = Page.objects.filter(pk=Cast(OuterRef("workflow_state__object_id"), IntegerField()))
    states = task_states.annotate(
        cycle_start=Coalesce(
            Subquery(published.values("last_published_at")[:1]),
            Value(datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField()),
        )
    )
    cycle = WorkflowState.objects.filter(
        base_content_type_id=OuterRef("workflow_state__base_content_type_id"),
        object_id=OuterRef("workflow_state__object_id"),
        created_at__gt=OuterRef("cycle_start"),
    )
    acted = TaskState.objects.filter(
        workflow_state__base_content_type_id=OuterRef("workflow_state__base_content_type_id"),
        workflow_state__object_id=OuterRef("workflow_state__object_id"),
        workflow_state__created_at__gt=OuterRef("cycle_start"),
        finished_by=user,
        status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
        task_id__in=ReviewTask.objects.filter(groups__in=user.groups.all()).values("pk"),
    ).exclude(task_id=task.pk)
    return states.exclude(Exists(cycle.filter(requested_by=user))).exclude(Exists(acted))


def _holders(task, page):
    """[(user, whether they may act now)] for the active holders of level `task` who may review
    `page` (group and department); those who may not act submitted it or acted at another level."""
    from django.contrib.auth import get_user_model

    members = get_user_model().objects.filter(groups__in=task.groups.all(), is_active=True).distinct()
    return [(user, not acted_at_another_level(page, task, user)) for user in members if task.may_review(page, user)]


def holders_who_may_act(task, page):
    return [user for user, may_act in _holders(task, page) if may_act]


def blocked_holders(task, page):
    """The holders barred by separation of duties: the people named when the level is stuck."""
    return [user for user, may_act in _holders(task, page) if not may_act]


def stands_in(task, page, user):
    """The 网站总编 acts at a level whose holders may not act because the item's submitter holds
    it (e.g. an item submitted by the only 网站主编), so that the item is not stuck. Never at a
    level they hold themselves (the rule above applies there), nor on an item they submitted; a
    level nobody holds at all (no county leader set up) is not theirs to take over."""
    from .publishing import may_withdraw

    if not may_withdraw(user) or task.may_review(page, user):
        return False
    state = review_in_progress(page)
    submitter = state.requested_by if state is not None else None
    if submitter is None or submitter.pk == user.pk or not task.may_review(page, submitter):
        return False
    return not holders_who_may_act(task, page)


# --- What is under review ----------------------------------------------------------------------

UNDER_REVIEW = _(
    "这条信息正在审核中，审核期间任何人都不能修改它。审核人请审核通过，或退回修改并在意见中写明要改的内容；"
    "提交人可以撤回审核后再修改。"
)
CHANGED_UNDER_REVIEW = _("审核期间信息出现了新的版本，原审核作废，已从第一级重新审核。")
NEWER_THAN_APPROVED = _("各级审核通过的版本不是最新版本，未发布；已从第一级重新审核最新版本。")
NEEDS_ANOTHER_REVIEW = _("审核期间信息的审核类别发生变化（如标记为敏感信息），未发布；已按新的审核流程从第一级审核。")


def review_in_progress(page):
    """The review under way (an in-progress workflow state) of `page`, or None."""
    if not page.pk:
        return None
    return WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_IN_PROGRESS).first()


def approved_revision(workflow_state):
    """The one revision every level of `workflow_state` approved, or None if a level is not
    approved or the levels approved different revisions."""
    levels = set(workflow_state.workflow.workflow_tasks.values_list("task_id", flat=True))
    approved = workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
    if set(approved.values_list("task_id", flat=True)) != levels:
        return None
    revisions = set(approved.values_list("revision_id", flat=True))
    if len(revisions) != 1:
        return None
    return Revision.objects.get(pk=revisions.pop())


def is_on_record(revision):
    """Whether a review or a publication refers to `revision`: such a revision is kept exactly as
    it was (Wagtail's autosave would otherwise overwrite the latest revision in place)."""
    from .models import ArticlePage

    return (
        revision.approved_go_live_at is not None
        or TaskState.objects.filter(revision=revision).exists()
        or ArticlePage.objects.filter(live_revision=revision).exists()
    )


# --- Transitions -----------------------------------------------------------------------------


@transaction.atomic
def restart_after_rejection(page, user):
    """On resubmission of an item sent back for changes, close the rejected review so that the
    new submission starts again at the first level. Returns the closed state, if any."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    WorkflowState.objects.filter(pk=state.pk).update(status=WorkflowState.STATUS_CANCELLED)
    return state


@transaction.atomic
def restart_review(page, user, reason):
    """Close the review under way (if any) and start, from its first level, the review the item's
    latest version needs, submitted by `user` (who made the change, so may not review it; None for
    the system). The reason is logged for the audit report and e-mailed to the earlier submitter."""
    from .models import ArticlePage
    from .notifications import notify_review_restarted

    page = ArticlePage.objects.get(pk=page.pk)
    previous = WorkflowState.objects.for_instance(page).order_by("-created_at", "-pk").first()
    if previous is not None and previous.status == WorkflowState.STATUS_IN_PROGRESS:
        previous.cancel(user=user)
    log(instance=page, action="home.review.restart", user=user, data={"comment": str(reason)})
    workflow = workflow_for(page.get_latest_revision_as_object())
    state = workflow.start(page, user) if workflow is not None else None
    if previous is not None and previous.requested_by_id:
        notify_review_restarted.enqueue(page.pk, previous.requested_by_id, str(reason))
    return state


NOT_A_CANCELLER = _("只有网站总编可以取消审核；提交人可以撤回自己提交的审核。")
NO_REVIEW_TO_CANCEL = _("这条信息目前没有进行中的审核。")
CANCEL_NEEDS_REASON = _("取消审核须写明理由，理由记入审核记录。")


def may_cancel_review(user):
    """Cancelling another person's review is the 网站总编's decision (the role that withdraws
    published articles, home.publishing.may_withdraw); other reviewers approve or send back."""
    from .publishing import may_withdraw

    return may_withdraw(user)


def cancel_review(page, user, reason):
    """The 网站总编 cancels the review under way (or waiting for changes), with a reason that the
    review audit report shows beside the cancellation. Returns the refusal, or None when done."""
    from wagtail.models import PageLogEntry

    state = page.current_workflow_state
    if not may_cancel_review(user):
        return NOT_A_CANCELLER
    if state is None:
        return NO_REVIEW_TO_CANCEL
    if not reason.strip():
        return CANCEL_NEEDS_REASON
    with transaction.atomic():
        state.cancel(user=user)
        entry = PageLogEntry.objects.filter(page=page, action="wagtail.workflow.cancel").latest("timestamp", "pk")
        entry.data["comment"] = reason.strip()
        entry.save(update_fields=["data"])
    return None


# --- Reading ---------------------------------------------------------------------------------


def awaiting_review(user):
    """Task states waiting for `user`, oldest first, each with `age` (a timedelta) and `page`."""
    states = (
        TaskState.objects.reviewable_by(user)
        .filter(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("task", "workflow_state__workflow", "workflow_state__requested_by", "revision")
        .order_by("started_at", "pk")
    )
    states = list(states)
    pages = Page.objects.filter(pk__in=[int(state.workflow_state.object_id) for state in states]).specific()
    pages = {str(page.pk): page for page in pages}
    seen = _last_reviews_by(states, user)
    now = timezone.now()
    for state in states:
        state.page = pages[state.workflow_state.object_id]
        state.age = now - state.started_at
        earlier = seen.get((state.task_id, state.workflow_state.object_id))
        state.last_seen = earlier.revision_id if earlier is not None else None
    return states


def _last_reviews_by(task_states, user):
    """{(task id, page id): the task state in which `user` last sent back or approved that level of
    that item on another revision than the one waiting}, in one query (last_review_by for each):
    the revision a reviewer compares with (the two newest revisions of an item say nothing once
    autosave has saved every keystroke)."""
    if not task_states:
        return {}
    waiting = {(state.task_id, state.workflow_state.object_id): state.revision_id for state in task_states}
    done = TaskState.objects.filter(
        task_id__in={state.task_id for state in task_states},
        finished_by=user,
        status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
        workflow_state__base_content_type_id__in={state.workflow_state.base_content_type_id for state in task_states},
        workflow_state__object_id__in={state.workflow_state.object_id for state in task_states},
    ).select_related("workflow_state")
    latest = {}
    for state in done.order_by("finished_at", "pk"):
        key = (state.task_id, state.workflow_state.object_id)
        if key in waiting and state.revision_id != waiting[key]:
            latest[key] = state
    return latest


def last_review_by(task_state, user):
    """The task state in which `user` last sent back or approved this level of this item, on
    another revision than the one waiting now; None if there is none."""
    return (
        TaskState.objects.filter(
            task_id=task_state.task_id,
            finished_by=user,
            status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED),
            workflow_state__base_content_type_id=task_state.workflow_state.base_content_type_id,
            workflow_state__object_id=task_state.workflow_state.object_id,
        )
        .exclude(revision_id=task_state.revision_id)
        .select_related("revision")
        .order_by("-finished_at", "-pk")
        .first()
    )


# --- The review screen ------------------------------------------------------------------------


def level_key(task):
    """The key of LEVELS for a review task (matched by its name, as ensure_review_workflows made
    it), or None for a level an administrator added."""
    return next((key for key, (name, _role, _same) in LEVELS.items() if str(name) == task.name), None)


def why_sensitive(item):
    """Why `item` (a version of an article) is reviewed as sensitive, in a phrase."""
    if getattr(item, "is_sensitive", False):
        return _("标记为敏感信息")
    column = next((column for column in columns_above(item) if column.is_sensitive), None)
    if column is not None:
        return _("所在栏目“%(column)s”为敏感栏目") % {"column": column.title}
    return _("曾被标记为敏感信息（该标记不能取消）")


def why_at_level(task_state, item):
    """One sentence telling the reviewer why the item (`item`, the version under review) is at
    their level and what their approval does next."""
    workflow_state = task_state.workflow_state
    levels = list(workflow_state.workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True))
    position = levels.index(task_state.task_id) + 1 if task_state.task_id in levels else None
    key = level_key(task_state.task)
    if key == "deptleader":
        department = department_of(item)
        reason = _("所在栏目由%(department)s负责（谁上网谁负责），须经本部门分管领导审核") % {
            "department": department.name if department else _("责任部门")
        }
    elif key == "managing":
        reason = _("每条信息都须经网站主编审核")
    elif key == "chief":
        reason = _("每条信息都须经网站总编审核")
    elif key in ("office", "leader"):
        reason = _("%(why)s，须经%(level)s") % {"why": why_sensitive(item), "level": task_state.task.name}
    else:
        reason = _("审核流程“%(workflow)s”在这一级由“%(level)s”审核") % {
            "workflow": workflow_state.workflow.name,
            "level": task_state.task.name,
        }
    if position is None:
        return _("%(reason)s。") % {"reason": reason}
    if position == len(levels):
        return _("%(reason)s。本级是第%(position)s级，也是最后一级：审核通过即发布。") % {
            "reason": reason,
            "position": position,
        }
    return _("%(reason)s。本级是第%(position)s级（共%(total)s级），审核通过后送下一级。") % {
        "reason": reason,
        "position": position,
        "total": len(levels),
    }


def review_so_far(page):
    """What happened in the review cycle under way, oldest first: each submission and each
    level's approval or send-back, with who, when and the opinion."""
    states = current_cycle(page)
    finished = (
        TaskState.objects.filter(
            workflow_state__in=states, status__in=(TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED)
        )
        .select_related("task", "finished_by")
        .order_by("finished_at", "pk")
    )
    events = [
        {"when": state.created_at, "who": state.requested_by, "what": _("提交审核"), "level": "", "opinion": ""}
        for state in states.select_related("requested_by")
    ]
    for task_state in finished:
        approved = task_state.status == TaskState.STATUS_APPROVED
        events.append(
            {
                "when": task_state.finished_at,
                "who": task_state.finished_by,
                "what": _("同意") if approved else _("退回修改"),
                "level": task_state.task.name,
                "opinion": task_state.comment,
            }
        )
    return sorted(events, key=lambda event: event["when"])


def comparison_base(task_state, user):
    """What the reviewer compares the waiting version with, and its heading: the revision they
    last sent back or approved at this level, else the published version, else (None, None)."""
    from django.utils.formats import date_format

    page = task_state.workflow_state.content_object.specific
    earlier = last_review_by(task_state, user)
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.finished_at), "Y年n月j日 H:i")
        if earlier.status == TaskState.STATUS_REJECTED:
            heading = _("您%(when)s退回修改的版本") % {"when": when}
        else:
            heading = _("您%(when)s审核通过的版本") % {"when": when}
        return earlier.revision.as_object(), heading
    if page.live:
        return page, _("网站上正在发布的版本")
    return None, None


def changes_between(page, request, old, new):
    """Wagtail's field-by-field comparison of two versions of `page` (the one its revision
    comparison screen shows), the changed fields only."""
    panel = page.get_edit_handler().get_bound_panel(instance=page, request=request, form=None)
    comparisons = (comparison(old, new) for comparison in panel.get_comparison())
    return [comparison for comparison in comparisons if comparison.has_changed()]


def outcome_of(task_state):
    """What the reviewer's action did, in one sentence for the work list they land on: the level
    it went to next, publication, or the send-back."""
    page = task_state.workflow_state.content_object.specific
    title = page.get_admin_display_title()
    if task_state.status == TaskState.STATUS_REJECTED:
        return _("《%(title)s》已退回修改，编辑会看到您的意见。") % {"title": title}
    workflow_state = task_state.workflow_state
    following = workflow_state.current_task_state
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS and following and following.pk != task_state.pk:
        return _("《%(title)s》已审核通过，送“%(level)s”。") % {"title": title, "level": following.task.name}
    if page.live and page.live_revision_id == task_state.revision_id:
        return _("《%(title)s》已审核通过并发布。") % {"title": title}
    if page.scheduled_revision is not None:
        return _("《%(title)s》已审核通过，将按设定时间发布。") % {"title": title}
    return _("《%(title)s》已审核通过；审核期间信息有了新版本，已从第一级重新审核。") % {"title": title}


def send_back_notice(page):
    """The banner of the edit screen while an item waits for changes: who sent it back (real
    name), at which level, when, and the reason. None when the item is not sent back."""
    from django.utils.formats import date_format

    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    sent_back = (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by", "task")
        .order_by("-finished_at", "-pk")
        .first()
    )
    if sent_back is None:
        return None
    return _("%(who)s（%(level)s）于%(when)s退回修改：%(reason)s") % {
        "who": sent_back.finished_by or _("审核人"),
        "level": sent_back.task.name,
        "when": date_format(timezone.localtime(sent_back.finished_at), "Y年n月j日 H:i"),
        "reason": sent_back.comment,
    }


def last_action_of(user, task_state_id):
    """The task state `user` finished, by its id (the work list's ?acted= parameter), or None."""
    if not str(task_state_id).isdigit():
        return None
    return (
        TaskState.objects.filter(pk=task_state_id, finished_by=user)
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .select_related("workflow_state", "task")
        .first()
    )


def work_list_after(task_state):
    """Where a reviewer lands after acting at a level: their work list (the admin home, which
    every reviewer may see), which names the outcome once."""
    from django.urls import reverse

    return f"{reverse('wagtailadmin_home')}?acted={task_state.pk}"


# --- Setup ------------------------------------------------------------------------------------


@transaction.atomic
def close_direct_publishing():
    """No group publishes pages directly: articles go live through review, the site's structure
    is published by the site administrator. Wagtail's stock groups (Moderators, Editors) come with
    publish on the root page; a user put into one would publish columns without any review."""
    from wagtail.models import GroupPagePermission

    return GroupPagePermission.objects.filter(permission__codename="publish_page").delete()[0]


STOCK_WORKFLOW = "Moderators approval"
STOCK_WORKFLOW_NAME = _("Wagtail 默认审核（信息不经此流程）")


def name_the_stock_workflow():
    """Wagtail's migrations create a "Moderators approval" workflow and task on the root page;
    articles never use them (their review is picked by rule), but the admin's workflow reports
    list them, so they carry a Chinese name saying so."""
    from wagtail.models import Task

    Workflow.objects.filter(name=STOCK_WORKFLOW).update(name=str(STOCK_WORKFLOW_NAME))
    Task.objects.filter(name=STOCK_WORKFLOW).update(name=str(STOCK_WORKFLOW_NAME))


def ensure_review_workflows(groups=None):
    """Create the review levels and the workflows of each kind, once (existing ones are left as an
    administrator may have changed them), and close direct publishing to every group.
    `groups` maps role codes to groups (portal.roles)."""
    from portal import roles

    from .models import ReviewTask, ReviewWorkflow

    close_direct_publishing()
    name_the_stock_workflow()
    groups = groups or roles.ensure_role_groups()
    tasks = {}
    for key, (name, role_code, same_department) in LEVELS.items():
        task = ReviewTask.objects.filter(name=str(name)).first()
        if task is None:
            task = ReviewTask.objects.create(name=str(name), same_department=same_department)
            task.groups.add(groups[role_code])
        tasks[key] = task
    workflows = {}
    for kind, levels in workflow_levels().items():
        route = ReviewWorkflow.objects.filter(kind=kind).select_related("workflow").first()
        if route is None:
            workflow = Workflow.objects.create(name=str(ReviewWorkflow.Kind(kind).label))
            for order, key in enumerate(levels):
                WorkflowTask.objects.create(workflow=workflow, task=tasks[key], sort_order=order)
            route = ReviewWorkflow.objects.create(kind=kind, workflow=workflow)
        workflows[kind] = route.workflow
    return workflows
