from django.urls import include, path

from . import views

app_name = "accounts"

# Mounted at /accounts/ together with allauth's own URLs (see portal/urls.py).
urlpatterns = [
    path("me/", views.overview, name="overview"),
    path("me/real-name/", views.real_name, name="real_name"),
    path("me/lawyer/", views.lawyer, name="lawyer"),
    path("me/new-password/", views.new_password, name="new_password"),
    path("me/delete/", views.delete_account, name="delete"),
    path("lawyer/<int:pk>/certificate/", views.certificate, name="certificate"),
]

allauth_patterns = [
    # Before allauth's own, so that activating TOTP also counts as using it (see the view).
    path("2fa/totp/activate/", views.activate_totp, name="mfa_activate_totp"),
    path("", include("allauth.urls")),
]
