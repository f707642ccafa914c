"""Workflows on action programmes that span several rows. Each owns its
transaction; views call these and never save programmes themselves."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionProgramme, Draft, Measure, Round, StatusChange
from actionplans.uploads import InspectedUpload
from cities.models import City

Status = ActionProgramme.Status


def ensure_programmes(round: Round) -> int:
    """Create the missing programme of every city for `round`; returns how many."""
    existing = set(round.programmes.values_list("city_id", flat=True))
    new = [ActionProgramme(round=round, city=city) for city in City.objects.exclude(pk__in=existing)]
    ActionProgramme.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _lock(programme: ActionProgramme) -> ActionProgramme:
    # Only the programme row is locked: PostgreSQL cannot lock the nullable side of the join.
    return (
        ActionProgramme.objects.select_for_update(of=("self",)).select_related("round__deadline").get(pk=programme.pk)
    )


def _change_status(programme, to_status, *, by, comment="", draft=None, at=None):
    StatusChange.objects.create(
        programme=programme,
        from_status=programme.status,
        to_status=to_status,
        changed_by=by,
        changed_at=at or timezone.now(),
        comment=comment,
        draft=draft,
    )
    programme.status = to_status


def _ensure_editable(programme):
    if programme.is_submitted:
        raise ValidationError(_("The programme has been submitted and can no longer be changed."), code="submitted")


def _start(programme, *, by):
    if programme.status == Status.NOT_STARTED:
        _change_status(programme, Status.DRAFT, by=by)
        programme.save(update_fields=["status"])


def upload_draft(programme: ActionProgramme, *, file, inspected: InspectedUpload, note: str, by) -> Draft:
    """Store `file` as the programme's next version.

    The file must already have passed `inspect_upload`. The version number is
    taken under a row lock on the programme, so two uploads never share one.
    Starts the programme (not started → draft) on its first upload.
    """
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        number = (programme.drafts.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = Draft(
            programme=programme,
            number=number,
            original_name=_display_name(file.name),
            extension=inspected.extension,
            content_type=inspected.content_type,
            size=inspected.size,
            sha256=inspected.sha256,
            note=note,
            uploaded_by=by,
        )
        draft.file.save("upload", file, save=False)
        try:
            draft.save()
            _start(programme, by=by)
        except Exception:
            draft.file.delete(save=False)
            raise
    return draft


def _display_name(name: str) -> str:
    """The uploaded name, for display only: its last path part, at most 255 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return base[-255:]


def save_measure(programme: ActionProgramme, form, *, by) -> Measure:
    """Save a measure form for `programme`, which must still be editable."""
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        measure = form.save(commit=False)
        measure.programme = programme
        measure.save()
        _start(programme, by=by)
    return measure


def delete_measure(measure: Measure, *, by) -> None:
    with transaction.atomic():
        _ensure_editable(_lock(measure.programme))
        measure.delete()


def submit_programme(programme: ActionProgramme, *, by, now=None) -> ActionProgramme:
    """Submit the programme's latest version, in one transaction.

    Pins the version, the moment, the person and whether it came in before
    the end of the due day in Oslo. Refuses a programme with no version or
    one already submitted.
    """
    now = now or timezone.now()
    with transaction.atomic():
        programme = _lock(programme)
        _ensure_editable(programme)
        draft = programme.drafts.order_by("-number").first()
        if draft is None:
            raise ValidationError(_("Upload a draft before you submit."), code="no_draft")
        programme.submitted_draft = draft
        programme.submitted_at = now
        programme.submitted_by = by
        deadline = getattr(programme.round, "deadline", None)
        programme.submitted_on_time = deadline is None or deadline.is_on_time(now)
        _change_status(programme, Status.SUBMITTED, by=by, draft=draft, at=now)
        programme.save(update_fields=["status", "submitted_draft", "submitted_at", "submitted_by", "submitted_on_time"])
    return programme


def reopen_programme(programme: ActionProgramme, *, by, comment: str) -> ActionProgramme:
    """Give a submitted programme back to its city for changes.

    The last submission stays pinned on the programme and in its history.
    """
    with transaction.atomic():
        programme = _lock(programme)
        if not programme.is_submitted:
            raise ValidationError(_("Only a submitted programme can be reopened."), code="not_submitted")
        _change_status(programme, Status.DRAFT, by=by, comment=comment)
        programme.save(update_fields=["status"])
    return programme
