from django.urls import path

from agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("new/", views.agreement_create, name="agreement_create"),
    path("<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("<int:pk>/edit/", views.agreement_update, name="agreement_update"),
    path("<int:pk>/delete/", views.agreement_delete, name="agreement_delete"),
    path("<int:pk>/status/", views.agreement_status, name="agreement_status"),
    path("<int:pk>/documents/new/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
]
