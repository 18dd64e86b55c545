from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "services.cases"
    label = "cases"
    verbose_name = _("案件信息公开")

    def ready(self):
        from . import bindings, purging  # noqa: F401 (connect the lawyer-revocation receiver, the page-cache purges)
