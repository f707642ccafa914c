"""Workflows of the requests to the state: asking, acknowledging, answering, withdrawing, making an
agreement of an offer (and making it an offer again when that agreement is deleted), and publishing an
offer for the other cities. Each owns its transaction, moves the status only as `StateRequest.TRANSITIONS`
allows, keeps every move in the history and queues its mails (`state.notifications`) in the same
transaction, exactly once by their keys. An answer or a withdrawal also withdraws the request's
reminders still waiting in the outbox (`state.reminders`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import services as agreement_services
from cities.rules import city_ids
from state import notifications, reminders
from state.models import SYSTEM_MOVE, Instrument, ReminderStep, StateRequest, StateRequestStatusChange

Status = StateRequest.Status


def save_instrument(form) -> Instrument:
    """Save an instrument form with its theme areas (`simple_history` keeps what it was)."""
    with transaction.atomic():
        instrument = form.save()
    return instrument


def check_request(*, programme, measure, body, instrument):
    """Refuse a request whose parts do not fit together (ValidationError with the field it is about)."""
    if measure is not None and measure.programme_id != programme.pk:
        raise ValidationError(
            {"measure": ValidationError(_("Choose a measure of this action programme."), code="wrong_measure")}
        )
    if instrument is not None and instrument.body_id != body.pk:
        raise ValidationError({"instrument": _wrong_body(instrument)})


def _wrong_body(instrument):
    return ValidationError(
        _("This instrument is offered by %(body)s: choose that body, or another instrument."),
        code="wrong_body",
        params={"body": instrument.body.short_name},
    )


def ask(*, programme, measure, body, instrument, need, needed_by, by) -> StateRequest:
    """Send a request from `programme` (for `measure`, if given) to `body`, and mail the body's partners.

    It is raised on the city's behalf when `by` is not a contact of the city. The caller has checked
    that `by` may ask for the programme (and the measure); the parts are checked here."""
    check_request(programme=programme, measure=measure, body=body, instrument=instrument)
    with transaction.atomic():
        request = StateRequest.objects.create(
            programme=programme,
            measure=measure,
            body=body,
            instrument=instrument,
            need=need,
            needed_by=needed_by,
            raised_by=by,
            on_behalf=programme.city_id not in city_ids(by),
            status=Status.ASKED,
        )
        change = StateRequestStatusChange.objects.create(
            request=request, from_status="", to_status=Status.ASKED, changed_by=by
        )
        notifications.request_made(request, change)
    return request


def _move(request, to_status, *, by, comment="", fields=None, system=False):
    """Lock the request, check the move against the table, record it and save `fields` with the status.
    A move of the portal's own (`SYSTEM_MOVE`) is refused as any move not in the table, unless `system`."""
    locked = StateRequest.objects.select_for_update().get(pk=request.pk)
    if to_status == locked.status:
        raise ValidationError(_("The request already has this status."), code="same_status")
    table = StateRequest.TRANSITIONS
    if table.permission(locked.status, to_status) == SYSTEM_MOVE and not system:
        _refuse(locked.status, to_status)
    table.check(locked.status, to_status)
    change = StateRequestStatusChange.objects.create(
        request=locked, from_status=locked.status, to_status=to_status, changed_by=by, comment=comment
    )
    locked.status = to_status
    update = ["status"]
    for name, value in (fields or {}).items():
        setattr(locked, name, value)
        update.append(name)
    locked.save(update_fields=update)
    request.status = locked.status
    for name in update:
        setattr(request, name, getattr(locked, name))
    return change


def _refuse(current, new):
    """As `Transitions.check` refuses a move not in the table: the same code and message."""
    labels = dict(Status.choices)
    raise ValidationError(
        _("The status cannot change from “%(current)s” to “%(new)s”."),
        code="not_allowed",
        params={"current": labels[current], "new": labels[new]},
    )


def acknowledge(request: StateRequest, *, by, comment="") -> StateRequest:
    """The body has seen the request and is looking into it."""
    with transaction.atomic():
        _move(request, Status.ACKNOWLEDGED, by=by, comment=comment)
    return request


ANSWER_FIELDS = {
    Status.OFFERED: ("offer", "offer_amount", "offer_from", "offer_conditions"),
    Status.REFERRED: ("referred_body", "referred_instrument"),
    Status.REFUSED: ("refusal_reason",),
}


def answer(request: StateRequest, *, to_status, by, comment="", **answer) -> StateRequest:
    """Answer the request with an offer, a referral or a refusal (`to_status`) and its fields, and mail the city
    (and, for a referral, the partners of the body it is referred to). Its reminders still waiting in the
    outbox are withdrawn.

    A request not yet acknowledged is acknowledged first, in the same transaction (two rows of history).
    A referral names a body other than the request's own; with an instrument and no body, the
    instrument's body. Fields that belong to another kind of answer are refused."""
    if to_status not in ANSWER_FIELDS:
        raise ValidationError(_("Choose an offer, a referral or a refusal."), code="not_an_answer")
    unknown = set(answer) - set(ANSWER_FIELDS[to_status])
    if unknown:
        raise ValueError(f"Not fields of this answer: {sorted(unknown)}")
    if to_status == Status.REFERRED:
        answer = _referral(request, **answer)
    with transaction.atomic():
        current = StateRequest.objects.select_for_update().get(pk=request.pk).status
        if current == Status.ASKED:
            _move(request, Status.ACKNOWLEDGED, by=by)
        change = _move(request, to_status, by=by, comment=comment, fields={**answer, "answered_at": timezone.now()})
        notifications.request_answered(request, change)
        if to_status == Status.REFERRED:
            notifications.request_referred(request, change)
        reminders.withdraw_waiting(request)
    return request


