"""Workflows of the reporting rounds: opening a round, who reports in it and on what, saving and submitting a
report, reopening it, and asking for and deciding more time. Each owns its transaction, moves a status only as
its table allows (`ProgressReport.TRANSITIONS`, `ExtensionRequest.TRANSITIONS`), keeps every move in the
history and queues its mails (`results.notifications`) in the same transaction, once by their keys. A
submission or a new due date withdraws the report's reminders still waiting in the outbox
(`results.reminders`)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.guards import years_after
from actionplans.models import OSLO, ActionProgramme, Measure
from agreements.models import Agreement, Party
from results import notifications, reminders
from results.models import (
    DEFAULT_REMINDER_OFFSETS,
    AgreementProgress,
    ExtensionRequest,
    MeasureProgress,
    ProgressReport,
    ReminderStep,
    ReportingRound,
    ReportStatusChange,
)

Status = ProgressReport.Status
# The agreements whose parties report on their obligations: those in force.
REPORTED_AGREEMENTS = (Agreement.Status.SIGNED, Agreement.Status.ACTIVE)
# What is reported on each row: the fields of `Progress`, and what a row left out of `values` gets.
PROGRESS_FIELDS = ("status", "share_done", "spent", "effect_now", "text")
_LEFT_OUT = {"status": "not_started", "text": ""}


def _defaults(values):
    return {f: values.get(f, _LEFT_OUT.get(f)) for f in PROGRESS_FIELDS}


def today():
    return timezone.localdate(timezone.now(), OSLO)


def open_round(*, name, slug, kind, programme_round, due_date, description="", offsets=None, by) -> ReportingRound:
    """Open a reporting round with its reminder steps (`DEFAULT_REMINDER_OFFSETS` unless given), and a draft
    report for every reporter expected in it (`ensure_reports`)."""
    with transaction.atomic():
        reporting_round = ReportingRound.objects.create(
            name=name,
            slug=slug,
            kind=kind,
            programme_round=programme_round,
            due_date=due_date,
            description=description,
            opened_by=by,
        )
        set_reminder_steps(reporting_round, DEFAULT_REMINDER_OFFSETS if offsets is None else offsets)
        ensure_reports(reporting_round)
    return reporting_round


def set_reminder_steps(reporting_round, offsets):
    """Make the round's reminder steps exactly `offsets` (days relative to the due date)."""
    with transaction.atomic():
        reporting_round.reminder_steps.exclude(offset_days__in=offsets).delete()
        have = set(reporting_round.reminder_steps.values_list("offset_days", flat=True))
        ReminderStep.objects.bulk_create(
            [
                ReminderStep(reporting_round=reporting_round, offset_days=o)
                for o in sorted(set(offsets))
                if o not in have
            ]
        )


def reported_parties():
    """The parties of the agreements in force (signed or active): whose obligations are reported on."""
    return Party.objects.filter(agreement__status__in=REPORTED_AGREEMENTS)


def submitted_programmes(reporting_round):
    return ActionProgramme.objects.filter(
        round_id=reporting_round.programme_round_id, status=ActionProgramme.Status.SUBMITTED
    )


def ensure_reports(reporting_round) -> int:
    """A draft report for every reporter of the round that has none yet: each city with a programme submitted
    in the reported-on round or party to an agreement in force, and each organisation party to one. Safe to
    run twice (the sweep does, to take in those that became reporters since). Returns how many were made."""
    parties = reported_parties()
    cities = set(submitted_programmes(reporting_round).values_list("city_id", flat=True))
    cities |= set(parties.filter(city__isnull=False).values_list("city_id", flat=True))
    organisations = set(parties.filter(organisation__isnull=False).values_list("organisation_id", flat=True))
    have = reporting_round.reports.values_list("city_id", "organisation_id")
    have_cities = {c for c, _o in have if c}
    have_organisations = {o for _c, o in have if o}
    new = [ProgressReport(reporting_round=reporting_round, city_id=c) for c in sorted(cities - have_cities)]
    new += [
        ProgressReport(reporting_round=reporting_round, organisation_id=o)
        for o in sorted(organisations - have_organisations)
    ]
    ProgressReport.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def ensure_current_reports() -> int:
    """`ensure_reports` for every round not yet due: a reporter that came in after its round was due is not
    asked for a report."""
    return sum(ensure_reports(r) for r in ReportingRound.objects.filter(due_date__gte=today()))


def measures_to_report(report):
    """The measures a city reports on: those of its programme submitted in the reported-on round."""
    if report.city_id is None:
        return Measure.objects.none()
    return (
        Measure.objects.filter(
            programme__round_id=report.reporting_round.programme_round_id,
            programme__city_id=report.city_id,
            programme__status=ActionProgramme.Status.SUBMITTED,
        )
        .select_related("theme_area")
        .order_by("theme_area__order", "title", "pk")
    )


def parties_to_report(report):
    """The reporter's parties in the agreements in force: the obligations it reports on."""
    mine = Q(city_id=report.city_id) if report.city_id else Q(organisation_id=report.organisation_id)
    return reported_parties().filter(mine).select_related("agreement").order_by("agreement__title", "pk")


