from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views
from services.accounts import urls as accounts_urls
from services.accounts import views as accounts_views

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("display-mode/", views.display_mode, name="display_mode"),
    path("admin/login/", accounts_views.admin_login),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include(accounts_urls.allauth_patterns)),
    path("captcha/", include("captcha.urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("letters/", include("services.letters.urls")),
    path("cases/", include("services.cases.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
