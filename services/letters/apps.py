from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "services.letters"
    label = "letters"
    verbose_name = _("领导信箱")

    def ready(self):
        from . import purging  # noqa: F401 (connects the page-cache purges)
