from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .service_registry import all_services

DISPLAY_MODE_COOKIE = "display_mode"


def site_chrome(request):
    """Navigation and display mode for every public page (the site's name and navigation are
    kept with the footer: portal.chrome)."""
    from .chrome import site_parts  # it stores through portal.page_cache, which imports this module

    parts = SimpleLazyObject(lambda: site_parts(request))
    return {
        "site_name": SimpleLazyObject(lambda: parts["name"]),
        "main_nav": SimpleLazyObject(lambda: parts["nav"]),
        # Called by the template only where it is used (the footer), not for every render.
        "public_services": all_services,
        # 网站声明, 隐私政策, 网站地图: loaded only where a template asks (footer, personal-data forms).
        "identity_pages": SimpleLazyObject(lambda: _identity_pages(request)),
        "new_media_accounts": SimpleLazyObject(_new_media_accounts),
        "elder_mode": request.COOKIES.get(DISPLAY_MODE_COOKIE) == "elder" if request else False,
    }


def _identity_pages(request):
    from home.page_types import identity_pages

    site = Site.find_for_request(request) if request else None
    return identity_pages(site.root_page) if site else {}


def _new_media_accounts():
    from home.page_types import NewMediaAccount

    return list(NewMediaAccount.objects.select_related("qr_code"))
