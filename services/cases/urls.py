from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("query/", views.query, name="query"),
    path("import/", views.import_batch, name="import"),
]
