from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户公共组件")

    def ready(self):
        from . import checks, service_registry  # noqa: F401 (register the deployment and registry checks)
