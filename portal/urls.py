from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import calendar, reports, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/charts/<slug:name>.svg", views.dashboard_chart, name="dashboard_chart"),
    path("exports/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("cities/<slug:slug>/", views.city_detail, name="city_detail"),
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("reports/status.pdf", reports.status_report, name="status_report"),
    path("reports/cities/<slug:slug>.pdf", reports.city_report, name="city_report"),
    path("reports/jobs/<uuid:pk>/", reports.report_job, name="report_job"),
    path("reports/jobs/<uuid:pk>/report.pdf", reports.report_job_download, name="report_job_download"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("actionplans.urls")),
    path("meetings/", include("meetings.urls")),
    path("agreements/", include("agreements.urls")),
]
