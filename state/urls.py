from django.urls import include, path

from state import views

app_name = "state"
urlpatterns = [
    path("", views.register, name="register"),
    path("instruments/new/", views.instrument_create, name="instrument_create"),
    path("instruments/<int:pk>/", views.instrument_detail, name="instrument_detail"),
    path("instruments/<int:pk>/edit/", views.instrument_update, name="instrument_update"),
    path("programmes/<int:pk>/ask/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/acknowledge/", views.request_acknowledge, name="request_acknowledge"),
    path("requests/<int:pk>/offer/", views.request_offer, name="request_offer"),
    path("requests/<int:pk>/refer/", views.request_refer, name="request_refer"),
    path("requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/publish/", views.request_publish, name="request_publish"),
    path("requests/<int:pk>/agreement/", views.request_agreement, name="request_agreement"),
    path("reminders/", views.reminder_steps, name="reminder_steps"),
    path("bodies/<int:pk>/requests/", views.body_requests, name="body_requests"),
    path("cities/<slug:slug>/requests/", views.city_requests, name="city_requests"),
    path("", include("state.overview_urls")),
]
