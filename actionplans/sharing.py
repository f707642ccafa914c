"""Before submitting: a city lets its theme coordinators read its draft, and they leave notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import notifications
from actionplans.models import ActionProgramme, DraftNote
from actionplans.services import _ensure_editable, _lock


def share_programme(programme: ActionProgramme, *, share: bool, by) -> ActionProgramme:
    """Let the theme coordinators read the draft before it is submitted (or no longer)."""
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        programme.sharing = share
        if share:
            programme.shared_at = timezone.now()
        programme.save(update_fields=["sharing", "shared_at"])
        if share:
            notifications.draft_shared(programme, by=by)
    return programme


def add_draft_note(programme: ActionProgramme, *, text: str, by) -> DraftNote:
    """A coordinator's informal note on a shared draft; the city's contacts hear of it."""
    with transaction.atomic():
        programme = _lock(programme)
        if not programme.is_shared:
            raise ValidationError(_("The city no longer shares this draft."), code="not_shared")
        note = DraftNote.objects.create(programme=programme, text=text, author=by)
        notifications.draft_note_added(note)
    return note
