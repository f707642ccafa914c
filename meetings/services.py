"""Workflows on meetings that span several rows. Each owns its transaction."""

from django.db import transaction

from meetings.models import ChecklistItem, ChecklistTemplateItem, Meeting


def create_meeting(*, by, theme_areas=(), **fields) -> Meeting:
    """Create a meeting; a network gathering gets its own copy of the hosting recipe."""
    with transaction.atomic():
        meeting = Meeting.objects.create(created_by=by, **fields)
        meeting.theme_areas.set(theme_areas)
        if meeting.kind == Meeting.Kind.NETWORK_GATHERING:
            copy_recipe(meeting)
    return meeting


def copy_recipe(meeting: Meeting) -> int:
    """Give the meeting a checklist from the recipe, unless it has one; returns how many items were added."""
    if meeting.checklist.exists():
        return 0
    items = [
        ChecklistItem(meeting=meeting, text=item.text, order=item.order)
        for item in ChecklistTemplateItem.objects.filter(active=True)
    ]
    ChecklistItem.objects.bulk_create(items)
    return len(items)
