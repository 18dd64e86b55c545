"""What a change to a page makes stale in the page cache (portal.page_cache), whichever door the
change came through: the review's last approval (home.publishing), the admin's publish,
unpublish, move and delete, scheduled publishing, or a live page saved by a command or import.

- An article: its own address, the columns above it and the home page (they list it), the
  disclosure catalogue, the pages that link to it (Wagtail's reference index: rich-text links,
  "current version" links) and the site search.
- Any other page (a column, a service guide) is shown in the breadcrumbs and section menus of its
  top-level section: every page of that section, and the home page. The home page and the
  top-level columns are in the main navigation on every page: everything.
- A section or page made private or public again (the admin's 隐私 setting): the page and
  everything below it, as if it had been unpublished or published there.
- The site settings and the 政务新媒体 accounts (footer) and the sites themselves: everything.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, ReferenceIndex, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.page_cache import purge, purge_everything

from .models import ArticlePage, ColumnPage, NewMediaAccount, PortalSettings

SEARCH_PATH = "/search/"
# Saving only these fields changes no public page (a draft revision, a lock, a child added).
DRAFT_FIELDS = {
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "wagtail_admin_comments",
    "locked",
    "locked_at",
    "locked_by",
    "numchild",
}


@dataclass(frozen=True)
class Place:
    """Where a page is (or was) in the tree: its treebeard path and its URL path."""

    path: str
    url_path: str


def public_path(url_path):
    """The address of a page with this url_path on its site, or None when no site serves it."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path.removeprefix(root.root_path)
    return None


def public_paths(url_paths):
    return {path for path in map(public_path, url_paths) if path is not None}


def site_root_depth(path):
    roots = [root for root in Site.objects.values_list("root_page__path", flat=True) if path.startswith(root)]
    return len(max(roots, key=len)) // Page.steplen if roots else 2


def ancestors(place):
    prefixes = [place.path[:end] for end in range(Page.steplen, len(place.path), Page.steplen)]
    return Page.objects.live().filter(path__in=prefixes).values_list("url_path", flat=True)


def linking_to(page_pk):
    """Live pages whose content or fields refer to the page (Wagtail's reference index)."""
    page_type = ReferenceIndex._get_base_content_type(Page)
    sources = ReferenceIndex.objects.filter(
        to_content_type=page_type, to_object_id=str(page_pk), base_content_type=page_type
    ).values_list("object_id", flat=True)
    return Page.objects.live().filter(pk__in=[int(pk) for pk in sources]).values_list("url_path", flat=True)


def earlier_versions(page_pk):
    """Live articles that this one amends or replaces, directly or through a chain: each names
    the version now in force, found by following the chain, so each shows this change."""
    url_paths, seen, frontier = set(), {page_pk}, {page_pk}
    while frontier:
        rows = list(ArticlePage.objects.filter(superseded_by_id__in=frontier).values_list("pk", "url_path", "live"))
        frontier = {pk for pk, _path, _live in rows} - seen
        seen |= frontier
        url_paths.update(path for pk, path, live in rows if live)
    return url_paths


def article_changed(pk, places):
    url_paths = {place.url_path for place in places}
    for place in places:
        url_paths.update(ancestors(place))
    url_paths.update(
        ColumnPage.objects.live().filter(kind=ColumnPage.Kind.CATALOGUE).values_list("url_path", flat=True)
    )
    url_paths.update(linking_to(pk))
    url_paths.update(earlier_versions(pk))
    purge(public_paths(url_paths) | {SEARCH_PATH})


def structure_changed(places):
    sections = set()
    for place in places:
        depth = site_root_depth(place.path)
        if len(place.path) // Page.steplen <= depth + 1:
            purge_everything()
            return
        sections.add(place.path[: (depth + 1) * Page.steplen])
    url_paths = {place.url_path for place in places}
    for place in places:
        url_paths.update(ancestors(place))
    for section in sections:
        url_paths.update(Page.objects.live().filter(path__startswith=section).values_list("url_path", flat=True))
    purge(public_paths(url_paths) | {SEARCH_PATH})


def page_changed(page, places=()):
    places = list(places) or [Place(page.path, page.url_path)]
    if issubclass(page.specific_class, ArticlePage):
        article_changed(page.pk, places)
    else:
        structure_changed(places)


@receiver(page_published)
@receiver(page_unpublished)
def purge_published_or_unpublished(sender, instance, **kwargs):
    page_changed(instance)


@receiver(post_page_move)
def purge_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    """The old addresses of the page and everything below it, and both neighbourhoods."""
    if not instance.live:
        return
    # Under the old parent; the last step of the old treebeard path is gone, and not needed.
    old_place = Place(kwargs["parent_page_before"].path + instance.path[-Page.steplen :], url_path_before)
    places = [Place(instance.path, instance.url_path), old_place]
    below = Page.objects.live().descendant_of(instance).values_list("url_path", flat=True)
    old_addresses = {url_path_before + url_path.removeprefix(url_path_after) for url_path in below}
    page_changed(instance, places)
    purge(public_paths(old_addresses))


def purge_saved_live_page(sender, instance, update_fields=None, raw=False, **kwargs):
    """A live page saved outside publishing (an import, a command, a page created live)."""
    if raw or not instance.live or (update_fields and set(update_fields) <= DRAFT_FIELDS):
        return
    page_changed(instance)


def purge_deleted_live_page(sender, instance, **kwargs):
    """Deleting a live page unpublishes it first (page_unpublished); this covers a deletion that
    did not, e.g. of a whole subtree by a queryset."""
    if instance.live:
        page_changed(instance)


def connect_page_models():
    for model in apps.get_models():
        if issubclass(model, Page):
            label = model._meta.label
            post_save.connect(purge_saved_live_page, sender=model, dispatch_uid=f"purge_saved_{label}")
            post_delete.connect(purge_deleted_live_page, sender=model, dispatch_uid=f"purge_deleted_{label}")


connect_page_models()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def purge_privacy_change(sender, instance, **kwargs):
    """Kept copies of a page made private must not be served to anyone any longer (nor those of a
    page made public again go on redirecting to the sign-in)."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None or not page.live:
        return
    page_changed(page)
    below = Page.objects.live().descendant_of(page).values_list("url_path", flat=True)
    purge(public_paths(below))


@receiver(post_save, sender=PortalSettings)
@receiver(post_save, sender=NewMediaAccount)
@receiver(post_delete, sender=NewMediaAccount)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def purge_site_wide_change(sender, **kwargs):
    purge_everything()


@hooks.register("page_cache_public_paths")
def live_page_paths():
    return public_paths(Page.objects.live().values_list("url_path", flat=True).iterator())
