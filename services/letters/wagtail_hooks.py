"""Admin wiring: the officials' desk (信件办理) and the mailboxes as a snippet."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.service_registry import PublicService, Section

from . import admin_views, views
from .models import Mailbox
from .permissions import is_letters_staff


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
            path("attachment/<int:pk>/", admin_views.attachment, name="attachment"),
            path("<int:pk>/", admin_views.detail, name="detail"),
            path("<int:pk>/draft/<int:assignment_pk>/", admin_views.draft, name="draft"),
            path("<int:pk>/return/<int:assignment_pk>/", admin_views.return_draft, name="return_draft"),
            path("<int:pk>/<str:action>/", admin_views.act, name="act"),
        ]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        item.is_shown = lambda request: is_letters_staff(request.user)
        return item


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


@hooks.register("site_search_section")
def letters_in_site_search(query, size):
    return views.site_search_section(query, size)


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
