from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户公共组件")

    def ready(self):
        # Registers the deployment checks and connects the holiday notices' signal receivers.
        from . import checks, holidays  # noqa: F401
