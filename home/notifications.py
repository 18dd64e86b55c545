"""E-mail to the reviewers of the next level when an item reaches them (with the link to its review
screen) — or to the 网站总编 when nobody holding that level may act — sent by a background task
after the transaction commits (TASKS["default"]["ENQUEUE_ON_COMMIT"])."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from .models import ReviewTaskState
from .review import blocked_holders, stands_in


def reviewers_for(task_state):
    """Active users with an e-mail address who may act on this task state now."""
    review_task = task_state.task.specific
    page = task_state.workflow_state.content_object
    members = get_user_model().objects.filter(groups__in=review_task.groups.all(), is_active=True).exclude(email="")
    return [user for user in members.distinct() if review_task.may_act(page, user)]


def stand_ins_for(task_state):
    """The 网站总编 (home.review.stands_in) with an e-mail address, when nobody holding the level may act."""
    review_task = task_state.task.specific
    page = task_state.workflow_state.content_object
    withdrawing = Group.objects.filter(
        Q(permissions__codename="withdraw_articlepage", permissions__content_type__app_label="home")
    )
    chiefs = get_user_model().objects.filter(groups__in=withdrawing, is_active=True).exclude(email="")
    return [user for user in chiefs.distinct() if stands_in(review_task, page, user)]


@task()
def notify_reviewers(task_state_id):
    task_state = TaskState.objects.filter(pk=task_state_id).select_related("task", "workflow_state").first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return 0
    page = task_state.workflow_state.content_object.specific
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("home_review", args=(page.pk,))
    subject = _("【待审核】%(title)s") % {"title": page.get_admin_display_title()}
    reviewers = reviewers_for(task_state)
    if not reviewers:
        return notify_stand_ins(task_state, page, link)
    messages = []
    for user in reviewers:
        body = _(
            "%(name)s：\n\n信息《%(title)s》已提交至“%(level)s”，等待您审核。\n审核地址：%(link)s\n\n"
            "（本邮件由%(site)s网站管理系统自动发送）"
        ) % {
            "name": user,
            "title": page.get_admin_display_title(),
            "level": task_state.task.name,
            "link": link,
            "site": settings.WAGTAIL_SITE_NAME,
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


def notify_stand_ins(task_state, page, link):
    """Nobody holding the level may act (its only holder submitted the item, or acted at another
    level): the 网站总编 is told who is blocked and asked to review at that level."""
    blocked = "、".join(str(user) for user in blocked_holders(task_state.task.specific, page))
    if blocked:
        why = _("本级审核人%(names)s提交过或已在其他级次审核过这条信息，不能审核，本级没有其他审核人。")
        why = why % {"names": blocked}
    else:
        why = _("本级没有可以审核的人。")
    subject = _("【待代审】%(title)s") % {"title": page.get_admin_display_title()}
    messages = []
    for user in stand_ins_for(task_state):
        body = _(
            "%(name)s：\n\n信息《%(title)s》由%(submitter)s提交，已到“%(level)s”环节。%(why)s请您代为审核。\n"
            "审核地址：%(link)s\n\n（本邮件由%(site)s网站管理系统自动发送）"
        ) % {
            "name": user,
            "title": page.get_admin_display_title(),
            "submitter": task_state.workflow_state.requested_by or _("系统"),
            "level": task_state.task.name,
            "why": why,
            "link": link,
            "site": settings.WAGTAIL_SITE_NAME,
        }
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
    return send_mass_mail(messages, fail_silently=False) if messages else 0


@receiver(task_submitted, sender=ReviewTaskState)
def queue_reviewer_notification(sender, instance, user=None, **kwargs):
    notify_reviewers.enqueue(instance.pk)


@task()
def notify_review_restarted(page_id, user_id, reason):
    """Tell the earlier submitter that the item's review started again, and why."""
    from .models import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if page is None or user is None:
        return 0
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wagtailadmin_pages:edit", args=(page.pk,))
    subject = _("【重新审核】%(title)s") % {"title": page.get_admin_display_title()}
    body = _(
        "%(name)s：\n\n您提交的信息《%(title)s》%(reason)s\n信息地址：%(link)s\n\n"
        "（本邮件由%(site)s网站管理系统自动发送）"
    ) % {
        "name": user,
        "title": page.get_admin_display_title(),
        "reason": reason,
        "link": link,
        "site": settings.WAGTAIL_SITE_NAME,
    }
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])], fail_silently=False)
