from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from opendata.models import Publication


@admin.register(Publication)
class PublicationAdmin(SimpleHistoryAdmin):
    """Read only: rounds are published and withdrawn on the management's page, which keeps the history."""

    list_display = ["round", "published_at", "licence", "withdrawn_at"]
    readonly_fields = ["round", "published_at", "published_by", "licence", "withdrawn_at", "withdrawn_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
