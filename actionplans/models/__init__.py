from actionplans.models.programmes import (
    ActionProgramme,
    Draft,
    ExtensionRequest,
    Measure,
    MeasureCategory,
    StatusChange,
    draft_upload_to,
)
from actionplans.models.rounds import (
    DEFAULT_REMINDER_OFFSETS,
    OSLO,
    Deadline,
    DeadlineExtension,
    Reminder,
    ReminderStep,
    Round,
    days_until,
    end_of_day,
)

__all__ = [
    "DEFAULT_REMINDER_OFFSETS",
    "OSLO",
    "ActionProgramme",
    "Deadline",
    "DeadlineExtension",
    "Draft",
    "ExtensionRequest",
    "Measure",
    "MeasureCategory",
    "Reminder",
    "ReminderStep",
    "Round",
    "StatusChange",
    "days_until",
    "draft_upload_to",
    "end_of_day",
]
