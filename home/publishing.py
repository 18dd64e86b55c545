"""The doors through which an article goes live or changes.

The last approval publishes exactly the revision every level approved; any other door that would
publish, change, move, remove or duplicate-live an article is refused here, whoever asks, the
site administrator included (an IT role, not an editorial one). Each rule is a plain function that
returns the Chinese refusal, or None when the door is open, so the permission testers
(home.models), the admin hooks, the admin API and any later review screen ask the same question.

Imported by Wagtail while its models load (WAGTAIL_FINISH_WORKFLOW_ACTION), so this module
imports nothing from the apps at the top.
"""

from django.utils.translation import gettext_lazy as _

NOT_BY_REVIEW = _("信息只能经各级审核通过后发布，不能直接发布。")
NOT_A_WITHDRAWER = _("只有网站总编可以撤下已发布的信息（系统管理员不承担编辑职责）。")
WITHDRAWAL_NEEDS_REASON = _("撤下已发布的信息须写明撤下理由，理由记入审核记录和审签单。")
NOT_LIVE = _("这条信息目前没有发布，无需撤下。")
NO_SCHEDULED_WITHDRAWAL = _("信息不能设定到期自动下线：撤下须由网站总编写明理由后操作。")
ARCHIVED = _("发布过的信息按规定存档，不能删除；如需下线，请网站总编撤下。")
IN_REVIEW_NOT_REMOVABLE = _("审核中的信息不能删除或移动，请先撤回审核。")
HOLDS_ARCHIVE = _("该栏目下有发布过或正在审核的信息，不能删除。")
HOLDS_REVIEW = _("该栏目下有正在审核的信息，不能移动。")
PUBLISHED_NOT_MOVABLE = _("发布过的信息不能移动到其他栏目；请复制到新栏目，经审核发布后由网站总编撤下原信息。")
COPY_AS_DRAFT = _("复制的信息只能保存为草稿，经审核后发布（请设置 keep_live 为 false）。")
NO_ALIASES = _("信息不能以别名或译本的形式出现在其他位置；请复制为草稿后提交审核。")
ONE_LANGUAGE = _("本站只有简体中文版本，不提供译本复制。")
COLUMNS_BY_ADMIN = _("栏目由系统管理员设置：新建或复制栏目请联系系统管理员，编辑只在栏目中撰写信息。")


def publish_approved(workflow_state, user=None):
    """The last approval publishes the revision every level approved, and only that revision.
    Direct publishing is refused to everyone (home.models.ArticlePermissionTester), so this skips
    that check; Wagtail logs the publication with the last approver as actor.

    Nothing is published, and the review starts again from its first level, when the levels
    approved different revisions, when a newer revision exists than the approved one, or when the
    approved version now needs another review (it was marked sensitive, or moved)."""
    from .review import NEEDS_ANOTHER_REVIEW, NEWER_THAN_APPROVED, approved_revision, restart_review, workflow_for

    page = workflow_state.content_object.specific
    revision = approved_revision(workflow_state)
    latest = page.get_latest_revision()
    if revision is None or latest is None or revision.pk != latest.pk:
        restart_review(page, latest.user if latest else None, NEWER_THAN_APPROVED)
        return
    required = workflow_for(revision.as_object())
    if required is not None and required.pk != workflow_state.workflow_id:
        restart_review(page, None, NEEDS_ANOTHER_REVIEW)
        return
    revision.publish(user=user, skip_permission_checks=True)


# --- Who may do what to an article ---------------------------------------------------------


def is_article(page):
    """Articles and every other page type that goes live only through review (home.models.ReviewedPage)."""
    from .models import ReviewedPage

    return isinstance(page.specific_deferred, ReviewedPage)


def _articles_within(page):
    from django.apps import apps
    from wagtail.models import Page

    from .models import ReviewedPage

    reviewed = [model for model in apps.get_models() if issubclass(model, ReviewedPage)]
    return Page.objects.descendant_of(page, inclusive=True).type(*reviewed)


def _in_review(articles):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import IntegerField
    from django.db.models.functions import Cast
    from wagtail.models import Page, WorkflowState

    reviewed = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS, base_content_type=ContentType.objects.get_for_model(Page)
    ).annotate(page_id=Cast("object_id", IntegerField()))
    return articles.filter(pk__in=reviewed.values("page_id"))


