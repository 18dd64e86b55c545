"""Admin wiring of the cross-cutting pieces: the holiday notices of the working-day calendar
(设置 → 节假日安排), the dashboard warning about years nobody has entered yet, and each staff
member's notices (我的通知)."""

from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.snippets.action_menu import PublishMenuItem, UnpublishMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from . import holidays
from .models import HolidayNotice, StaffNotice


class HolidayNoticeCreateView(CreateView):
    def get_initial(self):
        initial = super().get_initial()
        year = self.request.GET.get("year", "")
        if year.isdigit():
            initial["year"] = int(year)
        return initial


class HolidayNoticeViewSet(SnippetViewSet):
    model = HolidayNotice
    icon = "date"
    menu_label = _("节假日安排")
    add_to_settings_menu = True
    add_view_class = HolidayNoticeCreateView
    list_display = ["__str__", "document_no", "issued_on", "state_label"]
    edit_handler = ObjectList(
        [
            FieldPanel("year"),
            FieldPanel("document_no"),
            FieldPanel("issued_on"),
            FieldPanel("note"),
            InlinePanel(
                "holidays",
                heading=_("放假"),
                label=_("节假日"),
                help_text=_("按通知原文逐项填写：节日名称和放假起止日期（含其中的周末）。"),
            ),
            InlinePanel(
                "adjusted_workdays",
                heading=_("调休上班"),
                label=_("调休上班日"),
                help_text=_("通知中写明上班的周六、周日。"),
            ),
        ],
        base_form_class=holidays.HolidayNoticeForm,
    )


register_snippet(HolidayNoticeViewSet)


class ConfirmMenuItem(PublishMenuItem):
    """Publishing a notice is what makes it count: the buttons say so."""

    template_name = "portal/admin/confirm_menu_item.html"


class WithdrawMenuItem(UnpublishMenuItem):
    label = _("撤销确认")


@hooks.register("construct_snippet_action_menu")
def confirm_rather_than_publish(menu_items, request, context):
    if context.get("model") is not HolidayNotice:
        return
    for index, item in enumerate(menu_items):
        if isinstance(item, PublishMenuItem):
            menu_items[index] = ConfirmMenuItem(order=item.order)
        elif isinstance(item, UnpublishMenuItem):
            menu_items[index] = WithdrawMenuItem(order=item.order)


class MissingHolidayNoticePanel(Component):
    name = "missing_holiday_notice"
    template_name = "portal/admin/missing_holiday_notice_panel.html"
    order = 40

    def __init__(self, missing):
        self.missing = missing

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["missing"] = self.missing
        return context


@hooks.register("construct_homepage_panels")
def warn_about_missing_holiday_notices(request, panels):
    if not holidays.can_edit_calendar(request.user):
        return
    missing = holidays.missing_years(timezone.localdate())
    if missing:
        panels.append(MissingHolidayNoticePanel(missing))


class StaffNoticePanel(Component):
    """我的通知: what the portal told this staff member they must act on, unread first."""

    name = "staff_notices"
    template_name = "portal/admin/staff_notice_panel.html"
    order = 30

    def __init__(self, notices, unread):
        self.notices, self.unread = notices, unread

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(notices=self.notices, unread=self.unread)
        return context


@hooks.register("construct_homepage_panels")
def staff_notices(request, panels):
    notices = StaffNotice.objects.filter(recipient=request.user)
    unread = notices.filter(read_at__isnull=True).count()
    latest = list(notices.order_by(F("read_at").asc(nulls_first=True), "-created_at")[:10])
    if latest:
        panels.append(StaffNoticePanel(latest, unread))


@require_POST
def read_staff_notices(request):
    StaffNotice.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("通知已全部标为已读。"))
    return redirect("wagtailadmin_home")


@hooks.register("register_admin_urls")
def staff_notice_urls():
    return [path("notices/read/", read_staff_notices, name="portal_read_staff_notices")]
