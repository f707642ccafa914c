from meetings.models.followup import ActionItem, ActionItemReminder, Decision, Feedback, Minutes
from meetings.models.meetings import (
    AgendaItem,
    Attachment,
    ChecklistItem,
    ChecklistTemplateItem,
    Invitation,
    Meeting,
    MeetingQuerySet,
    attachment_upload_to,
)

__all__ = [
    "ActionItem",
    "ActionItemReminder",
    "AgendaItem",
    "Attachment",
    "ChecklistItem",
    "ChecklistTemplateItem",
    "Decision",
    "Feedback",
    "Invitation",
    "Meeting",
    "MeetingQuerySet",
    "Minutes",
    "attachment_upload_to",
]
