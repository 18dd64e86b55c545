"""A county site with its review set up as the product sets it up: role groups (portal.roles),
review workflows (home.review), one real user per role, page permissions per role and per
department, and the admin's own forms to create, submit and review articles."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, Page, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from home.models import ArticlePage, ColumnPage
from home.review import ensure_review_workflows
from portal import roles
from portal.models import Department

from .builders import add_page, build_portal, login_staff


@dataclass
class ReviewSite:
    portal: object
    education: Department
    health: Department
    education_news: ColumnPage
    health_news: ColumnPage
    users: dict
    workflows: dict


def make_user(username, groups, department=None, **extra):
    user = get_user_model().objects.create_user(
        username=username,
        password=f"Test#{username}2026",
        email=f"{username}@qingshan.example",
        display_name=extra.pop("display_name", username),
        department=department,
        is_staff=True,
        **extra,
    )
    user.groups.add(*groups)
    return user


def build_review_site():
    portal = build_portal()
    # Transactional tests flush the root collection Wagtail's migrations made; put it back.
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    groups = roles.ensure_role_groups()
    workflows = ensure_review_workflows(groups)
    office, _ = Department.objects.get_or_create(code="zfb", defaults={"name": "县政府办公室"})
    education, _ = Department.objects.get_or_create(code="jyj", defaults={"name": "县教育局"})
    health, _ = Department.objects.get_or_create(code="wjj", defaults={"name": "县卫生健康局"})
    education_news = add_page(
        portal.news, ColumnPage(title="教育动态", slug="jydt", kind=ColumnPage.Kind.NEWS, department=education)
    )
    health_news = add_page(
        portal.news, ColumnPage(title="卫生健康动态", slug="wjdt", kind=ColumnPage.Kind.NEWS, department=health)
    )

    users = {
        "editor": make_user("editor", [groups["editor"]], office, display_name="李晓明"),
        "editor2": make_user("editor2", [groups["editor"]], office, display_name="张伟"),
        "managing": make_user("managing", [groups["managing"]], office, display_name="陈静"),
        "chief": make_user("chief", [groups["chief"]], office, display_name="刘志国"),
        "office": make_user("office", [groups["office"]], office, display_name="赵敏"),
        "leader": make_user("leader", [groups["leader"]], office, display_name="周振华"),
        # One person holding two review roles: the case separation of duties is about.
        "both": make_user("both", [groups["managing"], groups["chief"]], office, display_name="钱双岗"),
        "deptofficer": make_user("deptofficer", [groups["deptofficer"]], education, display_name="王丽娟"),
        "deptleader": make_user("deptleader", [groups["deptleader"]], education, display_name="张建华"),
        "healthleader": make_user("healthleader", [groups["deptleader"]], health, display_name="孙卫东"),
    }
    roles.grant_page_permissions(groups["editor"], [portal.home], ("add", "change"))
    roles.grant_page_permissions(groups["managing"], [portal.home], ("change",))
    roles.grant_page_permissions(groups["chief"], [portal.home], ("change",))
    for department, column in ((education, education_news), (health, health_news)):
        for code in ("deptofficer", "deptleader"):
            role = roles.ROLES_BY_CODE[code]
            group, _ = Group.objects.get_or_create(name=roles.department_group_name(department, role))
            roles.grant_page_permissions(group, [column], role.page_permissions)
            for user in users.values():
                if user.department_id == department.pk and user.groups.filter(pk=groups[code].pk).exists():
                    user.groups.add(group)
    return ReviewSite(portal, education, health, education_news, health_news, users, workflows)


# --- The admin's own forms ---------------------------------------------------------------


class CsrfClient(Client):
    """A test client that checks CSRF as production does, and sends the token the way the admin's
    pages and scripts do: the token of the csrftoken cookie in the X-CSRFToken header."""

    def __init__(self, **defaults):
        super().__init__(enforce_csrf_checks=True, **defaults)

    def post(self, path, data=None, *args, headers=None, **kwargs):
        cookie = self.cookies.get(settings.CSRF_COOKIE_NAME)
        if cookie is not None:
            headers = {"X-CSRFToken": cookie.value, **(headers or {})}
        return super().post(path, data, *args, headers=headers, **kwargs)


def api_action(client, page, action, **data):
    """POST an action of Wagtail's admin API, as the admin's own scripts do (JSON)."""
    return client.post(f"/admin/api/main/pages/{page.pk}/action/{action}/", data, content_type="application/json")


def article_form(**fields):
    """POST data of the article edit form with a complete editorial record unless overridden."""
    today = timezone.localdate()
    data = {
        "title": "县教育局部署秋季学期安全工作",
        "slug": "",
        "date": today.isoformat(),
        "summary": "部署秋季学期校园安全工作。",
        "body": rich_text("<p>会议要求各学校压实安全责任，开展隐患排查。</p>"),
        "source": "县教育局",
        "collected_on": (today - datetime.timedelta(days=1)).isoformat(),
        "collector": "王丽娟",
        "is_excerpt": "",
        "author": "",
        "original_source": "",
        "document_no": "",
        "issuing_body": "",
        "written_on": "",
        "topic": "",
        "validity": "valid",
        "superseded_by": "",
        "is_sensitive": "",
        "attachments": inline_formset([]),
        "comments": inline_formset([]),
    }
    data.update(fields)
    data["slug"] = data["slug"] or slugify(data["title"], allow_unicode=True)
    for name in [name for name, value in data.items() if value is None]:
        del data[name]
    if data.get("is_sensitive") == "":
        del data["is_sensitive"]
    if data.get("is_excerpt") == "":
        del data["is_excerpt"]
    return nested_form_data(data)


def form_of(article, **fields):
    """The edit form as it would be posted for the article's latest version, with changes."""
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    values = {
        "title": latest.title,
        "slug": latest.slug,
        "date": latest.date.isoformat(),
        "summary": latest.summary,
        "body": rich_text(latest.body),
        "source": latest.source,
        "collected_on": latest.collected_on.isoformat() if latest.collected_on else "",
        "collector": latest.collector,
        "is_excerpt": "on" if latest.is_excerpt else "",
        "author": latest.author,
        "original_source": latest.original_source,
        "document_no": latest.document_no,
        "issuing_body": latest.issuing_body,
        "written_on": latest.written_on.isoformat() if latest.written_on else "",
        "topic": latest.topic,
        "validity": latest.validity,
        "superseded_by": latest.superseded_by_id or "",
        "is_sensitive": "on" if latest.is_sensitive else "",
    }
    values.update(fields)
    return article_form(**values)


