from django.urls import path

from . import views

app_name = "appointments"

urlpatterns = [
    path("", views.index, name="index"),
    path("services/<str:slug>/", views.service_page, name="service"),
    path("receptions/", views.receptions, name="receptions"),
    path("my/", views.mine, name="mine"),
    path("my/suspension/", views.suspension_page, name="suspension"),
    path("my/<str:code>/", views.booking_page, name="booking"),
    path("my/<str:code>/cancel/", views.cancel_booking, name="booking_cancel"),
    path("my/<str:code>/reschedule/", views.reschedule_booking, name="booking_reschedule"),
    path("my/<str:code>/rate/", views.rate_booking, name="booking_rate"),
    path("my/<str:code>/calendar.ics", views.booking_calendar, name="booking_calendar"),
    path("manage/<str:token>/", views.booking_page, name="manage"),
    path("manage/<str:token>/cancel/", views.cancel_booking, name="manage_cancel"),
    path("manage/<str:token>/reschedule/", views.reschedule_booking, name="manage_reschedule"),
    path("manage/<str:token>/calendar.ics", views.booking_calendar, name="manage_calendar"),
]
