from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from actionplans import services
from actionplans.models import (
    ActionProgramme,
    Deadline,
    DeadlineExtension,
    Draft,
    Measure,
    MeasureCategory,
    MeasureDrop,
    Round,
    StatusChange,
)


class DeadlineInline(admin.StackedInline):
    model = Deadline
    min_num = 1
    max_num = 1
    can_delete = False


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "due_date", "open_to_cities"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DeadlineInline]
    list_select_related = ["deadline"]

    @admin.display(description=_("due date"), ordering="deadline__due_date")
    def due_date(self, obj):
        return obj.deadline.due_date if hasattr(obj, "deadline") else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.ensure_programmes(form.instance)


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    autocomplete_fields = ["decided_by"]


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["round", "due_date"]
    inlines = [DeadlineExtensionInline]
    list_select_related = ["round"]


class DraftInline(admin.TabularInline):
    model = Draft
    extra = 0
    can_delete = False
    fields = ["number", "original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "draft", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ActionProgramme)
class ActionProgrammeAdmin(admin.ModelAdmin):
    list_display = ["city", "round", "status", "submitted_at", "submitted_on_time"]
    list_filter = ["round", "status", "submitted_on_time", "city__county"]
    search_fields = ["city__name"]
    list_select_related = ["city", "round"]
    # Status and submission go through the services, which keep the history.
    readonly_fields = ["status", "submitted_at", "submitted_by", "submitted_draft", "submitted_on_time"]
    inlines = [DraftInline, StatusChangeInline]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["programme", "number", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["programme__round", "content_type"]
    search_fields = ["programme__city__name", "original_name", "sha256"]
    list_select_related = ["programme__city", "programme__round", "uploaded_by"]
    readonly_fields = [f.name for f in Draft._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeasureCategory)
class MeasureCategoryAdmin(admin.ModelAdmin):
    list_display = ["name_nb", "name_en", "theme_area"]
    list_filter = ["theme_area"]


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "programme", "theme_area", "category", "expected_effect", "cost_estimate", "status"]
    list_filter = ["theme_area", "status", "state_cooperation_wanted", "programme__round"]
    search_fields = ["title", "description", "programme__city__name"]
    list_select_related = ["programme__city", "programme__round", "theme_area", "category"]
    # Set by the services (carrying over, assessing), which check who may and keep them consistent.
    readonly_fields = ["carried_from", "carry", "assessed_effect", "assessed_reason", "assessed_by", "assessed_at"]


@admin.register(MeasureDrop)
class MeasureDropAdmin(admin.ModelAdmin):
    list_display = ["measure", "programme", "dropped_by", "dropped_at"]
    list_filter = ["programme__round"]
    search_fields = ["measure__title", "programme__city__name", "reason"]
    list_select_related = ["measure", "programme__city", "programme__round", "dropped_by"]
    readonly_fields = ["measure", "programme", "dropped_by", "dropped_at"]

    def has_add_permission(self, request):
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["programme", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    list_select_related = ["programme__city", "programme__round", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False
