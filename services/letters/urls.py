from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("write/", views.write, name="write"),
    path("write/done/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
    path("password/", views.reissue_password, name="reissue_password"),
    path("track/<str:tracking_no>/", views.tracked, name="tracked"),
    path("track/<str:tracking_no>/rate/", views.rate, name="rate"),
    path("track/<str:tracking_no>/reopen/", views.reopen, name="reopen"),
    path("mine/", views.mine, name="mine"),
]
