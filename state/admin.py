from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from state.models import Instrument, ReminderStep, RequestReminder, StateRequest, StateRequestStatusChange


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    list_display = ["name_nb", "body", "kind", "active", "application_deadline"]
    list_filter = ["kind", "active", "theme_areas", "body"]
    list_select_related = ["body"]
    search_fields = ["name_nb", "name_en", "offers_nb", "offers_en"]
    filter_horizontal = ["theme_areas"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class StatusChangeInline(admin.TabularInline):
    model = StateRequestStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StateRequest)
class StateRequestAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "programme", "instrument", "status", "created_at", "answered_at"]
    list_filter = ["status", "body"]
    list_select_related = ["body", "programme__city", "programme__round", "instrument__body"]
    search_fields = ["need", "offer", "refusal_reason"]
    raw_id_fields = ["programme", "measure", "raised_by", "agreement"]
    # The status moves through the request's page, which keeps the history and sends the mails; an offer is
    # published there too (only an offer, by its body or the management).
    readonly_fields = ["status", "answered_at", "published_at", "published_by"]
    inlines = [StatusChangeInline]


@admin.register(StateRequestStatusChange)
class StateRequestStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["request", "from_status", "to_status", "changed_by", "changed_at"]
    list_select_related = ["request__body", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReminderStep)
class ReminderStepAdmin(admin.ModelAdmin):
    list_display = ["days"]


@admin.register(RequestReminder)
class RequestReminderAdmin(admin.ModelAdmin):
    list_display = ["request", "days", "scheduled_at", "sent_at"]
    list_filter = ["days"]
    list_select_related = ["request__body"]
    raw_id_fields = ["request"]
    # Recorded and sent by the sweep (`state.reminders`): a row changed by hand would be sent again or never.
    readonly_fields = ["request", "days", "scheduled_at", "created_at", "sent_at"]
