"""A city's request for more time: asking, deciding (for the date asked or another one), and
what a submission does to a request still waiting. `services` re-exports these."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans import guards, reminders, tasks
from actionplans.guards import ensure_editable, lock_programme, years_after
from actionplans.models import ActionProgramme, ExtensionRequest
from lib.tasks import delay_on_commit

Pending = ExtensionRequest.Status.PENDING

# The refusals of `check_extension_date`, as the city asks and as the management grants.
_ASKING = {
    "not_later": _("Ask for a date after the current deadline."),
    "too_late": _("Ask for at most a year more: a date by %(last)s."),
    "past": _("Ask for a date that has not passed yet."),
}
_GRANTING = {
    "not_later": _("Grant a date after the current deadline."),
    "too_late": _("Grant at most a year more: a date by %(last)s."),
    "past": _("Grant a date that has not passed yet."),
}
# The codes of those refusals (and of a round without a deadline): a form shows them at its date field.
DATE_ERRORS = {"no_deadline", *_ASKING}


def check_extension_date(programme: ActionProgramme, new_date, *, today=None, granting=False, allow_past=False):
    """Refuse an extension that is not after the city's current deadline, is more than a year
    after it, or (unless `allow_past`) has already passed. `granting` words the refusal for
    the programme management, which decides, rather than for the city, which asks."""
    words = _GRANTING if granting else _ASKING
    today = today or guards.today()
    current = programme.effective_due_date
    if current is None:
        raise ValidationError(_("The round has no deadline to extend."), code="no_deadline")
    if new_date <= current:
        raise ValidationError(words["not_later"], code="not_later")
    last = years_after(current, 1) if current.year < datetime.MAXYEAR else current
    if new_date > last:
        raise ValidationError(words["too_late"], code="too_late", params={"last": f"{last:%d.%m.%Y}"})
    if new_date < today and not allow_past:
        raise ValidationError(words["past"], code="past")


def check_granted_date(programme: ActionProgramme, granted_date):
    """The date the management may grant: as a city may ask for, except that a programme
    already submitted may get a date that has passed (the grant then documents its time)."""
    check_extension_date(programme, granted_date, granting=True, allow_past=programme.is_submitted)


def request_extension(programme: ActionProgramme, *, new_date, reason: str, by) -> ExtensionRequest:
    """A city asks for its own later deadline; mails the programme management on commit.

    The date must be after the city's current deadline, at most a year after it,
    and not passed (`check_extension_date`); else a ValidationError.
    """
    with transaction.atomic():
        programme = lock_programme(programme)
        ensure_editable(programme)
        if programme.extension_requests.filter(status=Pending).exists():
            raise ValidationError(_("The city already has a request waiting for a decision."), code="pending")
        check_extension_date(programme, new_date)
        request = ExtensionRequest.objects.create(
            programme=programme, requested_date=new_date, reason=reason, requested_by=by
        )
        delay_on_commit(tasks.notify_extension_requested, request.pk)
    return request


def _lock_pending(request):
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != Pending:
        raise ValidationError(_("This request has already been decided."), code="decided")
    return request


def _decide(request, status, *, comment, by, fields=()):
    ExtensionRequest.TRANSITIONS.check(request.status, status)
    request.status = status
    request.decided_by, request.decided_at, request.comment = by, timezone.now(), comment
    request.save(update_fields=["status", "decided_by", "decided_at", "comment", *fields])
    delay_on_commit(tasks.notify_extension_decided, request.pk)


def decide_extension(
    request: ExtensionRequest, *, approve: bool, comment: str, by, granted_date=None
) -> ExtensionRequest:
    """Approve or decline a pending request; an approval gives the city its own deadline.

    The approval is for `granted_date` (by default the date asked for), which must pass
    `check_granted_date` (else a ValidationError). A programme the city submitted while the
    request waited is then judged on time or late by the granted date. Mails the city's
    contacts on commit.
    """
    with transaction.atomic():
        request = _lock_pending(request)
        if not approve:
            _decide(request, ExtensionRequest.Status.DECLINED, comment=comment, by=by)
            return request
        programme = lock_programme(request.programme)
        granted = granted_date or request.requested_date
        check_granted_date(programme, granted)
        request.granted_date = granted
        programme.extended_due_date = granted
        fields = ["extended_due_date"]
        if programme.is_submitted:
            programme.submitted_on_time = programme.is_on_time(programme.submitted_at)
            fields.append("submitted_on_time")
        programme.save(update_fields=fields)
        reminders.withdraw_outdated(programme.round.deadline)
        _decide(request, ExtensionRequest.Status.APPROVED, comment=comment, by=by, fields=["granted_date"])
    return request


def close_extension_request(request: ExtensionRequest, *, comment: str, by) -> ExtensionRequest:
    """Close, without more time, a request whose programme the city submitted while it waited.

    The deadline stays as it was. Mails the city's contacts on commit.
    """
    with transaction.atomic():
        request = _lock_pending(request)
        if request.submitted_while_pending_at is None:
            raise ValidationError(
                _("Only a request whose programme was submitted while it waited can be closed."),
                code="not_submitted",
            )
        _decide(request, ExtensionRequest.Status.CLOSED, comment=comment, by=by)
    return request


def note_submission(programme: ActionProgramme, at) -> None:
    """The city submitted at `at`: its request still waiting (if any) says so to the decider."""
    programme.extension_requests.filter(status=Pending).update(submitted_while_pending_at=at)
