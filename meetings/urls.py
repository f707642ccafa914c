from django.urls import path

from meetings.views import calendar, checklists, feedback, invitations, meetings, minutes

app_name = "meetings"
urlpatterns = [
    path("", meetings.meeting_list, name="meeting_list"),
    path("new/", meetings.meeting_create, name="meeting_create"),
    path("<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("<int:pk>/calendar.ics", calendar.meeting_ics, name="meeting_ics"),
    path("<int:pk>/edit/", meetings.meeting_update, name="meeting_update"),
    path("<int:pk>/agenda/new/", meetings.agenda_create, name="agenda_create"),
    path("agenda/<int:pk>/edit/", meetings.agenda_update, name="agenda_update"),
    path("agenda/<int:pk>/delete/", meetings.agenda_delete, name="agenda_delete"),
    path("<int:pk>/register/", meetings.register, name="register"),
    path("<int:pk>/documents/new/", meetings.attachment_upload, name="attachment_upload"),
    path("documents/<int:pk>/download/", meetings.attachment_download, name="attachment_download"),
    path("documents/<int:pk>/delete/", meetings.attachment_delete, name="attachment_delete"),
    path("<int:pk>/invitations/", invitations.invitation_list, name="invitation_list"),
    path("<int:pk>/attendance/", invitations.attendance, name="attendance"),
    path("<int:pk>/minutes/", minutes.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/approve/", minutes.minutes_approve, name="minutes_approve"),
    path("<int:pk>/minutes/publish/", minutes.minutes_publish, name="minutes_publish"),
    path("<int:pk>/minutes.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/feedback/", feedback.feedback, name="feedback"),
    path("<int:pk>/feedback/summary/", feedback.feedback_summary, name="feedback_summary"),
    path("checklist/<int:pk>/tick/", checklists.checklist_tick, name="checklist_tick"),
    path("recipe/", checklists.recipe, name="recipe"),
]

# The personal calendar feed, at the root (/calendar/) and without the namespace: portal/urls.py includes it.
calendar_urlpatterns = [
    path("", calendar.calendar_settings, name="calendar_settings"),
    path("<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
