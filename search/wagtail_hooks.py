"""Admin wiring of the site search: the synonym table, the weekly search-term report, and
Wagtail's promoted results (pinned results for a query) without its raw hit report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "search"
    menu_label = _("搜索同义词")
    list_display = ["term", "synonyms", "note", "updated_at"]
    search_fields = ["term", "synonyms"]
    add_to_settings_menu = True


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def search_term_urls():
    return [path("reports/search-terms/", admin_views.search_terms, name="search_terms_report")]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW_SEARCH_TERMS)


@hooks.register("register_reports_menu_item")
def search_terms_menu_item():
    return SearchTermsMenuItem(_("搜索词统计"), reverse("search_terms_report"), icon_name="search", order=60)


@hooks.register("construct_reports_menu")
def hide_raw_hit_report(request, menu_items):
    # Wagtail's own "Search terms" report counts hits the portal does not record there.
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
