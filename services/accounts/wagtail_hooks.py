from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from portal.service_registry import PublicService, Section

from . import admin_views
from .models import LawyerProfile
from .workflow import RESOLVE_REAL_NAME, VERIFY_LAWYER


@hooks.register("register_admin_urls")
def register_admin_urls():
    patterns = [
        path("lawyers/", admin_views.lawyer_list, name="lawyer_list"),
        path("lawyers/<int:pk>/", admin_views.lawyer_detail, name="lawyer_detail"),
        path("real-names/", admin_views.real_name_list, name="real_name_list"),
        path("real-names/<int:pk>/", admin_views.resolve_real_name, name="resolve_real_name"),
        path("lockouts/", admin_views.lockout_list, name="lockout_list"),
        path("lockouts/<int:pk>/unlock/", admin_views.unlock, name="unlock"),
    ]
    return [path("accounts/", include((patterns, "accounts_admin"), namespace="accounts_admin"))]


class PermissionMenuItem(MenuItem):
    """A menu item for the holders of one permission. With `waiting` (a function returning how
    many items wait for a decision, in one query), the label shows that number when there are any."""

    def __init__(self, *args, permission, waiting=None, **kwargs):
        self.permission = permission
        self.waiting = waiting
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)

    def render_component(self, request):
        count = self.waiting() if self.waiting else 0
        label = _("%(label)s（%(n)s）") % {"label": self.label, "n": count} if count else self.label
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )


@hooks.register("register_admin_menu_item")
def lawyer_menu_item():
    return PermissionMenuItem(
        _("律师认证"),
        reverse("accounts_admin:lawyer_list"),
        icon_name="user",
        order=900,
        permission=VERIFY_LAWYER,
        waiting=lambda: LawyerProfile.objects.filter(status=LawyerProfile.Status.PENDING).count(),
    )


@hooks.register("register_admin_menu_item")
def real_name_menu_item():
    return PermissionMenuItem(
        _("实名登记核实"),
        reverse("accounts_admin:real_name_list"),
        icon_name="user",
        order=905,
        permission=RESOLVE_REAL_NAME,
    )


@hooks.register("register_admin_menu_item")
def lockout_menu_item():
    return PermissionMenuItem(
        _("登录锁定"),
        reverse("accounts_admin:lockout_list"),
        icon_name="lock",
        order=910,
        permission=admin_views.UNLOCK_ACCOUNT,
    )


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action("accounts.unlock", _("解除登录锁定"), _("解除了登录锁定"))
    actions.register_action("accounts.real_name_confirm", _("确认实名登记"), _("确认了实名登记"))
    actions.register_action("accounts.real_name_revoke", _("撤销实名登记"), _("撤销了实名登记"))


@hooks.register("register_public_services")
def account_services():
    return [
        PublicService(
            key="accounts.lawyer",
            title=_("律师身份认证"),
            summary=_("律师上传执业证书申请认证，通过后可绑定案件、查询案件程序性信息。"),
            url_name="accounts:lawyer",
            sections=(Section.CASE_INFORMATION,),
            requires_login=True,
            order=33,
        ),
    ]
