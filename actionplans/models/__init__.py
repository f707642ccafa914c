from actionplans.models.extensions import ExtensionRequest
from actionplans.models.programmes import (
    ActionProgramme,
    AgreementKind,
    Draft,
    DraftNote,
    Measure,
    MeasureCategory,
    StatusChange,
    draft_upload_to,
)
from actionplans.models.reviews import (
    CommentReply,
    MeasureLink,
    Review,
    ReviewComment,
    ReviewStatusChange,
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
from actionplans.models.similarity import LikenessState, MeasureLikeness, SimilarGroup
from actionplans.models.states import ProgrammeState, programme_state, state_filter

__all__ = [
    "AgreementKind",
    "CommentReply",
    "MeasureLink",
    "Review",
    "ReviewComment",
    "ReviewStatusChange",
    "DEFAULT_REMINDER_OFFSETS",
    "OSLO",
    "ActionProgramme",
    "Deadline",
    "DeadlineExtension",
    "Draft",
    "DraftNote",
    "ExtensionRequest",
    "LikenessState",
    "Measure",
    "MeasureCategory",
    "MeasureLikeness",
    "ProgrammeState",
    "Reminder",
    "ReminderStep",
    "Round",
    "SimilarGroup",
    "StatusChange",
    "days_until",
    "draft_upload_to",
    "end_of_day",
    "programme_state",
    "state_filter",
]
