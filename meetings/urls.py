from django.urls import path

from meetings import calendar

app_name = "meetings"
urlpatterns: list = [
    path("<int:pk>/calendar.ics", calendar.meeting_ics, name="meeting_ics"),
]