def create_article(client, column, action="action-submit", **fields):
    """Create an article in `column` through the admin's create view; returns (response, article)."""
    data = article_form(**fields)
    data[action] = "1"
    response = client.post(f"/admin/pages/add/home/articlepage/{column.pk}/", data)
    article = ArticlePage.objects.child_of(column).filter(title=data["title"]).order_by("-pk").first()
    return response, article


def edit_article(client, article, action=None, **fields):
    data = form_of(article, **fields)
    if action:
        data[action] = "1"
    return client.post(f"/admin/pages/{article.pk}/edit/", data)


def current_task_state(article):
    state = Page.objects.get(pk=article.pk).specific.current_workflow_task_state
    return state


def act(client, article, action, comment=""):
    """Approve or send back the item at its current level, as the approve / request-changes dialog
    of the dashboard and the editor does: an XHR POST to the admin's workflow action view.
    Returns the status code: 200 when done, 403 when refused."""
    state = current_task_state(article)
    assert state is not None, "the item is not waiting for review"
    response = client.post(
        f"/admin/pages/workflow/action/{article.pk}/{action}/{state.pk}/",
        {"comment": comment},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    if response.status_code == 200:
        assert response.json()["step"] == "success", response.content[:300]
    return response.status_code


def levels_done(article):
    """Names of the levels approved in the item's latest review, in order."""
    state = Page.objects.get(pk=article.pk).specific.workflow_states.order_by("-created_at").first()
    return list(
        state.task_states.filter(status=TaskState.STATUS_APPROVED)
        .order_by("finished_at")
        .values_list("task__name", flat=True)
    )


def is_live(article):
    return ArticlePage.objects.filter(pk=article.pk, live=True).exists()


def sent_back_once_then_published(client, site):
    """A news item the 网站主编 sends back once, then both levels approve and so publish it."""
    users = site.users
    login_staff(client, users["editor"])
    _response, article = create_article(client, site.portal.news, title="县政府召开防汛抗旱总结会")
    login_staff(client, users["managing"])
    act(client, article, "reject", "请补充会议时间")
    login_staff(client, users["editor"])
    edit_article(client, article, action="action-submit", title="县政府召开2026年防汛抗旱总结会")
    login_staff(client, users["managing"])
    act(client, article, "approve", "同意")
    login_staff(client, users["chief"])
    act(client, article, "approve", "同意发布")
    return article
