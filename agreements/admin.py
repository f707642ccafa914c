from django.contrib import admin

from agreements.models import Agreement, AgreementDocument, AgreementStatusChange, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = AgreementStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "value", "signed_date"]
    list_filter = ["status", "kind", "theme_areas"]
    search_fields = ["title", "description"]
    filter_horizontal = ["theme_areas", "measures", "decisions", "action_items"]
    # The status moves through the pipeline view, which keeps the history.
    readonly_fields = ["status"]
    inlines = [PartyInline, StatusChangeInline]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(admin.ModelAdmin):
    list_display = ["agreement", "number", "kind", "original_name", "uploaded_by", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "uploaded_by"]
    readonly_fields = [f.name for f in AgreementDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementStatusChange)
class AgreementStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["agreement", "from_status", "to_status", "changed_by", "changed_at"]
    list_select_related = ["agreement", "changed_by"]

    def has_change_permission(self, request, obj=None):
        return False
