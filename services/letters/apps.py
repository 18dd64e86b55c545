from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "services.letters"
    label = "letters"
    verbose_name = _("领导信箱")

    def ready(self):
        # Counting deadlines again when the holiday calendar changes; the page-cache purges.
        from . import deadlines, purging  # noqa: F401
