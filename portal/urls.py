from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from search import views as search_views
from services.accounts import urls as accounts_urls
from services.accounts import views as accounts_views

from . import captcha, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("display-mode/", views.display_mode, name="display_mode"),
    path("admin/login/", accounts_views.admin_login),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include(accounts_urls.allauth_patterns)),
    path("captcha/image/<str:key>/", captcha.image, name="captcha-image"),
    path("captcha/audio/<str:key>.wav", captcha.audio, name="captcha-audio"),
    path("captcha/refresh/", captcha.refresh, name="captcha-refresh"),
    path("documents/", include(wagtaildocs_urls)),
    path("media/<path:path>", home_views.media_file, name="media_file"),
    path("search/", search_views.search, name="search"),
    path("letters/", include("services.letters.urls")),
    path("cases/", include("services.cases.urls")),
    path("appointments/", include("services.appointments.urls")),
]

urlpatterns += [
    path("_util/login/", accounts_views.frontend_login),
    path("", include(wagtail_urls)),
]
