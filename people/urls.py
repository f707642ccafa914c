from django.urls import path

from people import message_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.csv", views.person_export, name="export"),
    path("invite/", views.invite, name="invite"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/roles/", views.role_add, name="role_add"),
    path("<int:pk>/active/", views.set_active, name="set_active"),
    path("<int:pk>/two-factor/reset/", views.two_factor_reset, name="two_factor_reset"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("welcome/<str:token>/", views.accept, name="accept"),
    path("messages/", message_views.message_list, name="message_list"),
    path("messages/new/", message_views.message_compose, name="message_compose"),
    path("messages/<int:pk>/", message_views.message_detail, name="message_detail"),
]
