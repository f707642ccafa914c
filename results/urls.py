from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("new/", views.round_create, name="round_create"),
    path("rounds/<slug:slug>/", views.round_detail, name="round_detail"),
    path("rounds/<slug:slug>/reminders/", views.round_steps, name="round_steps"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/reopen/", views.report_reopen, name="report_reopen"),
    path("reports/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/", views.extension_decide, name="extension_decide"),
]
