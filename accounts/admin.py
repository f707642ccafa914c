"""The security log in the admin: read only, for looking up; nobody adds, changes or deletes an entry."""

from django.contrib import admin

from accounts.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "username", "address", "path"]
    list_filter = ["kind"]
    search_fields = ["username", "address", "path"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
