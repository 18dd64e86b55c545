"""Registry of the portal's online services (在线服务), declared by the apps that provide them.

Columns, the home page and the footer list services from here, never from hand-made links,
so the site links to a service exactly when the code for it is installed: nothing is
promoted before it exists, and a new service appears everywhere once its app registers it.

Contract — an app declares its public services in its own ``wagtail_hooks.py``::

    from wagtail import hooks
    from portal.service_registry import PublicService, Section

    @hooks.register("register_public_services")
    def appointment_services():
        return [
            PublicService(
                key="appointments.book",            # unique, "<app>.<name>"
                title=_("在线预约"),
                summary=_("预约县政务服务中心各窗口的办事时段。"),
                url_name="appointments:book",       # a URL name without arguments
                sections=(Section.INTERACTION,),    # where it is listed (one or more)
                requires_login=True,                # the page asks anonymous visitors to sign in
            ),
        ]

A column (``ColumnPage.services_section``) lists the services of its section; the home page
lists them all, the footer all but those for verified lawyers only. An editor may add a guide
page (``ServicePage``) for a service; it is linked from the service's entry. ``manage.py
check`` refuses duplicate keys, unknown sections and URL names that do not resolve.
"""

from dataclasses import dataclass

from django.core.checks import Error, register
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

HOOK = "register_public_services"


class Section(models.TextChoices):
    """The groups of services a column can list; a service belongs to one or more."""

    INTERACTION = "interaction", _("互动交流")
    ONLINE_SERVICES = "online_services", _("在线办事")
    CASE_INFORMATION = "case_information", _("案件信息公开")


@dataclass(frozen=True)
class PublicService:
    key: str
    title: str
    summary: str
    url_name: str
    sections: tuple
    requires_login: bool = False
    lawyers_only: bool = False
    order: int = 100

    @property
    def url(self):
        return reverse(self.url_name)


def all_services():
    """Every registered service, in display order (by `order`, then key)."""
    services = [service for hook in hooks.get_hooks(HOOK) for service in hook()]
    return sorted(services, key=lambda service: (service.order, service.key))


def services_in(section):
    """The services listed in `section` (none for an empty section)."""
    if not section:
        return []
    return [service for service in all_services() if section in service.sections]


def get_service(key):
    return next((service for service in all_services() if service.key == key), None)


def service_choices():
    return [(service.key, service.title) for service in all_services()]


@register()
def check_registry(app_configs, **kwargs):
    errors, seen = [], set()
    for service in all_services():
        if service.key in seen:
            errors.append(Error(f"Public service {service.key!r} is registered twice.", id="portal.E101"))
        seen.add(service.key)
        if not service.sections or any(section not in Section.values for section in service.sections):
            errors.append(
                Error(
                    f"Public service {service.key!r} names an unknown section {service.sections!r}.",
                    hint=f"Use portal.service_registry.Section: {', '.join(Section.values)}.",
                    id="portal.E102",
                )
            )
        try:
            service.url  # noqa: B018 - resolving is the check
        except NoReverseMatch:
            errors.append(
                Error(
                    f"Public service {service.key!r}: URL name {service.url_name!r} does not resolve.", id="portal.E103"
                )
            )
    return errors
