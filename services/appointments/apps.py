from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "services.appointments"
    label = "appointments"
    verbose_name = _("在线预约")

    def ready(self):
        from . import signals  # noqa: F401
