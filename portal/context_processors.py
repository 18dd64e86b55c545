from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from .service_registry import all_services

DISPLAY_MODE_COOKIE = "display_mode"


def site_chrome(request):
    """Navigation and display mode for every public page."""
    site = Site.find_for_request(request) if request else None
    root = site.root_page.specific if site else None
    nav = root.get_children().live().in_menu() if root else []
    return {
        "site_root": root,
        "main_nav": nav,
        # Called by the template only where it is used (the footer), not for every render.
        "public_services": all_services,
        # 网站声明, 隐私政策, 网站地图: loaded only where a template asks (footer, personal-data forms).
        "identity_pages": SimpleLazyObject(lambda: _identity_pages(root)),
        "new_media_accounts": SimpleLazyObject(_new_media_accounts),
        "elder_mode": request.COOKIES.get(DISPLAY_MODE_COOKIE) == "elder" if request else False,
    }


def _identity_pages(root):
    from home.page_types import identity_pages

    return identity_pages(root) if root else {}


def _new_media_accounts():
    from home.page_types import NewMediaAccount

    return list(NewMediaAccount.objects.select_related("qr_code"))
