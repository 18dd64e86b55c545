"""Admin wiring: the 在线预约 menu with the desk (预约工作台), the services with their weekly
plans, the locations and the leader reception days."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from portal.service_registry import PublicService, Section

from . import admin_views
from .admin_forms import ReceptionDayForm
from .models import Location, ReceptionDay, Service


class DeskViewSet(ViewSet):
    name = "appointments_desk"
    url_prefix = "appointments"
    icon = "calendar-check"
    menu_label = _("预约工作台")
    menu_order = 100

    def get_urlpatterns(self):
        return [
            path("", admin_views.desk, name="index"),
            path("check-in/", admin_views.check_in, name="check_in"),
            path("export/", admin_views.export, name="export"),
            path("bookings/<int:pk>/no-show/", admin_views.no_show, name="no_show"),
            path("close/<int:service_pk>/<str:day>/", admin_views.close, name="close"),
            path("follow-ups/<int:pk>/", admin_views.follow_up, name="follow_up"),
            path("appeals/", admin_views.appeals, name="appeals"),
            path("appeals/<int:pk>/", admin_views.decide, name="decide"),
        ]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        item.is_shown = lambda request: admin_views.has_desk(request.user)
        return item


class ServiceViewSet(ModelViewSet):
    model = Service
    name = "appointment_services"
    url_prefix = "appointments/services"
    icon = "date"
    menu_label = _("预约事项")
    menu_order = 200
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["name", "kind", "department", "location", "capacity", "is_active"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name"]


class LocationViewSet(ModelViewSet):
    model = Location
    name = "appointment_locations"
    url_prefix = "appointments/locations"
    icon = "site"
    menu_label = _("办事地点")
    menu_order = 300
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["name", "address", "department", "phone", "directions"]
    list_display = ["name", "address", "department", "phone"]


class ReceptionDayViewSet(ModelViewSet):
    model = ReceptionDay
    name = "reception_days"
    url_prefix = "appointments/reception-days"
    icon = "group"
    menu_label = _("领导接访日")
    menu_order = 400
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["date", "leader_title", "leader_name", "place", "is_published"]
    list_filter = ["is_published"]
    edit_handler = ObjectList(
        [
            FieldPanel("service"),
            FieldRowPanel([FieldPanel("leader_name"), FieldPanel("leader_title")]),
            FieldRowPanel([FieldPanel("date"), FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("capacity")]),
            FieldPanel("place"),
            FieldPanel("scope"),
            FieldPanel("is_published"),
        ],
        base_form_class=ReceptionDayForm,
    )


class AppointmentsGroup(ViewSetGroup):
    menu_label = _("在线预约")
    menu_icon = "calendar-alt"
    menu_order = 260
    items = (DeskViewSet, ServiceViewSet, LocationViewSet, ReceptionDayViewSet)


@hooks.register("register_admin_viewset")
def register_appointments():
    return AppointmentsGroup()


@hooks.register("register_public_services")
def appointment_services():
    return [
        PublicService(
            key="appointments.index",
            title=_("在线预约"),
            summary=_("预约县政务服务中心各窗口的办事时段，以及律师阅卷、会见；按预约时间凭预约码签到。"),
            url_name="appointments:index",
            sections=(Section.ONLINE_SERVICES, Section.CASE_INFORMATION),
            order=20,
        ),
        PublicService(
            key="appointments.receptions",
            title=_("县领导接访预约"),
            summary=_("查看县领导接访日安排，预约当面反映问题。"),
            url_name="appointments:receptions",
            sections=(Section.INTERACTION,),
            order=14,
        ),
        PublicService(
            key="appointments.mine",
            title=_("我的预约"),
            summary=_("登录后查看、取消或改约本人的预约，下载日历文件，评价办理服务。"),
            url_name="appointments:mine",
            sections=(Section.ONLINE_SERVICES,),
            requires_login=True,
            order=21,
        ),
    ]
