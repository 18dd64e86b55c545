"""Admin wiring: the officials' desk (信件办理) and the mailboxes as a snippet."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.service_registry import PublicService, Section

from . import admin_views, deadlines, worklist
from .models import Mailbox
from .permissions import is_letters_staff
from .site_search import LetterSource


class LetterDeskViewSet(ViewSet):
    name = "letters_desk"
    url_prefix = "letters"
    icon = "mail"
    menu_label = _("信件办理")
    add_to_admin_menu = True
    menu_order = 250

    def get_urlpatterns(self):
        return [
            path("", admin_views.desk, name="index"),
            path("export/", admin_views.export, name="export"),
            path("ledger/", admin_views.ledger, name="ledger"),
            path("phone/", admin_views.phone_search, name="phone_search"),
            path("enter/", admin_views.enter, name="enter"),
            path("attachment/<int:pk>/", admin_views.attachment, name="attachment"),
            path("<int:pk>/", admin_views.detail, name="detail"),
            path("<int:pk>/draft/<int:assignment_pk>/", admin_views.draft, name="draft"),
            path("<int:pk>/contact/", admin_views.contact, name="contact"),
            path("<int:pk>/return/<int:assignment_pk>/", admin_views.return_draft, name="return_draft"),
            path(
                "<int:pk>/supervision/<int:supervision_pk>/",
                admin_views.answer_supervision,
                name="answer_supervision",
            ),
            path("<int:pk>/<str:action>/", admin_views.act, name="act"),
        ]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        return LetterDeskMenuItem(item.label, item.url, name=item.name, icon_name=item.icon_name, order=item.order)


class LetterDeskMenuItem(MenuItem):
    """信件办理 in the menu, with the number of letters waiting for the signed-in user."""

    def is_shown(self, request):
        return is_letters_staff(request.user)

    def render_component(self, request):
        waiting = sum(worklist.counts(request.user).values())
        label = _("%(label)s（%(n)s）") % {"label": self.label, "n": waiting} if waiting else self.label
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )


class MailboxViewSet(SnippetViewSet):
    model = Mailbox
    icon = "mail"
    menu_label = _("信箱设置")
    list_display = ["name", "department", "is_active", "is_report_mailbox", "sort_order"]
    add_to_settings_menu = True


@hooks.register("register_admin_viewset")
def register_letter_desk():
    return LetterDeskViewSet()


register_snippet(MailboxViewSet)


@hooks.register("register_site_search_source")
def letters_in_site_search():
    return LetterSource()


@hooks.register("register_public_services")
def letter_services():
    interaction = (Section.INTERACTION,)
    return [
        PublicService(
            key="letters.write",
            title=_("给县领导写信"),
            summary=_("向县领导咨询、建议、投诉、求助和举报；提交后获得信件编号和查询密码。"),
            url_name="letters:write",
            sections=interaction,
            order=10,
        ),
        PublicService(
            key="letters.track",
            title=_("信件查询"),
            summary=_("凭信件编号和查询密码查看办理进度和答复内容。"),
            url_name="letters:track",
            sections=interaction,
            order=11,
        ),
        PublicService(
            key="letters.list",
            title=_("信件选登"),
            summary=_("已公开的来信、答复和每月办理统计。"),
            url_name="letters:list",
            sections=interaction,
            order=12,
        ),
        PublicService(
            key="letters.mine",
            title=_("我的信件"),
            summary=_("登录后查看本人写过的全部信件和办理情况。"),
            url_name="letters:mine",
            sections=interaction,
            requires_login=True,
            order=13,
        ),
    ]


@hooks.register("register_workday_deadlines")
def letter_deadlines(years):
    return deadlines.provisional_deadlines(years)


class LetterWorkPanel(Component):
    """信件待办: what waits for the signed-in official or handling department, with counts,
    each opening the desk filtered to exactly those letters."""

    name = "letters_work"
    template_name = "letters/admin/work_panel.html"
    order = 80

    def __init__(self, counts):
        self.counts = counts

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["items"] = [(name, worklist.TODOS[name], count) for name, count in self.counts.items()]
        context["total"] = sum(self.counts.values())
        return context


@hooks.register("construct_homepage_panels")
def letter_work_panel(request, panels):
    if is_letters_staff(request.user):
        panels.append(LetterWorkPanel(worklist.counts(request.user)))
