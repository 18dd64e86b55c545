from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("网站栏目与信息")

    def ready(self):
        from . import purging, signals  # noqa: F401
        from .file_admin import register_permission_policies

        register_permission_policies()
