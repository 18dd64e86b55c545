from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("query/", views.query, name="query"),
    path("documents/", views.documents, name="documents"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("import/", views.import_batch, name="import"),
    path("lawyer/", views.lawyer_bindings, name="lawyer"),
    path("lawyer/<int:pk>/", views.lawyer_case, name="lawyer_case"),
    path("lawyer/<int:pk>/letters/<str:which>/", views.binding_letter, name="binding_letter"),
]