def _referral(request, *, referred_body=None, referred_instrument=None):
    if referred_body is None and referred_instrument is not None:
        referred_body = referred_instrument.body
    if referred_body is None:
        raise ValidationError(
            {"referred_body": ValidationError(_("Name the body the city should turn to."), code="no_body")}
        )
    if referred_instrument is not None and referred_instrument.body_id != referred_body.pk:
        raise ValidationError({"referred_instrument": _wrong_body(referred_instrument)})
    if referred_body.pk == request.body_id and referred_instrument is None:
        message = _("Refer the city to another body, or to another of your instruments.")
        raise ValidationError({"referred_body": ValidationError(message, code="same_body")})
    return {"referred_body": referred_body, "referred_instrument": referred_instrument}


def withdraw(request: StateRequest, *, by, comment="") -> StateRequest:
    """The city no longer needs what it asked for; its reminders still waiting in the outbox are withdrawn."""
    with transaction.atomic():
        _move(request, Status.WITHDRAWN, by=by, comment=comment)
        reminders.withdraw_waiting(request)
    return request


def turn_into_agreement(request: StateRequest, *, agreement, by) -> StateRequest:
    """Record that the offer became `agreement` (the agreement itself is made by the agreements app)."""
    with transaction.atomic():
        _move(request, Status.AGREED, by=by, fields={"agreement": agreement})
    return request


def make_agreement(request: StateRequest, form, *, by):
    """Make the agreement of a valid agreement form (`agreements.forms.AgreementForm`, filled in from the
    offer) and move the request to "turned into an agreement" with it, in one transaction: the request is
    locked first, so that of two people making one of the same offer, the second gets a ValidationError and
    no second agreement. Returns the agreement (a new one starts as identified, with its history row)."""
    with transaction.atomic():
        current = StateRequest.objects.select_for_update().get(pk=request.pk).status
        StateRequest.TRANSITIONS.check(current, Status.AGREED)
        agreement = agreement_services.save_agreement(
            form, cities=form.cleaned_data["cities"], organisations=form.cleaned_data["organisations"], by=by
        )
        turn_into_agreement(request, agreement=agreement, by=by)
    return agreement


def offer_again(agreement, *, by) -> list[StateRequest]:
    """`agreement` is being deleted: each request turned into it is an offer again (a move only the portal
    makes), with a history row saying why, by `by` (None when no person is known: a script). Called in the
    transaction of the delete (`state.receivers`), before the agreement goes; mails no one. Returns the
    requests moved."""
    moved = []
    with transaction.atomic():
        for request in StateRequest.objects.filter(agreement=agreement, status=Status.AGREED).order_by("pk"):
            comment = _("The agreement “%(title)s” made of this offer was deleted; the offer stands again.") % {
                "title": agreement.title
            }
            _move(request, Status.OFFERED, by=by, comment=comment, fields={"agreement": None}, system=True)
            moved.append(request)
    return moved


def publish_offer(request: StateRequest, *, publish: bool, by) -> StateRequest:
    """Show the request's offer on its instrument's page to everyone in the programme (`publish`), or no longer.
    Only an offer is published (one answered with an offer, or turned into an agreement since), of an
    instrument of the register: else a ValidationError. Publishing one already published (or unpublishing one
    that is not) changes nothing. The request's own history (`simple_history`) keeps who did it and when;
    no mail."""
    with transaction.atomic():
        locked = StateRequest.objects.select_for_update().get(pk=request.pk)
        if publish and locked.status not in StateRequest.OFFERS:
            raise ValidationError(_("Only an offer can be published."), code="not_an_offer")
        if publish and locked.instrument_id is None:
            message = _("Only an offer of an instrument in the register can be published: it is shown on its page.")
            raise ValidationError(message, code="no_instrument")
        if publish == locked.is_published:
            return request  # asked twice: nothing more to do
        locked.published_at = timezone.now() if publish else None
        locked.published_by = by if publish else None
        locked._history_user = by
        locked.save(update_fields=["published_at", "published_by"])
    request.published_at, request.published_by = locked.published_at, locked.published_by
    return request


def set_reminder_steps(days) -> None:
    """Make the reminder steps of every request exactly `days` (days after asking; at least one). Reminders
    already recorded are kept: a request already reminded at a step is not reminded at it again."""
    days = sorted(set(days))
    if not days:
        raise ValidationError(_("Give at least one number of days."), code="no_steps")
    with transaction.atomic():
        ReminderStep.objects.exclude(days__in=days).delete()
        ReminderStep.objects.bulk_create([ReminderStep(days=d) for d in days], ignore_conflicts=True)
