from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户公共组件")

    def ready(self):
        # Registers the deployment and registry checks and the holiday notices' signal receivers.
        from . import checks, holidays, service_registry  # noqa: F401

        # What every page shows can change with a deployment (menus list the installed online
        # services): `migrate`, which every deployment runs, drops the kept anonymous pages.
        post_migrate.connect(clear_page_cache, sender=self)


def clear_page_cache(**kwargs):
    from .page_cache import purge_everything

    purge_everything()
