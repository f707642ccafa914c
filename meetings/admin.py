from django.contrib import admin

from meetings.models import (
    ActionItem,
    ActionItemReminder,
    AgendaItem,
    Attachment,
    ChecklistItem,
    ChecklistTemplateItem,
    Decision,
    Feedback,
    Invitation,
    Meeting,
    Minutes,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["starts_at", "ends_at", "kind", "title", "presenter", "city", "place"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    fields = ["user", "response", "responded_at", "attended"]
    raw_id_fields = ["user"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["order", "text", "done_at", "done_by"]
    raw_id_fields = ["done_by"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_at", "host_city", "status"]
    list_filter = ["kind", "status", "theme_areas", "host_city"]
    search_fields = ["title", "venue"]
    date_hierarchy = "starts_at"
    list_select_related = ["host_city"]
    filter_horizontal = ["theme_areas"]
    raw_id_fields = ["continues", "created_by"]
    readonly_fields = ["survey_sent_at"]
    inlines = [AgendaItemInline, InvitationInline, ChecklistItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "starts_at", "kind", "presenter"]
    list_filter = ["kind"]
    search_fields = ["title", "presenter", "meeting__title"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "measures"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "meeting", "response", "responded_at", "attended"]
    list_filter = ["response", "attended"]
    search_fields = ["user__username", "user__last_name", "meeting__title"]
    list_select_related = ["user", "meeting"]
    raw_id_fields = ["meeting", "user"]
    readonly_fields = ["survey_sent_at", "feedback_reminded_at"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read-only: uploads go through the portal, where they are checked."""

    list_display = ["title", "meeting", "original_name", "size", "uploaded_by", "uploaded_at"]
    search_fields = ["title", "original_name", "meeting__title"]
    list_select_related = ["meeting", "uploaded_by"]
    fields = [
        "meeting",
        "agenda_item",
        "title",
        "original_name",
        "extension",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    raw_id_fields = ["deadline_extension"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "status", "approved_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["meeting__title"]
    list_select_related = ["meeting"]
    raw_id_fields = ["meeting", "approved_by"]
    readonly_fields = ["published_notified_at"]
    inlines = [DecisionInline, ActionItemInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "minutes", "deadline_extension"]
    search_fields = ["text", "minutes__meeting__title"]
    list_select_related = ["minutes__meeting", "deadline_extension"]
    raw_id_fields = ["minutes", "deadline_extension"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "due_date", "status", "minutes"]
    list_filter = ["status"]
    search_fields = ["text", "owner__username", "minutes__meeting__title"]
    list_select_related = ["owner", "minutes__meeting"]
    raw_id_fields = ["minutes", "owner"]


@admin.register(ActionItemReminder)
class ActionItemReminderAdmin(admin.ModelAdmin):
    list_display = ["action_item", "offset_days", "email", "scheduled_at", "sent_at"]
    list_filter = ["offset_days"]
    search_fields = ["email", "action_item__text"]
    list_select_related = ["action_item"]
    raw_id_fields = ["action_item"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "rating", "pace", "enough_discussion", "host_usefulness", "created_at"]
    list_filter = ["pace", "enough_discussion", "rating"]
    search_fields = ["meeting__title", "user__username"]
    list_select_related = ["meeting", "user"]
    raw_id_fields = ["meeting", "user"]


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(admin.ModelAdmin):
    list_display = ["text", "order", "active"]
    list_editable = ["order", "active"]
    list_filter = ["active"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "order", "done_at", "done_by"]
    search_fields = ["text", "meeting__title"]
    list_select_related = ["meeting", "done_by"]
    raw_id_fields = ["meeting", "done_by"]