def under_review(page):
    """Whether a review of `page` is under way (WorkflowState in progress)."""
    from .review import review_in_progress

    return review_in_progress(page) is not None


def change_refusal(page):
    """Editing, reverting or replacing an article under review: refused to everyone. Reviewers
    approve or send back with a comment; the submitter withdraws the review to change it."""
    from .review import UNDER_REVIEW

    if is_article(page) and under_review(page):
        return UNDER_REVIEW
    return None


def may_withdraw(user):
    """Withdrawing a published article is the 网站总编's (home.withdraw_articlepage, held through
    the role group); being a superuser gives no editorial power."""
    return user.is_active and not user.is_superuser and user.has_perm("home.withdraw_articlepage")


def withdrawal_refusal(page, user):
    if is_article(page) and not may_withdraw(user):
        return NOT_A_WITHDRAWER
    return None


def withdraw(page, user, reason):
    """The 网站总编 takes a published article offline, with a reason that the page log keeps beside
    the withdrawal (审核记录, 审签单). Every door that unpublishes an article calls this. Returns
    the refusal, or None when done; on a refusal nothing changes."""
    from django.db import transaction
    from wagtail.actions.unpublish_page import UnpublishPageAction
    from wagtail.log_actions import log

    reason = (reason or "").strip()
    refusal = withdrawal_refusal(page, user)
    if refusal is None and not page.live:
        refusal = NOT_LIVE
    if refusal is None and not reason:
        refusal = WITHDRAWAL_NEEDS_REASON
    if refusal is not None:
        return refusal
    with transaction.atomic():
        UnpublishPageAction(page, user=user, log_action=False).execute(skip_permission_checks=True)
        log(instance=page, action="wagtail.unpublish", user=user, data={"comment": reason})
    return None


def deletion_refusal(page):
    """A published article is archived with its history, so nobody deletes it (the 网站总编
    withdraws it); an article under review is not deleted either. A column or the home page
    holding such articles is not deleted."""
    if is_article(page):
        if page.first_published_at is not None:
            return ARCHIVED
        if under_review(page):
            return IN_REVIEW_NOT_REMOVABLE
        return None
    articles = _articles_within(page)
    if articles.filter(first_published_at__isnull=False).exists() or _in_review(articles).exists():
        return HOLDS_ARCHIVE
    return None


def move_refusal(page):
    """An article that has been published or is under review stays in its column (its address,
    column and department are part of what was reviewed). Columns may be moved by whoever Wagtail
    lets move them, unless an article below them is under review."""
    if is_article(page):
        if page.first_published_at is not None:
            return PUBLISHED_NOT_MOVABLE
        if under_review(page):
            return IN_REVIEW_NOT_REMOVABLE
        return None
    if _in_review(_articles_within(page)).exists():
        return HOLDS_REVIEW
    return None


def copy_refusal(page, keep_live):
    """A copy is a new, unreviewed draft: copying with "keep live" is refused where articles are
    copied. The copy gets its own index number and review."""
    if keep_live and _articles_within(page).exists():
        return COPY_AS_DRAFT
    return None


def may_create_structure(user):
    """Columns (栏目) shape the site's navigation and the disclosure catalogue, and decide which
    review an item gets: the site administrator sets them up (portal.roles), editors write in them."""
    return user.is_active and user.is_superuser


def creation_refusal(user, page_class):
    """Creating a page of `page_class`: a column only by the site administrator."""
    from .models import ColumnPage

    if issubclass(page_class, ColumnPage) and not may_create_structure(user):
        return COLUMNS_BY_ADMIN
    return None


def structure_copy_refusal(user, page):
    """Copying `page` (with whatever it holds) creates the columns inside it anew."""
    from wagtail.models import Page

    from .models import ColumnPage

    if may_create_structure(user):
        return None
    if Page.objects.descendant_of(page, inclusive=True).type(ColumnPage).exists():
        return COLUMNS_BY_ADMIN
    return None


def alias_refusal(page):
    """Aliases mirror a page at another address without a review of their own, and converting one
    makes an independent live page nobody approved: neither is allowed for articles."""
    if _articles_within(page).exists():
        return NO_ALIASES
    return None
