from django.urls import path

from reporting import views

# Included at the root: the paths and names are those the portal always had.
urlpatterns = [
    path("dashboard/charts/<slug:name>.svg", views.dashboard_chart, name="dashboard_chart"),
    path("exports/<slug:table>.<slug:fmt>", views.export, name="export"),
    path("exports/jobs/", views.export_job_start, name="export_job_start"),
    path("exports/jobs/<uuid:pk>/", views.export_job, name="export_job"),
    path("exports/jobs/<uuid:pk>/export.xlsx", views.export_job_download, name="export_job_download"),
    path("reports/status.pdf", views.status_report, name="status_report"),
    path("reports/cities/<slug:slug>.pdf", views.city_report, name="city_report"),
    path("reports/jobs/", views.report_job_start, name="report_job_start"),
    path("reports/jobs/<uuid:pk>/", views.report_job, name="report_job"),
    path("reports/jobs/<uuid:pk>/report.pdf", views.report_job_download, name="report_job_download"),
]