def _lock(report):
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("reporting_round", "city", "organisation")
        .get(pk=report.pk)
    )


def _ensure_draft(report):
    if report.is_submitted:
        raise ValidationError(
            _("The report has been submitted and can no longer be changed. Programme management can reopen it."),
            code="submitted",
        )


def save_report(report, *, measures, agreements, by, submit=False, now=None) -> ProgressReport:
    """Store what is reported on each row of a draft report, and (`submit`) submit it, in one transaction.

    `measures` is [(measure, values)] and `agreements` [(party, values)], `values` a dict of `PROGRESS_FIELDS`.
    Submitting pins the moment, the person and whether it was on time (by the reporter's own due date), keeps
    the move in the history and withdraws the report's reminders still waiting. A submitted report refuses
    both (ValidationError, code "submitted")."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _lock(report)
        _ensure_draft(report)
        for measure, values in measures:
            MeasureProgress.objects.update_or_create(report=report, measure=measure, defaults=_defaults(values))
        for party, values in agreements:
            AgreementProgress.objects.update_or_create(
                reporting_round_id=report.reporting_round_id,
                agreement_id=party.agreement_id,
                party=party,
                defaults={"report": report, **_defaults(values)},
            )
        report.updated_at = now
        fields = ["updated_at"]
        if submit:
            ProgressReport.TRANSITIONS.check(report.status, Status.SUBMITTED)
            ReportStatusChange.objects.create(
                report=report, from_status=report.status, to_status=Status.SUBMITTED, changed_by=by, changed_at=now
            )
            report.status, report.submitted_at, report.submitted_by = Status.SUBMITTED, now, by
            report.submitted_on_time = report.is_on_time(now)
            fields += ["status", "submitted_at", "submitted_by", "submitted_on_time"]
        report.save(update_fields=fields)
        if submit:
            reminders.withdraw_waiting(report)
    return report


def reopen_report(report, *, by, comment="") -> ProgressReport:
    """Give a submitted report back to its reporter as a draft (the programme management's); kept in the history.
    Its rows stay as they were; it is submitted again in full."""
    with transaction.atomic():
        report = _lock(report)
        ProgressReport.TRANSITIONS.check(report.status, Status.DRAFT)
        ReportStatusChange.objects.create(
            report=report, from_status=report.status, to_status=Status.DRAFT, changed_by=by, comment=comment
        )
        report.status = Status.DRAFT
        report.save(update_fields=["status"])
    return report


def check_extension_date(report, new_date):
    """Refuse a date that is not after the reporter's due date, more than a year after it, or passed."""
    current = report.effective_due_date
    if new_date <= current:
        raise ValidationError(_("Ask for a date after the current due date."), code="not_later")
    last = years_after(current, 1) if current.year < datetime.MAXYEAR else current
    if new_date > last:
        raise ValidationError(
            _("Ask for at most a year more: a date by %(last)s."), code="too_late", params={"last": f"{last:%d.%m.%Y}"}
        )
    if new_date < today():
        raise ValidationError(_("Ask for a date that has not passed yet."), code="past")


def request_extension(report, *, new_date, reason, by) -> ExtensionRequest:
    """A reporter asks for a later due date for its draft report; mails the programme management.
    One request waits at a time (else a ValidationError, code "pending"), for a date `check_extension_date`
    allows."""
    with transaction.atomic():
        report = _lock(report)
        _ensure_draft(report)
        if report.extension_requests.filter(status=ExtensionRequest.Status.PENDING).exists():
            raise ValidationError(_("A request for more time is already waiting for a decision."), code="pending")
        check_extension_date(report, new_date)
        request = ExtensionRequest.objects.create(
            report=report, requested_date=new_date, reason=reason, requested_by=by
        )
        notifications.extension_requested(request)
    return request


def decide_extension(request, *, approve, comment="", by) -> ExtensionRequest:
    """Approve or decline a pending request (once: else a ValidationError, code "decided"). An approval makes
    the date asked for the report's own due date: its reminders follow it, and a report submitted meanwhile is
    judged on time or late by it. Mails the reporter."""
    to_status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.DECLINED
    with transaction.atomic():
        request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != ExtensionRequest.Status.PENDING:
            raise ValidationError(_("This request has already been decided."), code="decided")
        ExtensionRequest.TRANSITIONS.check(request.status, to_status)
        if approve:
            report = _lock(request.report)
            report.extended_due_date = request.requested_date
            fields = ["extended_due_date"]
            if report.is_submitted:
                report.submitted_on_time = report.is_on_time(report.submitted_at)
                fields.append("submitted_on_time")
            report.save(update_fields=fields)
            reminders.withdraw_waiting(report)
        request.status, request.decided_by, request.decided_at, request.comment = to_status, by, timezone.now(), comment
        request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        request = ExtensionRequest.objects.select_related(
            "report__city", "report__organisation", "report__reporting_round", "requested_by"
        ).get(pk=request.pk)
        notifications.extension_decided(request)
    return request
