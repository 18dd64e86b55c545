from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "services.accounts"
    label = "accounts"
    verbose_name = _("用户账号")

    def ready(self):
        from . import lockout  # noqa: F401 (connects the sign-in alerts)
