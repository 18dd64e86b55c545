"""What the public pages show around a column: the online services of its section (from the
services registry, with the editors' guide page where there is one) and the menu of the
top-level column it belongs to. A fixed number of queries, however many items are listed."""

from dataclasses import dataclass, field

from portal.service_registry import PublicService, services_in

from .models import ColumnPage, ServicePage
from .visibility import private


@dataclass(frozen=True)
class ServiceEntry:
    service: PublicService
    guide: ServicePage | None = None


def service_entries(services):
    """The services with the live guide page (ServicePage) editors wrote for each, if any."""
    services = list(services)
    if not services:
        return []
    guides = {}
    for page in (
        ServicePage.objects.live().exclude(private()).filter(service__in=[s.key for s in services]).order_by("path")
    ):
        guides.setdefault(page.service, page)
    return [ServiceEntry(service, guides.get(service.key)) for service in services]


@dataclass
class MenuItem:
    page: ColumnPage
    is_current: bool = False
    is_ancestor: bool = False
    children: list = field(default_factory=list)


@dataclass
class SectionMenu:
    section: ColumnPage
    items: list
    services: list

    def __bool__(self):
        return bool(self.items or self.services)


def section_menu(column):
    """The top-level column above `column` with its sub-columns two levels deep (the current
    position marked) and, on pages below it, its services; empty when there is nothing to list."""
    section = ColumnPage.objects.ancestor_of(column, inclusive=True).order_by("depth").first() or column
    nodes = (
        ColumnPage.objects.descendant_of(section)
        .live()
        .exclude(private())
        .filter(depth__lte=section.depth + 2)
        .order_by("path")
    )
    items, by_path = [], {}
    for node in nodes:
        item = MenuItem(
            node,
            is_current=node.pk == column.pk,
            is_ancestor=node.pk != column.pk and column.path.startswith(node.path),
        )
        by_path[node.path] = item
        parent = by_path.get(node.path[: -ColumnPage.steplen])
        (parent.children if parent else items).append(item)
    services = [] if section.pk == column.pk else services_in(section.services_section)
    return SectionMenu(section, items, services)
