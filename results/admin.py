from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from results.models import ExtensionRequest, ProgressReport, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "programme_round", "due_date"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "submitted_at", "submitted_on_time", "extended_due_date"]
    list_filter = ["reporting_round", "status"]
    list_select_related = ["reporting_round", "city", "organisation"]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(admin.ModelAdmin):
    list_display = ["report", "requested_date", "status", "requested_at"]
    list_filter = ["status"]
