from django.urls import path

from actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/drafts/new/", views.draft_upload, name="draft_upload"),
    path("programmes/<int:pk>/measures/new/", views.measure_create, name="measure_create"),
    path("programmes/<int:pk>/submit/", views.programme_submit, name="programme_submit"),
    path("programmes/<int:pk>/reopen/", views.programme_reopen, name="programme_reopen"),
    path("drafts/<int:pk>/download/", views.draft_download, name="draft_download"),
    path("measures/<int:pk>/edit/", views.measure_update, name="measure_update"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("programmes/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/extend/", views.round_extend, name="round_extend"),
    path("rounds/<int:pk>/reminder-steps/", views.round_steps, name="round_steps"),
    path("extensions/", views.extension_list, name="extension_list"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("reminders/", views.reminder_log, name="reminder_log"),
]
