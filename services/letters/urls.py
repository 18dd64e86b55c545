from django.urls import path, register_converter

from . import views

app_name = "letters"


class TrackingNumberConverter:
    """Tracking numbers are digits (workflow.new_tracking_no); anything else in the address is
    answered by the 404 page before it reaches a view or the database."""

    regex = "[0-9]{12,20}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TrackingNumberConverter, "tracking_no")

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("write/", views.write, name="write"),
    path("write/done/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("password/", views.reissue_password, name="reissue_password"),
    path("track/end/", views.end_access, name="end_access"),
    path("track/<tracking_no:tracking_no>/", views.tracked, name="tracked"),
    path("track/<tracking_no:tracking_no>/rate/", views.rate, name="rate"),
    path("track/<tracking_no:tracking_no>/attachments/<int:pk>/", views.reply_attachment, name="reply_attachment"),
    path("track/<tracking_no:tracking_no>/reopen/", views.reopen, name="reopen"),
    path("track/<tracking_no:tracking_no>/withdraw-consent/", views.withdraw_consent, name="withdraw_consent"),
    path("mine/", views.mine, name="mine"),
]
